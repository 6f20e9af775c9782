import type { Actor } from '../../security/actor.js';
import { isAdmin, isInstanceModerator } from '../../security/policy.js';
import { canInvite } from '../trust/public.js';

/** Every invite on the instance, whoever made it: administrators, and the operator's command line. */
export function canManageInvites(actor: Actor): boolean {
  return isAdmin(actor) || actor.kind === 'system';
}

/**
 * Making invites of one's own (ADR 0051): whom trust lets invite (`canInvite`: trusted members,
 * instance moderators and administrators), and the command line. A frozen account makes none; a
 * frozen branch is checked in the service, against the database.
 */
export function canMakeInvites(actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user' || actor.frozen) return false;
  return canInvite(actor);
}

/** Who may make invites without the per-member cap: the instance's moderators, administrators, the command line. */
export function isUncappedInviter(actor: Actor): boolean {
  return isInstanceModerator(actor) || actor.kind === 'system';
}

/**
 * The invite tree says who brought whom in: a map of the community's trust, worth protecting. Only
 * the instance's moderators and administrators see it; group moderators and members never (404).
 */
export function canSeeInviteTree(actor: Actor): boolean {
  return isInstanceModerator(actor);
}

/** Stopping (and restarting) the invites of a whole branch of the tree. */
export function canFreezeBranch(actor: Actor): boolean {
  return isInstanceModerator(actor);
}
