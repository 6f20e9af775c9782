import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { recordModeration, settleCases, type ModerationNote } from '../../../platform/moderation.js';
import { lockGroup } from '../../../db/locks.js';
import { AppError, forbidden, notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { forgetGroupFor } from '../../notifications/public.js';
import { recordEvent } from '../../../events/outbox.js';
import { canChangeMemberRole, canReachModeration, canRemoveMember, canSeeMembers } from '../policy.js';
import { findGroup, viewerOf } from '../queries.js';
import type { MemberEntry } from './model.js';
import { loadGroupToModerate } from './load.js';
import { banUser } from './bans.js';

/**
 * The member list, for those who may see it: the group's moderators, every member when the owner
 * opened it, and instance moderators (hidden groups by id only, ADR 0032). Each row says what the
 * viewer may do to that member, from the policies, so pages compare no roles.
 */
export async function listMembers(ctx: ServiceContext, actor: Member, groupId: string): Promise<MemberEntry[]> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canReachModeration(viewer, group) || !canSeeMembers(viewer, group)) throw notFound();
  const rows = await ctx.db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'm.role', 'm.joined_at', 'u.role as instance_role'])
    .where('m.group_id', '=', groupId)
    .orderBy((eb) =>
      eb.case().when('m.role', '=', 'owner').then(0).when('m.role', '=', 'moderator').then(1).else(2).end(),
    )
    .orderBy('u.username_key')
    .execute();
  return rows.map((r) => {
    const target = { userId: r.user_id, groupRole: r.role, instanceRole: r.instance_role };
    return {
      userId: r.user_id,
      username: r.username,
      role: r.role,
      joinedAt: r.joined_at,
      canRemove: canRemoveMember(viewer, target),
      appointAs: canChangeMemberRole(viewer, target) ? (r.role === 'moderator' ? 'member' : 'moderator') : null,
    };
  });
}

/**
 * Moderators remove members (and may ban them) whom they outrank (src/security/policy.ts): nobody
 * removes the owner, only the owner or instance staff remove a group moderator.
 */
export async function removeMember(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  userId: string,
  options: { ban: boolean } & ModerationNote,
): Promise<void> {
  const { viewer } = await loadGroupToModerate(ctx, actor, groupId);
  if (userId === actor.id) throw new AppError('conflict', 'groups.members.notYourself');
  await inTransaction(ctx.db, async (trx) => {
    // Under the group's lock the target's role is current: an owner leaving at this moment may be
    // handing them the group, and an owner is never removed (ADR 0032).
    await lockGroup({ db: trx, engine: ctx.engine }, groupId);
    const target = await trx
      .selectFrom('group_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.role', 'u.role as instance_role'])
      .where('m.group_id', '=', groupId)
      .where('m.user_id', '=', userId)
      .executeTakeFirst();
    if (!target) throw notFound();
    if (!canRemoveMember(viewer, { userId, groupRole: target.role, instanceRole: target.instance_role }))
      throw forbidden();
    await trx.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
    await forgetGroupFor(trx, userId, groupId);
    if (options.ban) await banUser(trx, groupId, userId, ctx.now);
    const reason = options.ban ? 'banned' : 'removed';
    await recordEvent(trx, 'member.removed', { groupId, userId, reason }, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: options.ban ? 'group.ban' : 'group.remove',
      groupId,
      targetType: 'user',
      targetId: userId,
      targetUserId: userId,
      reason: options.reason ?? null,
      caseId: await settleCases(trx, null, options, ctx.now),
      now: ctx.now,
    });
  });
}

/**
 * Bans someone from a group by name, whether or not they belong to it now (the moderation queue,
 * ADR 0048: a reported account met in the group). The outrank rule applies as for removing them.
 */
export async function banFromGroup(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  userId: string,
  note: ModerationNote = {},
): Promise<void> {
  const { viewer } = await loadGroupToModerate(ctx, actor, groupId);
  if (userId === actor.id) throw new AppError('conflict', 'groups.members.notYourself');
  await inTransaction(ctx.db, async (trx) => {
    await lockGroup({ db: trx, engine: ctx.engine }, groupId);
    const target = await trx
      .selectFrom('users as u')
      .leftJoin('group_members as m', (join) => join.onRef('m.user_id', '=', 'u.id').on('m.group_id', '=', groupId))
      .select(['m.role', 'u.role as instance_role'])
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (!target) throw notFound();
    if (!canRemoveMember(viewer, { userId, groupRole: target.role, instanceRole: target.instance_role }))
      throw forbidden();
    if (target.role) await forgetGroupFor(trx, userId, groupId);
    await banUser(trx, groupId, userId, ctx.now);
    if (target.role) await recordEvent(trx, 'member.removed', { groupId, userId, reason: 'banned' }, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'group.ban',
      groupId,
      targetType: 'user',
      targetId: userId,
      targetUserId: userId,
      reason: note.reason ?? null,
      caseId: await settleCases(trx, null, note, ctx.now),
      now: ctx.now,
    });
  });
}
