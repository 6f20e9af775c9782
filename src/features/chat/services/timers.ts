import type { ServiceContext } from '../../../app-context.js';
import { recordAudit } from '../../../db/audit.js';
import { inTransaction } from '../../../db/database.js';
import { forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { announceChange } from '../../../realtime/signal.js';
import type { Member } from '../../../security/actor.js';
import { loadGroup } from '../../groups/public.js';
import { canChooseRoomDefaultTimer, canSetTimer } from '../policy.js';
import { loadReadableChat, nextSeq } from '../queries.js';
import { checkTimer, getChatLimits, insertTimerEvent } from './limits.js';

/**
 * Sets a room's or a conversation's disappearing-message timer (ADR 0062): a room's by those who
 * manage its rooms, a conversation's by any participant. The value is one of `timerChoices` or
 * null (off), and never beyond the instance's maximum. The chat shows the change as an event, a
 * row of kind `timer` that takes the chat's next change number; it applies to messages posted
 * afterwards. Setting the timer it already has changes nothing and adds no event.
 */
export async function setTimer(
  ctx: ServiceContext,
  actor: Member,
  chatId: string,
  seconds: number | null,
): Promise<{ seq: number }> {
  const { chat, access } = await loadReadableChat(ctx, actor, chatId);
  if (!canSetTimer(actor, access)) throw forbidden();
  const limits = await getChatLimits(ctx);
  const errors: FieldError[] = [];
  checkTimer(seconds, limits, errors);
  if (errors.length) throw invalid(errors);
  if (chat.timer_seconds === seconds) return { seq: Number(chat.last_seq) };
  return inTransaction(ctx.db, async (trx) => {
    const seq = await nextSeq(trx, chatId);
    await trx.updateTable('chats').set({ timer_seconds: seconds }).where('id', '=', chatId).execute();
    await insertTimerEvent(trx, { chatId, seconds, seq, now: ctx.now, limits });
    announceChange({ db: trx, signals: ctx.signals }, chatId, seq);
    return { seq };
  });
}

/** The timer new rooms of a group start with, for its owner's form; null: off. */
export async function groupRoomTimer(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
): Promise<{ groupId: string; groupName: string; timer: number | null }> {
  const { group, viewer } = await loadGroup(ctx, actor, groupId);
  // A page only its owner reaches: to anyone else it does not exist.
  if (!canChooseRoomDefaultTimer(actor, { viewer })) throw notFound();
  const row = await ctx.db
    .selectFrom('groups')
    .select('room_timer_seconds')
    .where('id', '=', groupId)
    .executeTakeFirstOrThrow();
  return { groupId: group.id, groupName: group.name, timer: row.room_timer_seconds };
}

/**
 * The group's owner chooses the timer its new rooms start with (ADR 0062); rooms already there
 * keep theirs. Audited in the same transaction.
 */
export async function setGroupRoomTimer(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  seconds: number | null,
): Promise<{ timer: number | null }> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canChooseRoomDefaultTimer(actor, { viewer })) throw forbidden();
  const errors: FieldError[] = [];
  checkTimer(seconds, await getChatLimits(ctx), errors);
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    await trx.updateTable('groups').set({ room_timer_seconds: seconds }).where('id', '=', groupId).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'group.room_timer', subject: groupId, now: ctx.now });
  });
  return { timer: seconds };
}
