import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, inTransaction } from '../../../db/database.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import { recordModeration, settleCases, type ModerationNote } from '../../../platform/moderation.js';
import { announceChange } from '../../../realtime/signal.js';
import type { Member } from '../../../security/actor.js';
import { forgetNotificationsAbout } from '../../notifications/public.js';
import { canModerateChat, canReadChat, canUnsendMessage } from '../policy.js';
import { loadReadableChat, nextSeq } from '../queries.js';
import { unindexMessages } from '../search.js';
import { isOwnMessage } from './own.js';
import { findLiveMessage } from './read.js';

/**
 * Unsends a message for everyone (ADR 0065): its author, or a room's moderator (the group's, and
 * the instance's in every room, reached by the message's id). In one transaction the message
 * becomes a tombstone without words, warning, author or reply, its reactions and its search
 * document go, and so do the notifications about it; it takes the chat's next change number so
 * live clients remove it. A moderator's unsend of someone else's message is logged (and settles a
 * case about it) in the same transaction. After the commit SQLite's write-ahead log is checkpointed,
 * so the words leave the database files too (ADR 0021).
 */
export async function unsendMessage(
  ctx: ServiceContext,
  actor: Member,
  messageId: string,
  note: ModerationNote = {},
): Promise<{ seq: number; chatId: string }> {
  const row = await findLiveMessage(ctx.db, ctx.now, messageId);
  if (row?.kind !== 'message') throw notFound();
  const mine = isOwnMessage(ctx, actor, row);
  const { chat, access } = await loadReadableChat(
    ctx,
    actor,
    row.chat_id,
    (loaded) => canReadChat(actor, loaded.access) || canModerateChat(actor, loaded.access),
  );
  if (!canUnsendMessage(actor, access, { mine, kind: row.kind })) throw forbidden();
  const result = await inTransaction(ctx.db, async (trx) => {
    const seq = await nextSeq(trx, chat.id);
    const { numUpdatedRows } = await trx
      .updateTable('chat_messages')
      .set({
        kind: 'unsent',
        body: null,
        warning: null,
        author_id: null,
        anonymous: 0,
        author_ref: null,
        pseudonym: null,
        reply_to_id: null,
        edited_at: null,
        changed_seq: seq,
      })
      .where('id', '=', messageId)
      .where('kind', '=', 'message')
      .executeTakeFirst();
    // Unsent by someone else meanwhile: nothing left to do, and the number goes back.
    if (numUpdatedRows === 0n) throw notFound();
    await trx.deleteFrom('chat_reactions').where('message_id', '=', messageId).execute();
    await unindexMessages({ db: trx, engine: ctx.engine }, [messageId]);
    await forgetNotificationsAbout(trx, [messageId]);
    if (!mine) {
      const target = { targetType: 'message' as const, targetId: messageId };
      const caseId = await settleCases(trx, target, note, ctx.now);
      await recordModeration(trx, {
        actorId: actor.id,
        action: 'message.unsend',
        groupId: chat.group_id,
        ...target,
        // Never an anonymous message's author (ADR 0018).
        targetUserId: row.anonymous === 1 ? null : row.author_id,
        reason: note.reason ?? null,
        detail: { chatId: chat.id },
        caseId,
        now: ctx.now,
      });
    }
    announceChange({ db: trx, signals: ctx.signals }, chat.id, seq);
    return { seq, chatId: chat.id };
  });
  await checkpointAfterErasure(ctx);
  return result;
}
