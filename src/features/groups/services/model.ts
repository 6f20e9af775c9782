import { normalise } from '../../../search/analyzer.js';
import type { GroupRole, Viewer, Visibility } from '../policy.js';
import type { Group } from '../queries.js';

export const groupLimits = {
  nameMin: 3,
  nameMax: 80,
  descriptionMax: 2000,
  cityMax: 80,
  tagMax: 40,
  tagsPerKind: 8,
  questions: 3,
  questionMax: 300,
  answerMax: 1000,
  inviteUsesMax: 100,
  inviteDaysMax: 30,
} as const;

export const visibilities: readonly Visibility[] = ['public', 'private', 'hidden'];

export interface GroupInput {
  name?: string | undefined;
  description?: string | undefined;
  languages?: string[] | undefined;
  country?: string | null | undefined;
  city?: string | null | undefined;
  visibility?: string | undefined;
  interests?: string[] | undefined;
  issues?: string[] | undefined;
  identities?: string[] | undefined;
  questions?: string[] | undefined;
  membersListOpen?: boolean | undefined;
  anonymousPosting?: boolean | undefined;
}

/** Folds case, Arabic letter forms and digits so "Cairo" and "cairo", "قاهره" and "القاهرة"-less variants match. */
export const tagKey = (label: string) => normalise(label).toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();

export interface GroupWithViewer {
  group: Group;
  viewer: Viewer;
  banned: boolean;
}

export interface DirectoryFilters {
  q?: string | undefined;
  country?: string | undefined;
  tag?: string | undefined;
  language?: string | undefined;
  /** Opaque cursor from the previous page. */
  after?: string | undefined;
}

export interface GroupPage {
  groups: Group[];
  /** The caller's own relation to each listed group they belong to or asked to join, by group id. */
  mine: Map<string, { membership: GroupRole; pendingRequest: false } | { membership: null; pendingRequest: true }>;
  next: string | null;
}

export interface MyGroup {
  group: Group;
  role: GroupRole;
  pendingRequests: number;
}

export type JoinOutcome = 'joined' | 'requested' | 'already_member';

export interface MemberEntry {
  userId: string;
  username: string;
  role: GroupRole;
  joinedAt: number;
}

export interface BanEntry {
  /** Absent for people banned from an anonymous post: moderators never learn who they were. */
  username: string | null;
  userId: string | null;
  createdAt: number;
}

export interface JoinRequestEntry {
  id: string;
  username: string;
  questions: string[];
  answers: string[];
  createdAt: number;
}

export interface GroupInvite {
  id: string;
  /** Present only when the invite is made: only its hash is stored. */
  code?: string;
  usesLeft: number;
  expiresAt: number;
}
