import type { Role } from '../../db/schema.js';
import type { Actor } from '../../security/actor.js';

const isAdmin = (actor: Actor) => actor.kind === 'user' && actor.role === 'admin';

export function canChangeSettings(actor: Actor): boolean {
  return isAdmin(actor);
}

export function canIssueResetCode(actor: Actor): boolean {
  return isAdmin(actor);
}

export function canListUsers(actor: Actor): boolean {
  return isAdmin(actor);
}

/** Administrators set roles, but the last administrator cannot be demoted (checked in the service). */
export function canChangeRole(actor: Actor, _target: { id: string; role: Role }): boolean {
  return isAdmin(actor);
}
