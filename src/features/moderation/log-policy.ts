import type { Actor } from '../../security/actor.js';
import { isAdmin, isInstanceModerator } from '../../security/policy.js';
import { canModerate, canReadContent, type Viewer } from '../groups/public.js';

/**
 * Who may read the moderation log, see who acted, appeal, decide appeals and reveal an anonymous
 * author (ADR 0049): pure functions of the facts, tested as a matrix (log-policy.test.ts). Services
 * load the facts, call these, and answer a denied read exactly like a missing record.
 */

type GroupFacts = Parameters<typeof canReadContent>[1];

/** A moderator of this group by their place in it (owner or moderator, still taking part). */
function isGroupModerator(v: Viewer): boolean {
  return canModerate({ ...v, actor: v.actor.kind === 'user' ? { ...v.actor, role: 'member' } : v.actor });
}

/**
 * A group's log: its members who may read its content, its moderators, and the instance's
 * moderators (who moderate every group, ADR 0032). Visitors and other members: not at all.
 */
export function canReadGroupLog(v: Viewer, g: GroupFacts): boolean {
  if (canModerate(v)) return true;
  return v.membership !== null && canReadContent(v, g);
}

/** The instance's own rows (no group): instance moderators and administrators. */
export function canReadInstanceLog(actor: Actor): boolean {
  return isInstanceModerator(actor);
}

/**
 * Whether a reader sees who acted on a row. Moderators are exposed to harassment too, so members
 * never do. Instance moderators and administrators always do. A group's own moderators see the
 * names of their fellow group moderators (they share the work and must know whom an appeal may go
 * to), never an instance moderator's. `v` is null for an instance row.
 */
export function canSeeModeratorName(actor: Actor, v: Viewer | null, row: { actorModeratesGroup: boolean }): boolean {
  if (isInstanceModerator(actor)) return true;
  if (!v) return false;
  return isGroupModerator(v) && row.actorModeratesGroup;
}

/** Whom a row names as its target account (a warned, muted, suspended member): those who see names. */
export function canSeeTargetName(actor: Actor, v: Viewer | null): boolean {
  if (isInstanceModerator(actor)) return true;
  return v !== null && isGroupModerator(v);
}

/** Actions that take nothing away: undoing, dismissing, answering an appeal, revealing. */
const notAppealable = /^(appeal|reveal)\.|\.(dismiss|unhide|unlock|unpin|unmute|unsuspend|unban|unfreeze|lift|grant)$/;

/** A row a member may appeal: something done to them by someone else. */
export function isAppealable(row: { action: string; actorId: string | null; targetUserId: string | null }): boolean {
  if (row.targetUserId === null || notAppealable.test(row.action)) return false;
  return row.actorId !== row.targetUserId;
}

/** Only the member the row was about appeals it (once: the database's unique index). */
export function canAppeal(
  actor: Actor,
  row: { action: string; actorId: string | null; targetUserId: string | null },
): boolean {
  return actor.kind === 'user' && row.targetUserId === actor.id && isAppealable(row);
}

/**
 * Seeing an appeal in the queue: the moderators of the row's group (group moderators and the
 * instance's), and for instance rows the instance's moderators. `v` is null for an instance row.
 */
export function canReviewAppeal(actor: Actor, v: Viewer | null): boolean {
  if (isInstanceModerator(actor)) return true;
  return v !== null && canModerate(v);
}

/**
 * Deciding it: a reviewer who is neither the moderator who acted nor the member who appeals. An
 * action by Sanad itself (no actor) may be decided by any reviewer.
 */
export function canDecideAppeal(
  actor: Actor,
  v: Viewer | null,
  row: { actorId: string | null; appellantId: string },
): boolean {
  if (actor.kind !== 'user' || !canReviewAppeal(actor, v)) return false;
  return actor.id !== row.actorId && actor.id !== row.appellantId;
}

/** Asking to reveal who wrote an anonymous post: instance administrators only, with a reason. */
export function canRequestReveal(actor: Actor): boolean {
  return isAdmin(actor);
}

/** Approving or declining: another administrator or an instance moderator, never the requester. */
export function canDecideReveal(actor: Actor, request: { requesterId: string }): boolean {
  return actor.kind === 'user' && isInstanceModerator(actor) && actor.id !== request.requesterId;
}

/** Seeing a request and its state: the instance's moderators and administrators. */
export function canSeeReveal(actor: Actor): boolean {
  return isInstanceModerator(actor);
}

/** Being shown the author: the requester alone, still an administrator, once approved, and only once. */
export function canBeShownAuthor(
  actor: Actor,
  request: { requesterId: string; status: string; shownAt: number | null },
): boolean {
  return (
    isAdmin(actor) &&
    actor.kind === 'user' &&
    actor.id === request.requesterId &&
    request.status === 'approved' &&
    request.shownAt === null
  );
}
