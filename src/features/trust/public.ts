// What other features may use of trust (ADR 0050): the policies that new accounts are held to, and
// the link check posts go through. Groups ask `canCreateGroups`, invites `canInvite`, a future chat
// `canStartConversationWithStranger`; discussions refuse links with `linkRefusal`.
import type { FieldError } from '../../platform/errors.js';
import type { Actor } from '../../security/actor.js';
import { containsLink } from '../../security/sanitize-html.js';
import { mayPostLinks } from './policy.js';

export {
  canCreateGroups,
  canInvite,
  canStartConversationWithStranger,
  canVouch,
  isHeldToNewcomerLimits,
  mayPostLinks,
  trustOf,
} from './policy.js';

/**
 * The problem to show beside a post's `field` when a new account writes a link (a Markdown link,
 * an autolink or a bare address), or null. The words are kept: the form shows them again.
 */
export function linkRefusal(actor: Actor, text: string, field = 'body'): FieldError | null {
  if (mayPostLinks(actor) || !containsLink(text)) return null;
  return { field, message: 'trust.links.refused' };
}
