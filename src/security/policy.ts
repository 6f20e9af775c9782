import type { Actor } from './actor.js';

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
  moderator: named(
    'moderator',
    (actor) => actor.kind === 'user' && (actor.role === 'moderator' || actor.role === 'admin'),
  ),
  admin: named('admin', (actor) => actor.kind === 'user' && actor.role === 'admin'),
};
