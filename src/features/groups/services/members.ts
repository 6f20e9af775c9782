import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { recordAudit } from '../../../db/audit.js';
import { AppError, forbidden, notFound } from '../../../http/errors.js';
import type { Member } from '../../../security/actor.js';
import { forgetGroupFor } from '../../notifications/service.js';
import { canModerate, canSeeMembers } from '../policy.js';
import type { MemberEntry } from './model.js';
import { loadGroup } from './load.js';
import { banUser } from './bans.js';

export async function listMembers(ctx: ServiceContext, actor: Member, groupId: string): Promise<MemberEntry[]> {
  const { group, viewer } = await loadGroup(ctx, actor, groupId);
  if (!canSeeMembers(viewer, group)) throw notFound();
  const rows = await ctx.db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'm.role', 'm.joined_at'])
    .where('m.group_id', '=', groupId)
    .orderBy((eb) =>
      eb.case().when('m.role', '=', 'owner').then(0).when('m.role', '=', 'moderator').then(1).else(2).end(),
    )
    .orderBy('u.username_key')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, username: r.username, role: r.role, joinedAt: r.joined_at }));
}

/** Moderators remove members (and may ban them); only the owner removes a moderator; nobody removes the owner. */
export async function removeMember(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  userId: string,
  options: { ban: boolean },
): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerate(viewer)) throw forbidden();
  if (userId === actor.id) throw new AppError('conflict', 'groups.members.notYourself');
  const target = await ctx.db
    .selectFrom('group_members')
    .select('role')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!target) throw notFound();
  if (target.role === 'owner' || (target.role === 'moderator' && viewer.membership !== 'owner')) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    await trx.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
    await forgetGroupFor(trx, userId, groupId);
    if (options.ban) await banUser(trx, groupId, userId, ctx.now);
    await recordAudit(trx, {
      actorId: actor.id,
      action: options.ban ? 'group.ban' : 'group.remove',
      subject: groupId,
      now: ctx.now,
    });
  });
}
