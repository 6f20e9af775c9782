import type { TrustLevel } from '../../db/schema.js';
import type { Actor } from '../../security/actor.js';
import { isAdmin, isInstanceModerator, isNewcomer } from '../../security/policy.js';

// Trust levels (ADR 0050) as pure policy inputs. Instance moderators and administrators stand above
// trust: every rule here lets them do what a trusted member may. A member made up outside a request
// carries no level and counts as new.

export const trustLevels: readonly TrustLevel[] = ['new', 'member', 'trusted'];
export function isTrustLevel(value: unknown): value is TrustLevel {
  return (trustLevels as readonly unknown[]).includes(value);
}

/** The level the rules below see: moderators and administrators count as trusted, and anyone else unknown as new. */
export function trustOf(actor: Actor): TrustLevel {
  if (actor.kind !== 'user') return 'new';
  if (isInstanceModerator(actor)) return 'trusted';
  return actor.trust ?? 'new';
}

const trusted = (actor: Actor) => actor.kind === 'user' && trustOf(actor) === 'trusted';

/** New accounts are held to a few threads and replies a day (src/http/content-limits.ts). */
export function isHeldToNewcomerLimits(actor: Actor): boolean {
  return isNewcomer(actor);
}

/** New accounts post no links: the first thing spam and lures need. */
export function mayPostLinks(actor: Actor): boolean {
  return actor.kind === 'user' && !isNewcomer(actor);
}

/** Invites bring people in on the inviter's word: trusted members, moderators and administrators. */
export function canInvite(actor: Actor): boolean {
  return trusted(actor);
}

/**
 * A group gathers people around a promise anyone can make, the easiest trap to set: trusted
 * members create groups, and the instance's moderators and administrators always may.
 */
export function canCreateGroups(actor: Actor): boolean {
  return trusted(actor);
}

/**
 * Private conversations with someone who shares no group with them (chat does not exist yet: the
 * feature that brings it asks this). New accounts may only answer, never open.
 */
export function canStartConversationWithStranger(actor: Actor): boolean {
  return actor.kind === 'user' && !isNewcomer(actor);
}

/** A trusted member (or a moderator) who is not frozen vouches for others. */
export function canVouch(actor: Actor): boolean {
  return trusted(actor) && actor.kind === 'user' && actor.frozen !== true;
}

/** Nobody vouches for themselves. */
export function canVouchFor(actor: Actor, target: { id: string }): boolean {
  return canVouch(actor) && actor.kind === 'user' && actor.id !== target.id;
}

/** A vouch is seen by the two people concerned and by the instance's moderators. */
export function canSeeVouchesOf(actor: Actor, userId: string): boolean {
  return actor.kind === 'user' && (actor.id === userId || isInstanceModerator(actor));
}

/** Instance moderators grant and withdraw levels, and see the trust page. */
export function canSetTrust(actor: Actor): boolean {
  return isInstanceModerator(actor);
}

/** The thresholds are instance settings: administrators change them. */
export function canChangeThresholds(actor: Actor): boolean {
  return isAdmin(actor);
}
