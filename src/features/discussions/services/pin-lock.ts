import type { ServiceContext } from '../../../app-context.js';
import { inTransaction, type DbOrTx } from '../../../db/database.js';
import { lockGroup } from '../../../db/locks.js';
import { recordEvent } from '../../../events/outbox.js';
import { AppError, forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import { recordModeration, settleCases } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { canLockThread, canPinThread } from '../../groups/public.js';
import { threadModerationLimits } from './model.js';
import { loadThreadToModerate } from './internal/load.js';
import { cleanLine } from './internal/validate.js';

/**
 * Pinning and locking threads (ADR 0039). Each takes a short reason, which the moderation log keeps
 * (ADR 0047), in the same transaction as the change; a lock's reason is also shown to every
 * reader of the thread. Asking for the state a thread is already in is refused (409), so two
 * moderators acting at once leave one change and one log row, and neither is misled.
 */
export interface ThreadModerationInput {
  reason?: string | undefined;
}

/** The reason, cleaned as titles are: one line, no direction controls, trimmed. */
function validateReason(reason: string | undefined, errors: FieldError[]): string {
  const clean = cleanLine(reason);
  if (!clean) errors.push({ field: 'reason', message: 'discussions.moderation.reasonRequired' });
  else if (clean.length > threadModerationLimits.reasonMax)
    errors.push({
      field: 'reason',
      message: 'discussions.moderation.reasonLength',
      values: { max: threadModerationLimits.reasonMax },
    });
  return clean;
}

/** Pins a thread to the top of its group's list (`pinned` true) or unpins it. */
export async function setThreadPinned(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: ThreadModerationInput & { pinned: boolean },
): Promise<void> {
  const { thread, group, viewer } = await loadThreadToModerate(ctx, actor, threadId);
  if (!canPinThread(viewer)) throw forbidden();
  const errors: FieldError[] = [];
  const reason = validateReason(input.reason, errors);
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    // Under the group's row lock, so that concurrent pins cannot pass the limit together.
    if (input.pinned) await lockGroup({ db: trx, engine: ctx.engine }, group.id);
    const { numUpdatedRows } = await trx
      .updateTable('threads')
      .set({ pinned_at: input.pinned ? ctx.now : null })
      .where('id', '=', thread.id)
      .where('pinned_at', input.pinned ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (numUpdatedRows === 0n)
      throw new AppError('conflict', input.pinned ? 'discussions.pin.already' : 'discussions.pin.notPinned');
    if (input.pinned) {
      const { count } = await trx
        .selectFrom('threads')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('group_id', '=', group.id)
        .where('pinned_at', 'is not', null)
        .executeTakeFirstOrThrow();
      // Past the limit: the pin goes back with the transaction.
      if (Number(count) > threadModerationLimits.pinnedMax) throw new AppError('conflict', 'discussions.pin.full');
    }
    await recordThreadModeration(
      trx,
      ctx,
      actor,
      { groupId: group.id, threadId: thread.id, reason },
      input.pinned ? ['thread.pin', 'thread.pinned'] : ['thread.unpin', 'thread.unpinned'],
    );
  });
}

/** Locks a thread (`locked` true: readable, no new replies) or opens it again. */
export async function setThreadLocked(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: ThreadModerationInput & { locked: boolean },
): Promise<void> {
  const { thread, group, viewer } = await loadThreadToModerate(ctx, actor, threadId);
  if (!canLockThread(viewer)) throw forbidden();
  const errors: FieldError[] = [];
  const reason = validateReason(input.reason, errors);
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    const { numUpdatedRows } = await trx
      .updateTable('threads')
      .set(input.locked ? { locked_at: ctx.now, lock_reason: reason } : { locked_at: null, lock_reason: null })
      .where('id', '=', thread.id)
      .where('locked_at', input.locked ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (numUpdatedRows === 0n)
      throw new AppError('conflict', input.locked ? 'discussions.lock.already' : 'discussions.lock.notLocked');
    // Locking answers a report about the thread (a pile-on); pinning does not.
    const caseId = input.locked
      ? await settleCases(trx, { targetType: 'thread', targetId: thread.id }, {}, ctx.now)
      : null;
    await recordThreadModeration(
      trx,
      ctx,
      actor,
      { groupId: group.id, threadId: thread.id, reason, caseId },
      input.locked ? ['thread.lock', 'thread.locked'] : ['thread.unlock', 'thread.unlocked'],
    );
  });
}

/** The moderation log's row (with the reason) and the ids-only event, in the action's transaction. */
async function recordThreadModeration(
  trx: DbOrTx,
  ctx: ServiceContext,
  actor: Member,
  target: { groupId: string; threadId: string; reason: string; caseId?: string | null },
  [action, event]: [string, 'thread.pinned' | 'thread.unpinned' | 'thread.locked' | 'thread.unlocked'],
): Promise<void> {
  await recordModeration(trx, {
    actorId: actor.id,
    action,
    groupId: target.groupId,
    targetType: 'thread',
    targetId: target.threadId,
    reason: target.reason,
    caseId: target.caseId ?? null,
    now: ctx.now,
  });
  await recordEvent(trx, event, { groupId: target.groupId, threadId: target.threadId }, ctx.now);
}
