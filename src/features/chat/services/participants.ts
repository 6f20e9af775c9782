import type { ServiceContext } from '../../../app-context.js';

export interface Participant {
  userId: string;
  username: string;
  state: 'active' | 'requested';
}

/** Stub (the conversations part writes it): a conversation's participants, the reader left to the caller to leave out. */
export async function participantsOf(_ctx: ServiceContext, _chatId: string): Promise<Participant[]> {
  return [];
}
