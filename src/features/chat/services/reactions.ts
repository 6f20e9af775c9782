import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import { announceChange } from '../../../realtime/signal.js';
import type { Member } from '../../../security/actor.js';
import { isBlockedBetween } from '../../../security/blocks.js';
import { canReactInChat } from '../policy.js';
import { loadReadableChat, nextSeq } from '../queries.js';
import { chatReactionKinds, type ChatReactionKind } from '../schemas.js';
import { findLiveMessage } from './read.js';

const isChatReactionKind = (kind: string): kind is ChatReactionKind =>
  (chatReactionKinds as readonly string[]).includes(kind);

/**
 * Adds (`on`) or takes back the actor's reaction of one kind (ADR 0065), as for posts: counts only
 * are shown, one's own messages too. Saying it twice changes nothing; a change takes the chat's
 * next change number, so live clients receive the new counts. In a block with the message's named
 * author nothing changes, and nothing says why (ADR 0052).
 */
export async function setReaction(
  ctx: ServiceContext,
  actor: Member,
  messageId: string,
  kind: string,
  on: boolean,
): Promise<{ seq: number; chatId: string }> {
  if (!isChatReactionKind(kind)) throw notFound();
  const row = await findLiveMessage(ctx.db, ctx.now, messageId);
  if (row?.kind !== 'message') throw notFound();
  const { chat, access } = await loadReadableChat(ctx, actor, row.chat_id);
  if (!canReactInChat(actor, access)) throw forbidden();
  const unchanged = { seq: Number(row.changed_seq), chatId: chat.id };
  if (isBlockedBetween(actor, row.author_id)) return unchanged;
  return inTransaction(ctx.db, async (trx) => {
    const changed = on
      ? await trx
          .insertInto('chat_reactions')
          .values({ message_id: messageId, user_id: actor.id, kind })
          .onConflict((oc) => oc.columns(['message_id', 'user_id', 'kind']).doNothing())
          .returning('kind')
          .executeTakeFirst()
      : await trx
          .deleteFrom('chat_reactions')
          .where('message_id', '=', messageId)
          .where('user_id', '=', actor.id)
          .where('kind', '=', kind)
          .returning('kind')
          .executeTakeFirst();
    if (!changed) return unchanged;
    const seq = await nextSeq(trx, chat.id);
    const { numUpdatedRows } = await trx
      .updateTable('chat_messages')
      .set({ changed_seq: seq })
      .where('id', '=', messageId)
      .where('kind', '=', 'message')
      .executeTakeFirst();
    // Unsent meanwhile: the reaction goes back with the transaction.
    if (numUpdatedRows === 0n) throw notFound();
    announceChange({ db: trx, signals: ctx.signals }, chat.id, seq);
    return { seq, chatId: chat.id };
  });
}
