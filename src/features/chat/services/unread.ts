import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';
import { loadReadableChat } from '../queries.js';
import { chatAuthorRef, markRead } from './post.js';

export interface Unread {
  /** Messages by others posted after the member's place, not expired (up to 100 counted). */
  count: number;
  /** The `position` of the first of them, for "jump to first unread"; null when none. */
  firstUnreadPosition: number | null;
}

/** Counts stop here: "100+" says enough, and the count stays one index range per chat. */
export const unreadCap = 100;

/**
 * Each chat's unread messages for the member (ADR 0065), in one query per 500 chats whatever their
 * number: messages (not events or tombstones) posted after their place (`chat_reads`; none yet:
 * everything), not expired, written by others: neither their own named ones nor their anonymous
 * ones (recognised by the keyed hash), nor those of someone in a block with them or whom they muted,
 * which their pages withhold. Chats without any are left out of the map.
 */
export async function unreadCounts(
  ctx: ServiceContext,
  actor: Member,
  chatIds: string[],
): Promise<Map<string, Unread>> {
  const out = new Map<string, Unread>();
  const ids = [...new Set(chatIds)];
  const hidden = [...new Set([...(actor.blocked ?? []), ...(actor.muted ?? [])])];
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const ownRefs = batch.map((id) => chatAuthorRef(ctx.keys, id, actor.id));
    let query = ctx.db
      .selectFrom('chat_messages as m')
      .leftJoin('chat_reads as r', (join) => join.onRef('r.chat_id', '=', 'm.chat_id').on('r.user_id', '=', actor.id))
      .select((eb) => [
        'm.chat_id',
        eb.fn.countAll<number | string>().as('count'),
        eb.fn.min<number | string>('m.posted_seq').as('first'),
      ])
      .where('m.chat_id', 'in', batch)
      .where('m.kind', '=', 'message')
      .where((eb) => eb.or([eb('m.expires_at', 'is', null), eb('m.expires_at', '>', ctx.now)]))
      .where((eb) => eb.or([eb('r.read_seq', 'is', null), eb('m.posted_seq', '>', eb.ref('r.read_seq'))]))
      .where((eb) => eb.or([eb('m.author_id', 'is', null), eb('m.author_id', '!=', actor.id)]))
      .where((eb) => eb.or([eb('m.author_ref', 'is', null), eb('m.author_ref', 'not in', ownRefs)]));
    if (hidden.length)
      query = query.where((eb) => eb.or([eb('m.author_id', 'is', null), eb('m.author_id', 'not in', hidden)]));
    for (const row of await query.groupBy('m.chat_id').execute()) {
      const count = Math.min(Number(row.count), unreadCap);
      if (count > 0)
        out.set(row.chat_id, { count, firstUnreadPosition: row.first === null ? null : Number(row.first) });
    }
  }
  return out;
}

/**
 * Moves the member's place in a chat they may read up to `upToPosition` (the newest message they
 * were shown), never back and never past the chat's last number. A chat they cannot read: 404.
 */
export async function markChatRead(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  upToPosition: number,
): Promise<void> {
  const { chat } = await loadReadableChat(ctx, actor, chatId);
  const seq = Math.min(Math.floor(upToPosition), Number(chat.last_seq));
  if (seq > 0) await markRead(ctx.db, chatId, actor.id, seq);
}
