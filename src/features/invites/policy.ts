import type { Actor } from '../../security/actor.js';

/** Invites decide who may join the instance: administrators only. */
export function canManageInvites(actor: Actor): boolean {
  return actor.kind === 'user' && actor.role === 'admin';
}
