import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';

/** Stub (the messages part writes it): the author or a moderator removes a message for everyone, words and all. */
export async function unsendMessage(
  _ctx: ServiceContext,
  _actor: Member,
  _messageId: string,
): Promise<{ seq: number; chatId: string }> {
  throw new Error('not written yet');
}
