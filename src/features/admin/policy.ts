import type { Role } from '../../db/schema.js';
import type { Actor } from '../../security/actor.js';
import { isAdmin } from '../../security/policy.js';

export function canChangeSettings(actor: Actor): boolean {
  return isAdmin(actor);
}

/** Administrators, and the operator's command line (the system actor), which answers to nobody on the instance. */
export function canIssueResetCode(actor: Actor): boolean {
  return isAdmin(actor) || actor.kind === 'system';
}

export function canListUsers(actor: Actor): boolean {
  return isAdmin(actor);
}

/** Administrators set roles, but the last administrator cannot be demoted (checked in the service, under a lock). */
export function canChangeRole(actor: Actor, _target: { id: string; role: Role }): boolean {
  return isAdmin(actor);
}
