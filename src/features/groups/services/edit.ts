import type { ServiceContext } from '../../../app-context.js';
import { inTransaction, type DbOrTx } from '../../../db/database.js';
import { recordAudit } from '../../../db/audit.js';
import { AppError, forbidden } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { recordEvent } from '../../../events/outbox.js';
import { canManageGroup, type Visibility } from '../policy.js';
import { findGroup, toGroupRow, type Group } from '../queries.js';
import type { GroupInput } from './model.js';
import { validateGroup, indexGroup, writeTags } from './internal/validate.js';
import { loadGroup } from './load.js';

const visibilityRank: Record<Visibility, number> = { hidden: 0, private: 1, public: 2 };

/** Hidden → private or public, private → public: more people see the group, so the owner confirms it (ADR 0042). */
export function raisesVisibility(from: Visibility, to: Visibility): boolean {
  return visibilityRank[to] > visibilityRank[from];
}

/**
 * A change that would show the group to more people, sent without saying yes to exactly that:
 * the settings page answers it with the confirmation page, the API with 409.
 */
export class VisibilityIncreaseUnconfirmed extends AppError {
  constructor(
    readonly from: Visibility,
    readonly to: Visibility,
    /** The name it would be shown under: the one just typed, when it changes too. */
    readonly groupName: string,
  ) {
    super('conflict', 'groups.error.confirmVisibility');
  }
}

export interface UpdateOptions {
  /**
   * The visibility the owner confirmed making the group more visible to. A raise goes through only
   * when it names the visibility asked for: a confirmation of "private" does not make it public.
   */
  confirmedVisibility?: string | undefined;
}

/**
 * The settings page's form of `updateGroup`: a raise not yet confirmed comes back as the question to
 * ask (the confirmation page) instead of as a refusal; nothing is saved until it is answered.
 */
export async function updateGroupOrAsk(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: GroupInput,
  options: UpdateOptions = {},
): Promise<Group | VisibilityIncreaseUnconfirmed> {
  try {
    return await updateGroup(ctx, actor, groupId, input, options);
  } catch (error) {
    if (error instanceof VisibilityIncreaseUnconfirmed) return error;
    throw error;
  }
}

export async function updateGroup(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: GroupInput,
  options: UpdateOptions = {},
): Promise<Group> {
  const { group: current, viewer } = await loadGroup(ctx, actor, groupId);
  if (!canManageGroup(viewer)) throw forbidden();
  const group = validateGroup(input, current);
  const from = current.visibility;
  const to = group.visibility;
  const raised = raisesVisibility(from, to);
  if (raised && options.confirmedVisibility !== to) throw new VisibilityIncreaseUnconfirmed(from, to, group.name);
  await inTransaction(ctx.db, async (trx) => {
    await trx.updateTable('groups').set(toGroupRow(group)).where('id', '=', groupId).execute();
    await writeTags(trx, groupId, group.tags);
    await indexGroup({ ...ctx, db: trx }, groupId, group);
    // Only private groups take requests: people waiting on a group that no longer asks are let in or told.
    if (group.visibility !== 'private')
      await settleRequestsAfterVisibilityChange(trx, ctx.now, groupId, group.visibility);
    await recordAudit(trx, { actorId: actor.id, action: 'group.update', subject: groupId, now: ctx.now });
    if (from !== to) {
      // Which way and to what, so a change that exposed a group can be found afterwards.
      await recordAudit(trx, {
        actorId: actor.id,
        action: `group.visibility.${raised ? 'raise' : 'lower'}.${from}.${to}`,
        subject: groupId,
        now: ctx.now,
      });
    }
    if (raised) await recordEvent(trx, 'group.visibility_raised', { groupId, actorId: actor.id, from, to }, ctx.now);
  });
  return (await findGroup(ctx.db, groupId))!;
}

async function settleRequestsAfterVisibilityChange(
  db: DbOrTx,
  now: number,
  groupId: string,
  visibility: Visibility,
): Promise<void> {
  const waiting = await db
    .selectFrom('join_requests')
    .select(['id', 'user_id'])
    .where('group_id', '=', groupId)
    .execute();
  if (waiting.length === 0) return;
  await db.deleteFrom('join_requests').where('group_id', '=', groupId).execute();
  const userIds = waiting.map((r) => r.user_id);
  if (visibility === 'public') {
    await db
      .insertInto('group_members')
      .values(userIds.map((user_id) => ({ group_id: groupId, user_id, role: 'member' as const, joined_at: now })))
      .execute();
    for (const userId of userIds) {
      await recordEvent(db, 'join.decided', { groupId, userId, decision: 'approved' }, now);
      await recordEvent(db, 'member.joined', { groupId, userId, via: 'approved' }, now);
    }
  } else {
    for (const userId of userIds) await recordEvent(db, 'join.decided', { groupId, userId, decision: 'declined' }, now);
  }
}
