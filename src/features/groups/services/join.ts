import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { AppError, forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { newId } from '../../../security/tokens.js';
import { recordEvent } from '../../../events/outbox.js';
import { canJoinDirectly, canRequestToJoin } from '../policy.js';
import { groupLimits, type JoinOutcome } from './model.js';
import { clean } from './internal/validate.js';
import { addMember } from './internal/membership.js';
import { loadGroup } from './load.js';

export async function joinGroup(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { answers?: string[] | undefined } = {},
): Promise<JoinOutcome> {
  const { group, viewer, banned } = await loadGroup(ctx, actor, groupId);
  if (viewer.membership) return 'already_member';
  if (banned) throw new AppError('forbidden', 'groups.join.banned');
  if (canJoinDirectly(viewer, group)) {
    await inTransaction(ctx.db, (trx) => addMember(trx, groupId, actor.id, ctx.now, 'open'));
    return 'joined';
  }
  if (viewer.pendingRequest) return 'requested';
  if (!canRequestToJoin(viewer, group)) throw forbidden();
  const answers = (input.answers ?? []).map(clean);
  const errors: FieldError[] = [];
  group.questions.forEach((_, i) => {
    const answer = answers[i] ?? '';
    if (!answer) errors.push({ field: `answer${i}`, message: 'groups.join.answerRequired' });
    else if (answer.length > groupLimits.answerMax)
      errors.push({ field: `answer${i}`, message: 'groups.join.answerLength', values: { max: groupLimits.answerMax } });
  });
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    const requestId = newId();
    const inserted = await trx
      .insertInto('join_requests')
      .values({
        id: requestId,
        group_id: groupId,
        user_id: actor.id,
        answers: JSON.stringify(answers.slice(0, group.questions.length)),
        created_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    await recordEvent(trx, 'join.requested', { groupId, userId: actor.id, requestId }, ctx.now);
  });
  return 'requested';
}

/** Withdraws a waiting request to join. */
export async function withdrawRequest(ctx: ServiceContext, actor: Member, groupId: string): Promise<void> {
  await loadGroup(ctx, actor, groupId);
  await ctx.db.deleteFrom('join_requests').where('group_id', '=', groupId).where('user_id', '=', actor.id).execute();
}
