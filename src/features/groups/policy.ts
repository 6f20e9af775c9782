import type { Actor } from '../../security/actor.js';
import type { GroupRole, Role, Visibility } from '../../db/schema.js';
import { canCreateGroups } from '../trust/public.js';
import { isInstanceModerator, isMuted, outranks, type Standing } from '../../security/policy.js';

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
/**
 * Instance moderators (and administrators) act in every group's moderation, whether or not they
 * belong to it, but read its content only as anyone else would (ADR 0032).
 */
const isStaff = (v: Viewer) => isInstanceModerator(v.actor);

/** Creating groups: trusted members, instance moderators and administrators (ADR 0050). */
export function canCreateGroup(actor: Actor): boolean {
  return actor.kind === 'user' && canCreateGroups(actor) && !isMuted(actor);
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

/** Watching a group or a thread (being told of new posts) is for its members. */
export function canWatch(v: Viewer): boolean {
  return isMember(v);
}

/** Posting and replying: members taking part, and not muted by a moderator (ADR 0048). */
export function canPost(v: Viewer): boolean {
  return participates(v) && !isMuted(v.actor);
}

/** Anonymous posting also ends for an owner banned through one of their anonymous posts. */
export function canPostAnonymously(v: Viewer, g: { anonymousPosting: boolean }): boolean {
  return canPost(v) && g.anonymousPosting && v.anonymousBan !== true;
}

export function canReact(v: Viewer, g: GroupFacts): boolean {
  return canReadContent(v, g) && !isBarred(v) && !isMuted(v.actor);
}

/**
 * The moderation every moderator may do: hide posts, remove and ban members (whom they outrank),
 * lift bans, decide join requests. The group's own moderators and the instance's moderators.
 */
export function canModerate(v: Viewer): boolean {
  return (signedIn(v) && isGroupModerator(v)) || isStaff(v);
}

/**
 * What only the group's own moderators do: make and revoke invite links (a link would let an
 * instance moderator into a hidden group's content) and delete posts outright.
 */
export function canModerateAsGroupModerator(v: Viewer): boolean {
  return signedIn(v) && isGroupModerator(v);
}

/**
 * Reaching a group's moderation pages by its id. Hidden groups exist for instance moderators only
 * there: never in the directory, search or the group's own page (ADR 0032 lists what they see).
 */
export function canReachModeration(v: Viewer, g: GroupFacts): boolean {
  return canSeeGroup(v, g) || isStaff(v);
}

/** Where the viewer stands in the group for the outrank rule (src/security/policy.ts). */
function standingOf(v: Viewer): Standing {
  return {
    instanceRole: v.actor.kind === 'user' ? v.actor.role : null,
    groupRole: participates(v) ? v.membership : null,
  };
}

/** The person acted on: their role in the group (null once they left) and on the instance. */
export interface Target {
  userId: string;
  groupRole: GroupRole | null;
  instanceRole: Role;
}

/** Removing or banning someone: a moderator who outranks them, never oneself. */
export function canRemoveMember(v: Viewer, target: Target): boolean {
  if (!canModerate(v) || v.actor.kind !== 'user' || v.actor.id === target.userId) return false;
  return outranks(standingOf(v), target);
}

/** The owner appoints and dismisses the group's moderators; nobody changes the owner's role. */
export function canChangeMemberRole(v: Viewer, target: Target): boolean {
  if (!canManageGroup(v) || v.actor.kind !== 'user' || v.actor.id === target.userId) return false;
  return target.groupRole !== null && target.groupRole !== 'owner';
}

/** Change the group's settings and appoint its moderators. */
export function canManageGroup(v: Viewer): boolean {
  return signedIn(v) && v.membership === 'owner';
}

/** Only the member themself is told they were banned through an anonymous post. */
export function isBannedAnonymously(v: Viewer): boolean {
  return isMember(v) && v.anonymousBan === true;
}

/**
 * The member list: the group's moderators, its members when the owner opened it, and the instance's
 * moderators (ADR 0032). Nobody else can learn who belongs to a group: not from profiles, search,
 * counts or the API.
 */
export function canSeeMembers(v: Viewer, g: GroupFacts): boolean {
  if (isStaff(v)) return true;
  if (!participates(v)) return false;
  return isGroupModerator(v) || g.membersListOpen;
}

const isAuthor = (v: Viewer, post: { authorId: string | null }) =>
  v.actor.kind === 'user' && post.authorId !== null && post.authorId === v.actor.id;

/**
 * Authors edit their posts while they are members, and not while banned. In a locked thread only
 * those who may unlock it still edit theirs (a pinned, locked rules thread stays up to date); the
 * others' words stand as they were when it was locked (ADR 0039).
 */
export function canEditPost(v: Viewer, post: { authorId: string | null; threadLocked: boolean }): boolean {
  // Not while muted: rewriting an old post would be posting again (ADR 0048).
  return isAuthor(v, post) && participates(v) && !isMuted(v.actor) && (!post.threadLocked || canLockThread(v));
}

/**
 * Pinning a thread to the top of the group's list (and unpinning it): the group's own moderators,
 * since it arranges their group's page; instance moderators do not (ADR 0039).
 */
export function canPinThread(v: Viewer): boolean {
  return canModerateAsGroupModerator(v);
}

/**
 * Locking a thread (readable, no new replies) and unlocking it: every moderator of the group,
 * instance moderators too, as for hiding a post: it stops a pile-on (ADR 0039).
 */
export function canLockThread(v: Viewer): boolean {
  return canModerate(v);
}

/** Replying in a thread: members taking part; in a locked thread, only those who may unlock it. */
export function canReply(v: Viewer, thread: { locked: boolean }): boolean {
  return canPost(v) && (!thread.locked || canLockThread(v));
}

/**
 * An author may always delete their own post, in any group, after leaving or a ban too: "your
 * posts stay unless you delete them" must stay true. The service lets an author reach their own
 * post for this even where they can no longer read, and shows them nothing else.
 */
export function canDeletePost(v: Viewer, post: { authorId: string | null }): boolean {
  return isAuthor(v, post) || canModerateAsGroupModerator(v);
}

/** Hiding (and showing again) a post: any moderator, instance moderators included, even unable to read it. */
export function canHidePost(v: Viewer): boolean {
  return canModerate(v);
}

/**
 * What a page or API answer about one group may offer the viewer, computed here so that routes and
 * views never look at roles or memberships themselves (a guard test forbids it).
 */
export interface GroupAbilities {
  /** The viewer's role in the group, to say so on the page; null when not a member. */
  role: GroupRole | null;
  readContent: boolean;
  join: boolean;
  requestToJoin: boolean;
  withdrawRequest: boolean;
  leave: boolean;
  watch: boolean;
  post: boolean;
  postAnonymously: boolean;
  react: boolean;
  seeMembers: boolean;
  moderate: boolean;
  /** Only a private group takes requests. */
  reviewRequests: boolean;
  makeInviteLinks: boolean;
  manage: boolean;
  bannedAnonymously: boolean;
  pinThreads: boolean;
  lockThreads: boolean;
}

export function abilitiesFor(v: Viewer, g: GroupFacts & { anonymousPosting: boolean }): GroupAbilities {
  return {
    role: isMember(v) ? v.membership : null,
    readContent: canReadContent(v, g),
    join: canJoinDirectly(v, g),
    requestToJoin: canRequestToJoin(v, g),
    withdrawRequest: signedIn(v) && !isMember(v) && v.pendingRequest,
    leave: canLeave(v),
    watch: canWatch(v),
    post: canPost(v),
    postAnonymously: canPostAnonymously(v, g),
    react: canReact(v, g),
    seeMembers: canSeeMembers(v, g),
    moderate: canModerate(v),
    reviewRequests: canModerate(v) && g.visibility === 'private',
    makeInviteLinks: canModerateAsGroupModerator(v),
    manage: canManageGroup(v),
    bannedAnonymously: isBannedAnonymously(v),
    pinThreads: canPinThread(v),
    lockThreads: canLockThread(v),
  };
}
