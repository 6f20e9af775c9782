import { serviceContext } from '../../src/app-context.js';
import type { ParticipantState } from '../../src/db/schema-chat.js';
import { newId } from '../../src/security/tokens.js';
import type { TestRuntime } from './runtime.js';

/**
 * Chats made straight in the database, for tests of what happens inside them; the rooms' and
 * conversations' own tests make theirs through the API.
 */
export async function createRoomRow(
  rt: TestRuntime,
  options: { groupId?: string | null; name?: string; timerSeconds?: number | null; archived?: boolean } = {},
): Promise<string> {
  const id = newId();
  const now = rt.ctx.now();
  await rt.ctx.db
    .insertInto('chats')
    .values({
      id,
      kind: 'room',
      group_id: options.groupId ?? null,
      name: options.name ?? 'General',
      timer_seconds: options.timerSeconds ?? null,
      last_seq: 0,
      purged_seq: 0,
      archived_at: options.archived ? now : null,
      created_at: now,
      last_message_at: null,
    })
    .execute();
  return id;
}

export async function createConversationRow(
  rt: TestRuntime,
  participants: { userId: string; state?: ParticipantState }[],
  options: { timerSeconds?: number | null } = {},
): Promise<string> {
  const id = newId();
  const ctx = serviceContext(rt.ctx);
  await ctx.db
    .insertInto('chats')
    .values({
      id,
      kind: 'conversation',
      group_id: null,
      name: null,
      timer_seconds: options.timerSeconds === undefined ? 604_800 : options.timerSeconds,
      last_seq: 0,
      purged_seq: 0,
      archived_at: null,
      created_at: ctx.now,
      last_message_at: null,
    })
    .execute();
  await ctx.db
    .insertInto('chat_participants')
    .values(
      participants.map((p) => ({ chat_id: id, user_id: p.userId, state: p.state ?? 'active', joined_at: ctx.now })),
    )
    .execute();
  return id;
}
