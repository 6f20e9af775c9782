import type { Actor } from '../../security/actor.js';
import { isAdmin } from '../../security/policy.js';

/** Invites decide who may join the instance: administrators, and the operator's command line. */
export function canManageInvites(actor: Actor): boolean {
  return isAdmin(actor) || actor.kind === 'system';
}
