import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { announceChange } from '../../../realtime/signal.js';
import type { Member } from '../../../security/actor.js';
import { linkRefusal } from '../../trust/public.js';
import { canEditMessage } from '../policy.js';
import { loadReadableChat, nextSeq } from '../queries.js';
import { indexMessage } from '../search.js';
import { readWarning, storedWarning, validateMessage } from './model.js';
import { isOwnMessage } from './own.js';
import { findLiveMessage } from './read.js';

/**
 * Edits the actor's own message (ADR 0065): its words and warning, checked as when it was posted;
 * shown as edited (`edited_at`). It keeps its place in history and takes the chat's next change
 * number, so live clients and those resuming hear of it; its search document is rewritten in the
 * same transaction. A message the actor cannot read answers 404; one they may not edit, 403.
 * A field left out stays as it was.
 */
export async function editMessage(
  ctx: ServiceContext,
  actor: Member,
  messageId: string,
  input: { body?: string; warning?: string | null; warningText?: string | null },
): Promise<{ seq: number; chatId: string }> {
  const row = await findLiveMessage(ctx.db, ctx.now, messageId);
  if (row?.kind !== 'message') throw notFound();
  const { chat, access } = await loadReadableChat(ctx, actor, row.chat_id);
  if (!canEditMessage(actor, access, { mine: isOwnMessage(ctx, actor, row), kind: row.kind })) throw forbidden();
  const before = readWarning(row.warning);
  const keepWarning = input.warning === undefined && input.warningText === undefined;
  const errors: FieldError[] = [];
  const message = validateMessage(
    {
      body: input.body ?? row.body ?? '',
      warning: keepWarning ? (before?.kind ?? null) : (input.warning ?? null),
      warningText: keepWarning ? (before?.text ?? null) : (input.warningText ?? null),
    },
    errors,
  );
  // Only new words meet the link rule: an untouched message of a member who lost a level stays editable.
  if (message.body !== row.body) {
    const linkProblem = linkRefusal(actor, message.body);
    if (linkProblem) errors.push(linkProblem);
  }
  if (errors.length) throw invalid(errors);
  return inTransaction(ctx.db, async (trx) => {
    const seq = await nextSeq(trx, chat.id);
    const { numUpdatedRows } = await trx
      .updateTable('chat_messages')
      .set({ body: message.body, warning: storedWarning(message.warning), edited_at: ctx.now, changed_seq: seq })
      .where('id', '=', messageId)
      // Unsent or expired meanwhile: nothing to edit, and the number goes back with the transaction.
      .where('kind', '=', 'message')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ctx.now)]))
      .executeTakeFirst();
    if (numUpdatedRows === 0n) throw notFound();
    await indexMessage({ db: trx, engine: ctx.engine }, chat, {
      id: messageId,
      body: message.body,
      createdAt: Number(row.created_at),
    });
    announceChange({ db: trx, signals: ctx.signals }, chat.id, seq);
    return { seq, chatId: chat.id };
  });
}
