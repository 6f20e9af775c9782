import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { recordModeration } from '../../../platform/moderation.js';
import { notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { recordEvent } from '../../../events/outbox.js';
import type { JoinRequestEntry } from './model.js';
import { addMember } from './internal/membership.js';
import { loadGroupToModerate } from './load.js';

export async function listRequests(ctx: ServiceContext, actor: Member, groupId: string): Promise<JoinRequestEntry[]> {
  const { group } = await loadGroupToModerate(ctx, actor, groupId, notFound);
  const rows = await ctx.db
    .selectFrom('join_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'u.username', 'r.answers', 'r.created_at'])
    .where('r.group_id', '=', groupId)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    questions: group.questions,
    answers: JSON.parse(r.answers) as string[],
    createdAt: r.created_at,
  }));
}

export async function decideRequest(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  requestId: string,
  decision: 'approve' | 'decline',
): Promise<void> {
  await loadGroupToModerate(ctx, actor, groupId);
  await inTransaction(ctx.db, async (trx) => {
    // The delete decides: of concurrent decisions (two approvals, an approval and a decline), only the
    // one that removed the row goes on; on PostgreSQL the others wait for its row lock, then find nothing.
    const request = await trx
      .deleteFrom('join_requests')
      .where('id', '=', requestId)
      .where('group_id', '=', groupId)
      .returning('user_id')
      .executeTakeFirst();
    if (!request) throw notFound();
    if (decision === 'approve') await addMember(trx, groupId, request.user_id, ctx.now, 'approved');
    await recordEvent(
      trx,
      'join.decided',
      { groupId, userId: request.user_id, decision: decision === 'approve' ? 'approved' : 'declined' },
      ctx.now,
    );
    // The member hears of it through `join.decided`; the log row names them only as its target.
    await recordModeration(trx, {
      actorId: actor.id,
      action: `group.request.${decision}`,
      groupId,
      targetType: 'user',
      targetId: request.user_id,
      now: ctx.now,
    });
  });
}
