import type { ServiceContext } from '../../../app-context.js';
import type { DbOrTx } from '../../../db/database.js';

export interface Participant {
  userId: string;
  username: string;
  state: 'active' | 'requested';
}

/**
 * The people each conversation names, as its participants see it (ADR 0063): those in it, and
 * those who declined it, shown as if still asked, so a decline changes nothing anyone else sees.
 * Accounts hidden by a freeze (ADR 0051) are left out. `state` is for each person's own view:
 * showing others' would tell a sender whether their request was answered.
 */
export async function shownParticipants(db: DbOrTx, chatIds: readonly string[]): Promise<Map<string, Participant[]>> {
  const out = new Map<string, Participant[]>(chatIds.map((id) => [id, []]));
  if (chatIds.length === 0) return out;
  const [inside, declined] = await Promise.all([
    db
      .selectFrom('chat_participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.chat_id', 'u.id', 'u.username', 'p.state'])
      .where('p.chat_id', 'in', chatIds)
      .where('u.frozen_at', 'is', null)
      .execute(),
    db
      .selectFrom('chat_declines as d')
      .innerJoin('users as u', 'u.id', 'd.user_id')
      .select(['d.chat_id', 'u.id', 'u.username'])
      .where('d.chat_id', 'in', chatIds)
      .where('u.frozen_at', 'is', null)
      .execute(),
  ]);
  const rows = [...inside, ...declined.map((r) => ({ ...r, state: 'requested' as const }))];
  // The same order for everyone, whatever happened since: by name.
  rows.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : a.id < b.id ? -1 : 1));
  for (const r of rows) out.get(r.chat_id)?.push({ userId: r.id, username: r.username, state: r.state });
  return out;
}

/** A conversation's participants as they are shown (see `shownParticipants`), the reader left to the caller to leave out. */
export async function participantsOf(ctx: ServiceContext, chatId: string): Promise<Participant[]> {
  return (await shownParticipants(ctx.db, [chatId])).get(chatId) ?? [];
}
