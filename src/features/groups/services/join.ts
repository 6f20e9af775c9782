import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { AppError, forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { newId } from '../../../security/tokens.js';
import { notify } from '../../notifications/public.js';
import { canJoinDirectly, canRequestToJoin } from '../policy.js';
import { moderatorIds } from '../queries.js';
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
    await addMember(ctx.db, groupId, actor.id, ctx.now);
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
    const inserted = await trx
      .insertInto('join_requests')
      .values({
        id: newId(),
        group_id: groupId,
        user_id: actor.id,
        answers: JSON.stringify(answers.slice(0, group.questions.length)),
        created_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    await notify(trx, { userIds: await moderatorIds(trx, groupId), kind: 'join_request', groupId, now: ctx.now });
  });
  return 'requested';
}

/** Withdraws a waiting request to join. */
export async function withdrawRequest(ctx: ServiceContext, actor: Member, groupId: string): Promise<void> {
  await loadGroup(ctx, actor, groupId);
  await ctx.db.deleteFrom('join_requests').where('group_id', '=', groupId).where('user_id', '=', actor.id).execute();
}
