import { normalise } from '../../../search/analyzer.js';
import type { GroupRole, Viewer } from '../policy.js';
import type { Group } from '../queries.js';

// The limits, the visibilities and what an owner sends are defined once, with the API's schemas (ADR 0029).
export { groupLimits, visibilities, type GroupInput } from '../schemas.js';

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
  /** Whether the viewer may remove or ban this member (the outrank rule). */
  canRemove: boolean;
  /** The group role the viewer may give this member (the owner: appoint or dismiss a moderator), or null. */
  appointAs: 'moderator' | 'member' | null;
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
