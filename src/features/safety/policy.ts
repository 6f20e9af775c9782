import type { Actor } from '../../security/actor.js';
import { isInstanceModerator } from '../../security/policy.js';
import { canModerate, canModerateAsGroupModerator, type Viewer } from '../groups/public.js';

/**
 * Who may use the member tools (ADR 0052), as pure functions tested as a matrix
 * (policy.test.ts). Blocking and muting are each member's own: any signed-in member, never
 * themself (the service refuses that as input).
 */

export function canBlockOrMute(actor: Actor): boolean {
  return actor.kind === 'user';
}

/** The instance's watched words: its moderators and administrators. */
export function canManageInstanceWords(actor: Actor): boolean {
  return isInstanceModerator(actor);
}

/**
 * A group's watched words and slow mode (the group's and its threads'): its owner and moderators.
 * Instance moderators do not: the list says what the group talks about, and slow mode arranges its
 * conversation, both the group's own.
 */
export function canManageGroupTools(v: Viewer): boolean {
  return canModerateAsGroupModerator(v);
}

/** Slow mode does not hold back those who moderate the group, instance moderators included. */
export function isExemptFromSlowMode(v: Viewer): boolean {
  return canModerate(v);
}
