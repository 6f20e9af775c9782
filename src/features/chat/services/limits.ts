import type { ExpressionBuilder } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import type { Database } from '../../../db/schema.js';
import { recordAudit } from '../../../db/audit.js';
import { inTransaction } from '../../../db/database.js';
import { forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import { announceChange } from '../../../realtime/signal.js';
import type { Member } from '../../../security/actor.js';
import { isAdmin } from '../../../security/policy.js';
import { newId } from '../../../security/tokens.js';
import { nextSeq } from '../queries.js';
import { timerChoices } from '../schemas.js';
import { expiryOf, type ChatLimits } from './model.js';

export const chatLimitsKey = 'chat_limits';

/** The longest retention an administrator may set: ten years. */
export const retentionDaysMax = 3_650;

const dayMs = 86_400_000;

/** The instance's chat limits (`settings` row `chat_limits`, JSON); none by default. */
export async function getChatLimits(ctx: Pick<ServiceContext, 'db'>): Promise<ChatLimits> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', chatLimitsKey).executeTakeFirst();
  if (!row) return { maxTimerSeconds: null, retentionDays: null };
  try {
    const parsed = JSON.parse(row.value) as Partial<ChatLimits>;
    const positive = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null);
    return { maxTimerSeconds: positive(parsed.maxTimerSeconds), retentionDays: positive(parsed.retentionDays) };
  } catch {
    return { maxTimerSeconds: null, retentionDays: null };
  }
}

/**
 * A timer a chat (or a group's new rooms) may take: one of the choices, or off, and never beyond the
 * instance's maximum (off is beyond any maximum). Problems go under `field`.
 */
export function checkTimer(seconds: number | null, limits: ChatLimits, errors: FieldError[], field = 'timer'): void {
  if (seconds !== null && !(timerChoices as readonly number[]).includes(seconds))
    errors.push({ field, message: 'chat.timers.unknown' });
  else if (limits.maxTimerSeconds !== null && (seconds === null || seconds > limits.maxTimerSeconds))
    errors.push({ field, message: 'chat.timers.beyondMax' });
}

/** How long any message may live under the limits, in milliseconds; null: no limit. */
export function longestLifeMs(limits: ChatLimits): number | null {
  const spans = [
    limits.maxTimerSeconds === null ? null : limits.maxTimerSeconds * 1000,
    limits.retentionDays === null ? null : limits.retentionDays * dayMs,
  ].filter((ms): ms is number => ms !== null);
  return spans.length ? Math.min(...spans) : null;
}

/** Messages and events that would live longer than `lifeMs` after they were posted. */
const outlives = (lifeMs: number) => (eb: ExpressionBuilder<Database, 'chat_messages'>) =>
  eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', eb('created_at', '+', lifeMs))]);

/**
 * Administrators set the instance's longest timer and its retention (ADR 0062). Saved with its
 * audit row in one transaction; then every chat is brought within them, one chat per transaction:
 * a timer longer than the maximum (or off) comes down to it, with a timer event, and messages that
 * would outlive the limits have their expiry shortened to `created_at` + the limit (never
 * lengthened), taking the chat's next change number so open pages hear of it.
 */
export async function setChatLimits(
  ctx: ServiceContext,
  actor: Member,
  input: { maxTimerSeconds: number | null; retentionDays: number | null },
): Promise<ChatLimits> {
  if (!isAdmin(actor)) throw forbidden();
  const errors: FieldError[] = [];
  const max = input.maxTimerSeconds;
  if (max !== null && !(timerChoices as readonly number[]).includes(max))
    errors.push({ field: 'maxTimerSeconds', message: 'chat.timers.unknown' });
  const days = input.retentionDays;
  if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= retentionDaysMax))
    errors.push({ field: 'retentionDays', message: 'chat.timers.retentionRange', values: { max: retentionDaysMax } });
  if (errors.length) throw invalid(errors);
  const limits: ChatLimits = { maxTimerSeconds: max, retentionDays: days };
  const value = JSON.stringify(limits);
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: chatLimitsKey, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    await recordAudit(trx, { actorId: actor.id, action: 'settings.chat_limits', now: ctx.now });
  });
  await bringChatsWithin(ctx, limits);
  return limits;
}

/**
 * Holds every chat to the limits: see `setChatLimits`. Idempotent, so saving the same limits again
 * finishes what an interrupted run left.
 */
export async function bringChatsWithin(ctx: ServiceContext, limits: ChatLimits): Promise<number> {
  const max = limits.maxTimerSeconds;
  const lifeMs = longestLifeMs(limits);
  if (max !== null)
    await ctx.db
      .updateTable('groups')
      .set({ room_timer_seconds: max })
      .where((eb) => eb.or([eb('room_timer_seconds', 'is', null), eb('room_timer_seconds', '>', max)]))
      .execute();
  const chatIds = new Set<string>();
  if (max !== null) {
    const rows = await ctx.db
      .selectFrom('chats')
      .select('id')
      .where((eb) => eb.or([eb('timer_seconds', 'is', null), eb('timer_seconds', '>', max)]))
      .execute();
    for (const r of rows) chatIds.add(r.id);
  }
  if (lifeMs !== null) {
    const rows = await ctx.db
      .selectFrom('chat_messages')
      .select('chat_id')
      .distinct()
      .where('kind', '!=', 'unsent')
      .where(outlives(lifeMs))
      .execute();
    for (const r of rows) chatIds.add(r.chat_id);
  }
  let changed = 0;
  for (const chatId of chatIds) if (await bringChatWithin(ctx, chatId, limits, lifeMs)) changed++;
  return changed;
}

async function bringChatWithin(
  ctx: ServiceContext,
  chatId: string,
  limits: ChatLimits,
  lifeMs: number | null,
): Promise<boolean> {
  const max = limits.maxTimerSeconds;
  return inTransaction(ctx.db, async (trx) => {
    const chat = await trx.selectFrom('chats').select('timer_seconds').where('id', '=', chatId).executeTakeFirst();
    if (!chat) return false;
    const lowerTimer = max !== null && (chat.timer_seconds === null || chat.timer_seconds > max);
    const outliving =
      lifeMs === null
        ? null
        : await trx
            .selectFrom('chat_messages')
            .select('id')
            .where('chat_id', '=', chatId)
            .where('kind', '!=', 'unsent')
            .where(outlives(lifeMs))
            .limit(1)
            .executeTakeFirst();
    if (!lowerTimer && !outliving) return false;
    const seq = await nextSeq(trx, chatId);
    if (lowerTimer) {
      await trx.updateTable('chats').set({ timer_seconds: max }).where('id', '=', chatId).execute();
      await insertTimerEvent(trx, { chatId, seconds: max, seq, now: ctx.now, limits });
    }
    if (outliving && lifeMs !== null)
      // Several messages may take this one change number: a client resuming reads them all.
      await trx
        .updateTable('chat_messages')
        .set((eb) => ({ expires_at: eb('created_at', '+', lifeMs), changed_seq: seq }))
        .where('chat_id', '=', chatId)
        .where('kind', '!=', 'unsent')
        .where(outlives(lifeMs))
        .execute();
    announceChange({ db: trx, signals: ctx.signals }, chatId, seq);
    return true;
  });
}

/**
 * A timer event: a row of kind `timer` holding the new timer, no author and no words, taking the
 * chat's change number `seq`. It disappears as a message posted at the same moment would.
 */
export async function insertTimerEvent(
  trx: ServiceContext['db'],
  event: { chatId: string; seconds: number | null; seq: number; now: number; limits: ChatLimits },
): Promise<string> {
  const id = newId();
  await trx
    .insertInto('chat_messages')
    .values({
      id,
      chat_id: event.chatId,
      kind: 'timer',
      author_id: null,
      anonymous: 0,
      author_ref: null,
      pseudonym: null,
      body: null,
      warning: null,
      reply_to_id: null,
      timer_seconds: event.seconds,
      posted_seq: event.seq,
      changed_seq: event.seq,
      created_at: event.now,
      edited_at: null,
      expires_at: expiryOf(event.now, event.seconds, event.limits),
    })
    .execute();
  return id;
}
