import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';

/** Stub (the messages part writes it): edits the actor's own message; shown as edited; takes a new change number. */
export async function editMessage(
  _ctx: ServiceContext,
  _actor: Member,
  _messageId: string,
  _input: { body?: string; warning?: string | null; warningText?: string | null },
): Promise<{ seq: number; chatId: string }> {
  throw new Error('not written yet');
}
