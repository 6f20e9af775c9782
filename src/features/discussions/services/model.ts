import { markdownText } from '../../../security/markdown-text.js';
import type { GroupAbilities, Group } from '../../groups/public.js';
import { reactionKinds, warningKinds, type ReactionKind, type WarningKind } from '../schemas.js';

// What a post may hold is defined once, with the API's schemas (ADR 0029).
export {
  draftLimits,
  postLimits,
  reactionKinds,
  threadModerationLimits,
  warningKinds,
  type DraftInput,
  type PostInput,
  type ReactionKind,
  type WarningKind,
} from '../schemas.js';

export const pageSize = 20;

const excerptLength = 200;

/**
 * A post's words without Markdown's syntax, cut at 200 characters: what a quote and the own-posts
 * list show. Paragraphs stay apart (a blank line between them), so each is shown with its own direction.
 */
export function excerpt(body: string): string {
  const text = markdownText(body);
  if (text.length <= excerptLength) return text;
  let cut = excerptLength;
  // Never cut a character made of two UTF-16 units in half.
  if (/[\uDC00-\uDFFF]/.test(text[cut] ?? '')) cut--;
  return `${text.slice(0, cut).trimEnd()}…`;
}

export const isWarningKind = (value: unknown): value is WarningKind =>
  (warningKinds as readonly unknown[]).includes(value);

export const isReactionKind = (value: unknown): value is ReactionKind =>
  (reactionKinds as readonly unknown[]).includes(value);

export type AuthorView =
  | { kind: 'member'; username: string }
  | { kind: 'anonymous'; pseudonym: number }
  | { kind: 'deleted' }
  /** A post withheld from this reader: its author and they are in a block, or they muted the author (ADR 0052). */
  | { kind: 'notShown' };

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
  /**
   * Withheld from this reader by a block or a mute (ADR 0052): kept in its place, so pages count the
   * same for every reader (ADR 0036), with nothing of it shown.
   */
  withheld: boolean;
  /** The reader's own post, held for a moderator's approval by a watched word (ADR 0052). */
  held: boolean;
  /** The named author another member may block or mute from the post's menu; null for anonymous and own posts. */
  blockableAuthorId: string | null;
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
  /** Pinned to the top of its group's list (ADR 0039). */
  pinned: boolean;
  /** Locked: readable, taking no new replies. */
  locked: boolean;
  /** Why it was locked, as its moderators wrote it; null when open. */
  lockReason: string | null;
}

/**
 * What a list says about a thread's posts that are new to the member (ADR 0038): how many, whether
 * they ever opened the thread, and the first new post with the page that holds it.
 */
export interface Unread {
  count: number;
  opened: boolean;
  firstPostId: string | null;
  page: number | null;
}

export interface ThreadListItem extends ThreadSummary {
  unread: Unread;
}

export interface ThreadPage {
  thread: ThreadSummary;
  group: Group;
  /** What the reader may do here, from the group policies (ADR 0032). */
  abilities: GroupAbilities;
  posts: PostView[];
  /** Cursor of the posts after this page, if there are any (for walking the whole thread). */
  next: string | null;
  /** This page's number (from 1), how many pages and posts the thread has, and the page size. */
  pages: { number: number; count: number; size: number; posts: number };
  watching: boolean;
  /** May reply here: a member taking part, and in a locked thread one who may unlock it (ADR 0039). */
  canPost: boolean;
  canReact: boolean;
  anonymousAllowed: boolean;
}

export interface ThreadList {
  group: Group;
  abilities: GroupAbilities;
  /** On the first page, the pinned threads (most recently pinned first), then the others by latest activity. */
  threads: ThreadListItem[];
  next: string | null;
  watching: boolean;
}

export interface ActivityItem extends ThreadListItem {
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
