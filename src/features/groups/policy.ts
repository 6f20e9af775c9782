import type { Actor } from '../../security/actor.js';
import type { GroupRole, Visibility } from '../../db/schema.js';

export type { GroupRole, Visibility };

/**
 * Who may do what in a group: pure functions of the facts, tested as a matrix
 * (src/features/groups/policy.test.ts). Services load the facts, call these, and answer a denied
 * read exactly like a missing record.
 */

export interface GroupFacts {
  visibility: Visibility;
  /** The owner may open the member list to all members; by default only moderators see it. */
  membersListOpen: boolean;
}

/** The actor and their relation to one group. */
export interface Viewer {
  actor: Actor;
  membership: GroupRole | null;
  /** A join request is waiting (private groups). */
  pendingRequest: boolean;
  /** Banned from this group: they may still read what any member may (public groups), but take part in nothing. */
  banned: boolean;
}

const signedIn = (v: Viewer) => v.actor.kind === 'user';
const isMember = (v: Viewer) => signedIn(v) && v.membership !== null;
const isGroupModerator = (v: Viewer) => v.membership === 'owner' || v.membership === 'moderator';

/** Creating groups: every member today; trust levels will narrow this one rule. */
export function canCreateGroup(actor: Actor): boolean {
  return actor.kind === 'user';
}

/** Seeing that the group exists (directory, search, its page). Hidden groups exist only for their members. */
export function canSeeGroup(v: Viewer, g: GroupFacts): boolean {
  if (!signedIn(v)) return false;
  return g.visibility === 'hidden' ? isMember(v) : true;
}

/** Reading threads and posts. */
export function canReadContent(v: Viewer, g: GroupFacts): boolean {
  if (!signedIn(v)) return false;
  return g.visibility === 'public' ? true : isMember(v);
}

export function canJoinDirectly(v: Viewer, g: GroupFacts): boolean {
  return signedIn(v) && !isMember(v) && g.visibility === 'public';
}

export function canRequestToJoin(v: Viewer, g: GroupFacts): boolean {
  return signedIn(v) && !isMember(v) && !v.pendingRequest && g.visibility === 'private';
}

/**
 * An invite link made by a group's moderators lets its holder in, whatever the visibility: it is the
 * only way into a hidden group, and skips the questions of a private one. The service checks the link.
 */
export function canJoinWithInvite(v: Viewer, _g: GroupFacts): boolean {
  return signedIn(v) && !isMember(v);
}

export function canLeave(v: Viewer): boolean {
  return isMember(v);
}

/** A ban stops all participation: posting, replying, reacting and editing. */
const participates = (v: Viewer) => !v.banned;

export function canPost(v: Viewer): boolean {
  return isMember(v) && participates(v);
}

export function canReact(v: Viewer, g: GroupFacts): boolean {
  return canReadContent(v, g) && participates(v);
}

/** Hide or delete posts, ban from the group, review join requests, make invite links. */
export function canModerate(v: Viewer): boolean {
  return signedIn(v) && isGroupModerator(v);
}

/** Change the group's settings and appoint its moderators. */
export function canManageGroup(v: Viewer): boolean {
  return signedIn(v) && v.membership === 'owner';
}

/** Nobody else can learn who belongs to a group: not from profiles, search, counts or the API. */
export function canSeeMembers(v: Viewer, g: GroupFacts): boolean {
  if (!isMember(v)) return false;
  return isGroupModerator(v) || g.membersListOpen;
}

const isAuthor = (v: Viewer, post: { authorId: string | null }) => v.actor.kind === 'user' && post.authorId !== null && post.authorId === v.actor.id;

/** Authors edit their posts while they are members, and not while banned. */
export function canEditPost(v: Viewer, post: { authorId: string | null }): boolean {
  return isAuthor(v, post) && isMember(v) && participates(v);
}

/**
 * An author may always delete their own post, in any group, after leaving or a ban too: "your
 * posts stay unless you delete them" must stay true. The service lets an author reach their own
 * post for this even where they can no longer read, and shows them nothing else.
 */
export function canDeletePost(v: Viewer, post: { authorId: string | null }): boolean {
  return isAuthor(v, post) || canModerate(v);
}

/**
 * Whether an author's name may be shown. For anonymous posts nobody sees it, not even the
 * group's moderators or the instance's administrators: they moderate the post, not the person.
 */
export function canSeeAuthor(v: Viewer, g: GroupFacts, post: { anonymous: boolean }): boolean {
  return !post.anonymous && canReadContent(v, g);
}
