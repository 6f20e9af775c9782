import type { ServiceContext } from '../../../app-context.js';
import { inTransaction, type DbOrTx } from '../../../db/database.js';
import { forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import { announceChange } from '../../../realtime/signal.js';
import type { Member } from '../../../security/actor.js';
import { authorRef, pseudonymCount, pseudonymSeed } from '../../../security/anonymity.js';
import { newId } from '../../../security/tokens.js';
import { recordEvent } from '../../../events/outbox.js';
import { isBlockedBetween } from '../../../security/blocks.js';
import { linkRefusal } from '../../trust/public.js';
import { mentionedChatReaders } from '../mentions.js';
import { indexMessage } from '../search.js';
import { canPostAnonymouslyInChat, canPostInChat } from '../policy.js';
import { loadReadableChat, nextSeq } from '../queries.js';
import type { MessageInput } from '../schemas.js';
import { getChatLimits } from './limits.js';
import { expiryOf, storedWarning, validateMessage } from './model.js';

/** The keyed hash that recognises an anonymous author's messages in one chat, and links nothing across chats. */
export const chatAuthorRef = (keys: { anonymity: Buffer }, chatId: string, userId: string) =>
  authorRef(keys.anonymity, `chat:${chatId}`, userId);

/**
 * Posts a message in a room or a conversation the actor may write in (ADR 0060). A chat they
 * cannot read answers 404; one they read but may not write in, 403. The message takes the chat's
 * next change number and its expiry from the chat's timer and the instance's limits; once the
 * transaction commits, this process's real-time hub is told, and delivers it.
 */
export async function postMessage(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  input: MessageInput,
): Promise<{ messageId: string; seq: number }> {
  const { chat, access } = await loadReadableChat(ctx, actor, chatId);
  if (!canPostInChat(actor, access)) throw forbidden();
  const errors: FieldError[] = [];
  const message = validateMessage(input, errors);
  const anonymous = input.anonymous === true;
  if (anonymous && !canPostAnonymouslyInChat(actor, access))
    errors.push({ field: 'anonymous', message: 'chat.form.anonymousRefused' });
  const linkProblem = linkRefusal(actor, message.body);
  if (linkProblem) errors.push(linkProblem);
  const replyToId = input.replyToId ? await readableReply(ctx, chatId, input.replyToId, errors) : null;
  if (errors.length) throw invalid(errors);
  // Whom it names, before the chat's row is locked (ADR 0065). Not for an anonymous message: a
  // mention that alone failed to arrive would tell the person named that its author is in a block with them.
  const mentioned = await mentionedChatReaders(
    ctx,
    chat,
    message.body,
    anonymous ? null : actor.id,
    (id) => !anonymous && isBlockedBetween(actor, id),
  );
  const limits = await getChatLimits(ctx);
  const messageId = newId();
  return inTransaction(ctx.db, async (trx) => {
    const seq = await nextSeq(trx, chatId);
    const author = anonymous ? await anonymousAuthor(ctx, trx, chatId, actor.id) : null;
    await trx
      .insertInto('chat_messages')
      .values({
        id: messageId,
        chat_id: chatId,
        kind: 'message',
        author_id: anonymous ? null : actor.id,
        anonymous: anonymous ? 1 : 0,
        author_ref: author?.ref ?? null,
        pseudonym: author?.pseudonym ?? null,
        body: message.body,
        warning: storedWarning(message.warning),
        reply_to_id: replyToId,
        timer_seconds: null,
        posted_seq: seq,
        changed_seq: seq,
        created_at: ctx.now,
        edited_at: null,
        expires_at: expiryOf(ctx.now, chat.timer_seconds, limits),
      })
      .execute();
    await trx.updateTable('chats').set({ last_message_at: ctx.now }).where('id', '=', chatId).execute();
    await indexMessage({ db: trx, engine: ctx.engine }, chat, {
      id: messageId,
      body: message.body,
      createdAt: ctx.now,
    });
    await recordEvent(trx, 'chat.message_posted', { chatId, messageId, mentionedUserIds: mentioned }, ctx.now);
    // The author has read their own message; not an anonymous one, or their place in the chat
    // would point at it and name them (ADR 0018): unread counts leave it out by its keyed hash.
    if (!anonymous) await markRead(trx, chatId, actor.id, seq);
    announceChange({ db: trx, signals: ctx.signals }, chatId, seq);
    return { messageId, seq };
  });
}

/** A reply answers a message still there in the same chat. */
async function readableReply(ctx: ServiceContext, chatId: string, id: string, errors: FieldError[]) {
  const row = await ctx.db
    .selectFrom('chat_messages')
    .select('id')
    .where('id', '=', id)
    .where('chat_id', '=', chatId)
    .where('kind', '=', 'message')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ctx.now)]))
    .executeTakeFirst();
  if (!row) errors.push({ field: 'replyToId', message: 'chat.form.replyGone' });
  return row ? id : null;
}

/** One pseudonym per anonymous author and chat, as in a thread (ADR 0018). */
async function anonymousAuthor(ctx: ServiceContext, trx: DbOrTx, chatId: string, userId: string) {
  const ref = chatAuthorRef(ctx.keys, chatId, userId);
  const taken = await trx
    .selectFrom('chat_messages')
    .select(['author_ref', 'pseudonym'])
    .where('chat_id', '=', chatId)
    .where('anonymous', '=', 1)
    .execute();
  const own = taken.find((m) => m.author_ref === ref);
  let pseudonym = own?.pseudonym ?? pseudonymSeed(ref);
  if (!own) {
    const used = new Set(taken.map((m) => m.pseudonym));
    while (used.has(pseudonym)) pseudonym = (pseudonym + 1) % pseudonymCount;
  }
  return { ref, pseudonym };
}

/** Moves the member's place in the chat forward, never back. */
export async function markRead(db: DbOrTx, chatId: string, userId: string, seq: number): Promise<void> {
  await db
    .insertInto('chat_reads')
    .values({ chat_id: chatId, user_id: userId, read_seq: seq })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'chat_id'])
        .doUpdateSet({ read_seq: (eb) => eb.ref('excluded.read_seq') })
        .where('chat_reads.read_seq', '<', seq),
    )
    .execute();
}
