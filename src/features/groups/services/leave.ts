import type { ServiceContext } from '../../../app-context.js';
import { forgetAuditReasons } from '../../../db/audit.js';
import { forgetModerationReasons } from '../../../platform/moderation.js';
import { inTransaction } from '../../../db/database.js';
import { lockGroup } from '../../../db/locks.js';
import { notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { removeDocument } from '../../../search/service.js';
import { forgetGroupFor, forgetGroupNotifications } from '../../notifications/public.js';
import { recordEvent } from '../../../events/outbox.js';
import { canLeave } from '../policy.js';
import { loadGroup } from './load.js';

/**
 * Leaving takes effect at once. An owner who leaves hands the group to the longest-serving
 * moderator, or else the longest-standing member; a group nobody is left in is deleted.
 */
export async function leaveGroup(ctx: ServiceContext, actor: Member, groupId: string): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canLeave(viewer)) throw notFound();
  await inTransaction(ctx.db, (trx) => departGroup({ ...ctx, db: trx }, actor.id, groupId));
}

/** For a deleted account: leaves every group the way leaving one does, so no group is left without an owner. */
export async function leaveAllGroups(ctx: ServiceContext, userId: string): Promise<void> {
  const memberships = await ctx.db
    .selectFrom('group_members')
    .select('group_id')
    .where('user_id', '=', userId)
    .execute();
  for (const m of memberships) await departGroup(ctx, userId, m.group_id);
}

/**
 * Runs inside a transaction. The group's row is locked first and the leaver's role read under it:
 * an owner and the moderator they hand over to, leaving at once, would otherwise leave the group
 * with no owner (the moderator leaving as the moderator they were a moment before). ADR 0032.
 */
async function departGroup(ctx: ServiceContext, userId: string, groupId: string): Promise<void> {
  const trx = ctx.db;
  if (!(await lockGroup(ctx, groupId))) return;
  const role = (
    await trx
      .selectFrom('group_members')
      .select('role')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
  )?.role;
  if (!role) return;
  await trx.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
  await forgetGroupFor(trx, userId, groupId);
  await recordEvent(trx, 'member.removed', { groupId, userId, reason: 'left' }, ctx.now);
  if (role !== 'owner') return;
  const successor = await trx
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .orderBy((eb) => eb.case().when('role', '=', 'moderator').then(0).else(1).end())
    .orderBy('joined_at')
    .orderBy('user_id')
    .executeTakeFirst();
  if (successor) {
    await trx
      .updateTable('group_members')
      .set({ role: 'owner' })
      .where('group_id', '=', groupId)
      .where('user_id', '=', successor.user_id)
      .execute();
  } else {
    await deleteGroupContent(ctx, groupId);
    await forgetGroupNotifications(trx, groupId);
    // Its moderators' reasons (pinning, locking: ADR 0039) go with its words; the audit rows stay.
    await forgetAuditReasons(trx, { subject: groupId });
    await forgetModerationReasons(trx, { groupId });
    await trx.deleteFrom('groups').where('id', '=', groupId).execute();
  }
}

/** Removes a group's documents from the search index before its rows go. */
async function deleteGroupContent(ctx: ServiceContext, groupId: string): Promise<void> {
  const { db } = ctx;
  const search = ctx;
  const posts = await db.selectFrom('posts').select('id').where('group_id', '=', groupId).execute();
  for (const post of posts) await removeDocument(search, 'post', post.id);
  const threads = await db.selectFrom('threads').select('id').where('group_id', '=', groupId).execute();
  for (const thread of threads) await removeDocument(search, 'thread', thread.id);
  await removeDocument(search, 'group', groupId);
}
