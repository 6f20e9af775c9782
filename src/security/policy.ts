import type { GroupRole, Role } from '../db/schema.js';
import type { Actor } from './actor.js';

/**
 * The instance roles, decided here once. Administrators hold every power of instance moderators.
 * Policies everywhere ask these; nothing else compares `role` (test/guards.test.ts).
 */
export function isAdmin(actor: Actor): boolean {
  return actor.kind === 'user' && actor.role === 'admin';
}

/** Instance moderators and administrators: they may act in any group's moderation (ADR 0032). */
export function isInstanceModerator(actor: Actor): boolean {
  return actor.kind === 'user' && (actor.role === 'moderator' || actor.role === 'admin');
}

/**
 * Muted by a moderator (ADR 0048): they read, and post, reply, react and create groups no more. The
 * session carries `mutedUntil` only while the mute lasts, so this pure rule needs no clock.
 */
export function isMuted(actor: Actor): boolean {
  return actor.kind === 'user' && actor.mutedUntil != null;
}

/** Where someone stands in one group: their instance role and their role there, if any. */
export interface Standing {
  instanceRole: Role | null;
  groupRole: GroupRole | null;
}

/**
 * Who outranks whom, written once: owner > administrator > instance moderator > group moderator >
 * member. A person stands at the higher of their group role and their instance role. Only someone
 * standing strictly higher may remove or ban another, so nobody removes the owner, group moderators
 * do not remove each other, and an instance moderator does not remove an administrator.
 */
const ranks = { member: 1, groupModerator: 2, instanceModerator: 3, admin: 4, owner: 5 } as const;

function rankOf(s: Standing): number {
  const group = s.groupRole === 'owner' ? ranks.owner : s.groupRole === 'moderator' ? ranks.groupModerator : 0;
  const instance =
    s.instanceRole === 'admin' ? ranks.admin : s.instanceRole === 'moderator' ? ranks.instanceModerator : 0;
  return Math.max(group, instance, s.groupRole ? ranks.member : 0);
}

export function outranks(actor: Standing, target: Standing): boolean {
  return rankOf(actor) > rankOf(target);
}

/**
 * A route-level policy: a pure function of who is asking. Every route must declare one
 * (the HTTP layer refuses to start otherwise), so access is denied unless a rule allows it.
 * Rules about a particular record live in each feature's policy.ts and run after loading it.
 */
export type RoutePolicy = ((actor: Actor) => boolean) & { readonly policyName: string };

function named(policyName: string, check: (actor: Actor) => boolean): RoutePolicy {
  return Object.assign(check, { policyName });
}

export const policies = {
  /** Public pages and endpoints: anyone, signed in or not. */
  anyone: named('anyone', () => true),
  signedIn: named('signedIn', (actor) => actor.kind === 'user'),
  moderator: named('moderator', isInstanceModerator),
  admin: named('admin', isAdmin),
};

/**
 * A member still at the first trust level (ADR 0050): an account whose level is not known (made
 * outside a request) counts as new. Instance moderators and administrators stand above trust. The
 * trust feature's policies build on this; the HTTP layer's per-account limits read it directly,
 * as a shared layer never imports a feature.
 */
export function isNewcomer(actor: Actor): boolean {
  return actor.kind === 'user' && !isInstanceModerator(actor) && (actor.trust ?? 'new') === 'new';
}
