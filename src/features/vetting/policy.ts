import type { Role } from '../../db/schema.js';
import type { Actor } from '../../security/actor.js';
import { isInstanceModerator, outranks } from '../../security/policy.js';

/** Approval mode's queue: the instance's moderators and administrators read applications and decide. */
export function canDecideApplications(actor: Actor): boolean {
  return isInstanceModerator(actor);
}

/**
 * Freezing an account as a suspected infiltrator or a taken-over account (ADR 0051): the instance's
 * moderators, over accounts they outrank. Group moderators may not: a freeze hides an account across
 * the whole instance, beyond any one group; they report it ("suspected infiltrator") to the queue.
 */
export function canFreezeAccount(actor: Actor, target: { id: string; role: Role }): boolean {
  if (actor.kind !== 'user' || !isInstanceModerator(actor) || actor.id === target.id) return false;
  return outranks({ instanceRole: actor.role, groupRole: null }, { instanceRole: target.role, groupRole: null });
}

/** Reading an account's moderation page (join day, trust, frozen): the instance's moderators. */
export function canReviewAccount(actor: Actor): boolean {
  return isInstanceModerator(actor);
}
