import type { Viewer } from '../../groups/policy.js';
import type { Group } from '../../groups/queries.js';

export const warningKinds = [
  'violence',
  'self_harm',
  'family_rejection',
  'sexual_content',
  'dysphoria',
  'religion',
  'other',
] as const;

export type WarningKind = (typeof warningKinds)[number];

export const reactionKinds = ['support', 'hug', 'strength', 'thanks'] as const;

export type ReactionKind = (typeof reactionKinds)[number];

export const postLimits = { titleMin: 3, titleMax: 150, bodyMax: 20_000, warningTextMax: 100, mentions: 10 } as const;

export const pageSize = 20;

const excerptLength = 200;

/** A post's words on one line, cut at 200 characters: what a quote and the own-posts list show. */
export function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text;
}

export const isWarningKind = (value: unknown): value is WarningKind =>
  (warningKinds as readonly unknown[]).includes(value);

export const isReactionKind = (value: unknown): value is ReactionKind =>
  (reactionKinds as readonly unknown[]).includes(value);

export interface PostInput {
  body?: string | undefined;
  warning?: string | null | undefined;
  warningText?: string | null | undefined;
  anonymous?: boolean | undefined;
  quotePostId?: string | null | undefined;
}

export type AuthorView =
  | { kind: 'member'; username: string }
  | { kind: 'anonymous'; pseudonym: number }
  | { kind: 'deleted' };

export interface PostView {
  id: string;
  threadId: string;
  author: AuthorView;
  /** Empty when the post is deleted, or hidden by moderators from this reader. */
  body: string;
  warning: WarningKind | null;
  warningText: string | null;
  quote: { postId: string; author: AuthorView; excerpt: string; unavailable: boolean } | null;
  hidden: boolean;
  deleted: boolean;
  createdAt: number;
  editedAt: number | null;
  reactions: Record<ReactionKind, number>;
  myReactions: ReactionKind[];
  mine: boolean;
  /** The thread's opening post, whose author may also edit the title. */
  opening: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canModerate: boolean;
}

export interface ThreadSummary {
  id: string;
  groupId: string;
  title: string;
  author: AuthorView;
  warning: WarningKind | null;
  replyCount: number;
  createdAt: number;
  lastActivityAt: number;
}

export interface ThreadPage {
  thread: ThreadSummary;
  group: Group;
  viewer: Viewer;
  posts: PostView[];
  /** Cursor of the next page of posts, if there is one. */
  next: string | null;
  watching: boolean;
  canPost: boolean;
  canReact: boolean;
  anonymousAllowed: boolean;
}

export interface ThreadList {
  group: Group;
  viewer: Viewer;
  threads: ThreadSummary[];
  next: string | null;
  watching: boolean;
}

export interface ActivityItem extends ThreadSummary {
  groupName: string;
}

export interface OwnPost {
  id: string;
  body: string;
  createdAt: number;
  editedAt: number | null;
  /** Whether the author may still open its thread; they may always delete it. */
  readable: boolean;
}

export type WarningMode = 'fold' | 'hide';

export type WarningPreferences = Record<WarningKind, WarningMode>;
