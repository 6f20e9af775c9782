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
  /** Banned from this group by name: they may still read what any signed-in visitor may (public groups), but take part in nothing. */
  banned: boolean;
  /**
   * Banned through one of their anonymous posts (ADR 0018): still listed as a member, so nobody can
   * tell who it was, but taking part no more. Only they and the server know.
   */
  anonymousBan?: boolean;
}

const signedIn = (v: Viewer) => v.actor.kind === 'user';
const isMember = (v: Viewer) => signedIn(v) && v.membership !== null;
/**
 * A ban stops all participation: posting, replying, reacting, editing and moderating. The owner
 * cannot be banned from their own group: an anonymous ban only ends their anonymous posting there.
 */
const isBarred = (v: Viewer) => v.banned || (v.anonymousBan === true && v.membership !== 'owner');
/** A member still taking part: not banned, by name or through an anonymous post. */
const participates = (v: Viewer) => isMember(v) && !isBarred(v);
const isGroupModerator = (v: Viewer) => participates(v) && (v.membership === 'owner' || v.membership === 'moderator');

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
  return g.visibility === 'public' ? true : participates(v);
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

export function canPost(v: Viewer): boolean {
  return participates(v);
}

/** Anonymous posting also ends for an owner banned through one of their anonymous posts. */
export function canPostAnonymously(v: Viewer, g: { anonymousPosting: boolean }): boolean {
  return canPost(v) && g.anonymousPosting && v.anonymousBan !== true;
}

export function canReact(v: Viewer, g: GroupFacts): boolean {
  return canReadContent(v, g) && !isBarred(v);
}

/** Hide or delete posts, ban from the group, review join requests, make invite links. */
export function canModerate(v: Viewer): boolean {
  return signedIn(v) && isGroupModerator(v);
}

/** Change the group's settings and appoint its moderators. */
export function canManageGroup(v: Viewer): boolean {
  return signedIn(v) && v.membership === 'owner';
}

/** Only the member themself is told they were banned through an anonymous post. */
export function isBannedAnonymously(v: Viewer): boolean {
  return isMember(v) && v.anonymousBan === true;
}

/** Nobody else can learn who belongs to a group: not from profiles, search, counts or the API. */
export function canSeeMembers(v: Viewer, g: GroupFacts): boolean {
  if (!participates(v)) return false;
  return isGroupModerator(v) || g.membersListOpen;
}

const isAuthor = (v: Viewer, post: { authorId: string | null }) =>
  v.actor.kind === 'user' && post.authorId !== null && post.authorId === v.actor.id;

/** Authors edit their posts while they are members, and not while banned. */
export function canEditPost(v: Viewer, post: { authorId: string | null }): boolean {
  return isAuthor(v, post) && participates(v);
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
