import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { recordAudit } from '../../../db/audit.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import type { Member, System } from '../../../security/actor.js';
import { hashHumanCode, newHumanCode, newId } from '../../../security/tokens.js';
import { canJoinWithInvite, canModerateAsGroupModerator } from '../policy.js';
import { findGroup, isBanned, viewerOf, type Group } from '../queries.js';
import { groupLimits, type GroupInvite } from './model.js';
import { addMember } from './internal/membership.js';
import { loadGroup } from './load.js';

export async function createGroupInvite(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { uses?: number | undefined; days?: number | undefined },
): Promise<GroupInvite & { code: string }> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerateAsGroupModerator(viewer)) throw forbidden();
  const uses = input.uses ?? 1;
  const days = input.days ?? 7;
  const errors: FieldError[] = [];
  if (!Number.isInteger(uses) || uses < 1 || uses > groupLimits.inviteUsesMax)
    errors.push({ field: 'uses', message: 'invites.usesRange', values: { max: groupLimits.inviteUsesMax } });
  if (!Number.isInteger(days) || days < 1 || days > groupLimits.inviteDaysMax)
    errors.push({ field: 'days', message: 'invites.daysRange', values: { max: groupLimits.inviteDaysMax } });
  if (errors.length) throw invalid(errors);
  const code = newHumanCode(5);
  const invite = { id: newId(), code, usesLeft: uses, expiresAt: ctx.now + days * 86_400_000 };
  await ctx.db
    .insertInto('group_invites')
    .values({
      id: invite.id,
      group_id: groupId,
      code_hash: hashHumanCode(code),
      uses_left: uses,
      expires_at: invite.expiresAt,
      created_at: ctx.now,
    })
    .execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'group.invite.create', subject: groupId, now: ctx.now });
  return invite;
}

export async function listGroupInvites(ctx: ServiceContext, actor: Member, groupId: string): Promise<GroupInvite[]> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerateAsGroupModerator(viewer)) throw notFound();
  const rows = await ctx.db
    .selectFrom('group_invites')
    .select(['id', 'uses_left', 'expires_at'])
    .where('group_id', '=', groupId)
    .where('uses_left', '>', 0)
    .where('expires_at', '>', ctx.now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, usesLeft: r.uses_left, expiresAt: r.expires_at }));
}

export async function revokeGroupInvite(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  inviteId: string,
): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canModerateAsGroupModerator(viewer)) throw forbidden();
  await ctx.db.deleteFrom('group_invites').where('id', '=', inviteId).where('group_id', '=', groupId).execute();
}

async function findInvite(ctx: ServiceContext, code: string) {
  if (!code || code.length > 100) return undefined;
  return ctx.db
    .selectFrom('group_invites')
    .select(['id', 'group_id'])
    .where('code_hash', '=', hashHumanCode(code))
    .where('uses_left', '>', 0)
    .where('expires_at', '>', ctx.now)
    .executeTakeFirst();
}

/** What an invite link shows before it is accepted: the group's name and description, nothing about its members. */
export async function previewInvite(
  ctx: ServiceContext,
  actor: Member,
  code: string,
): Promise<{ group: Group; member: boolean }> {
  const invite = await findInvite(ctx, code);
  if (!invite) throw notFound();
  const group = (await findGroup(ctx.db, invite.group_id))!;
  const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
  return { group, member: viewer.membership !== null };
}

export async function acceptInvite(ctx: ServiceContext, actor: Member, code: string): Promise<Group> {
  const invite = await findInvite(ctx, code);
  if (!invite) throw notFound();
  const group = (await findGroup(ctx.db, invite.group_id))!;
  const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
  if (viewer.membership) return group;
  if (await isBanned(ctx.db, group.id, actor.id, ctx.keys.anonymity))
    throw new AppError('forbidden', 'groups.join.banned');
  if (!canJoinWithInvite(viewer, group)) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    // One conditional update decides: on PostgreSQL it waits for the row lock of a concurrent use and
    // re-checks `uses_left > 0`, so a last use admits one person (ADR 0032; never read, then write).
    const used = await trx
      .updateTable('group_invites')
      .set((eb) => ({ uses_left: eb('uses_left', '-', 1) }))
      .where('id', '=', invite.id)
      .where('uses_left', '>', 0)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw notFound();
    await trx.deleteFrom('join_requests').where('group_id', '=', group.id).where('user_id', '=', actor.id).execute();
    await addMember(trx, group.id, actor.id, ctx.now, 'invite');
  });
  return group;
}

/** Deletes group invites that are used up or past their time, which joining already refuses (the `groups.expireInvites` job). */
export async function expireGroupInvites(ctx: ServiceContext, _actor: System): Promise<number> {
  const result = await ctx.db
    .deleteFrom('group_invites')
    .where((eb) => eb.or([eb('expires_at', '<=', ctx.now), eb('uses_left', '<=', 0)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
