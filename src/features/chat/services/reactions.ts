import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';

/** Stub (the messages part writes it): adds (`on`) or takes back the actor's reaction of a kind; counts only are shown. */
export async function setReaction(
  _ctx: ServiceContext,
  _actor: Member,
  _messageId: string,
  _kind: string,
  _on: boolean,
): Promise<{ seq: number; chatId: string }> {
  throw new Error('not written yet');
}
