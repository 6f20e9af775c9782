import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';

export interface Unread {
  /** Messages by others posted after the member's place, not expired (up to 100 counted). */
  count: number;
  /** The `position` of the first of them, for "jump to first unread"; null when none. */
  firstUnreadPosition: number | null;
}

/** Stub (the messages part writes it): each chat's unread messages for the member, in a few queries whatever their number. */
export async function unreadCounts(
  _ctx: ServiceContext,
  _actor: Member,
  _chatIds: string[],
): Promise<Map<string, Unread>> {
  return new Map();
}
