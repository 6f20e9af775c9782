import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';

/** Stub (the timers part writes it): sets a room's or conversation's timer, shown in the chat as an event. */
export async function setTimer(
  _ctx: ServiceContext,
  _actor: Member,
  _chatId: string,
  _seconds: number | null,
): Promise<{ seq: number }> {
  throw new Error('not written yet');
}
