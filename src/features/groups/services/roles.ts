import type { ServiceContext } from '../../../app-context.js';
import { recordAudit } from '../../../db/audit.js';
import { AppError, forbidden, notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { canManageGroup } from '../policy.js';
import { loadGroup } from './load.js';

/** The owner appoints and removes group moderators. */
export async function setMemberRole(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  userId: string,
  role: 'moderator' | 'member',
): Promise<void> {
  const { viewer } = await loadGroup(ctx, actor, groupId);
  if (!canManageGroup(viewer)) throw forbidden();
  if (userId === actor.id) throw new AppError('conflict', 'groups.members.notYourself');
  const result = await ctx.db
    .updateTable('group_members')
    .set({ role })
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('role', '!=', 'owner')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound();
  await recordAudit(ctx.db, { actorId: actor.id, action: `group.role.${role}`, subject: groupId, now: ctx.now });
}
