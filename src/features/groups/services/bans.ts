import type { ServiceContext } from '../../../app-context.js';
import { inTransaction, type DbOrTx } from '../../../db/database.js';
import { recordModeration } from '../../../platform/moderation.js';
import { notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import type { BanEntry } from './model.js';
import { loadGroupToModerate } from './load.js';

/** A ban by name. Bans through an anonymous post leave the membership alone (ADR 0018, discussions). */
export async function banUser(db: DbOrTx, groupId: string, userId: string, now: number): Promise<void> {
  await db
    .deleteFrom('group_members')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('role', '!=', 'owner')
    .execute();
  await db.deleteFrom('join_requests').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
  await db.deleteFrom('group_bans').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
  await db
    .insertInto('group_bans')
    .values({ group_id: groupId, user_id: userId, anonymous: 0, created_at: now })
    .execute();
}

/** Lifts a ban by name, in the caller's transaction (an overturned ban: the caller records it). */
export async function liftGroupBan(db: DbOrTx, groupId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('group_bans')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('anonymous', '=', 0)
    .execute();
}

export async function listBans(ctx: ServiceContext, actor: Member, groupId: string): Promise<BanEntry[]> {
  await loadGroupToModerate(ctx, actor, groupId, notFound);
  const rows = await ctx.db
    .selectFrom('group_bans as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .select(['b.user_id', 'u.username', 'b.anonymous', 'b.created_at'])
    .where('b.group_id', '=', groupId)
    .orderBy('b.created_at', 'desc')
    .execute();
  // Bans through an anonymous post are kept as keyed hashes (ADR 0018): listed, never named.
  const hashed = await ctx.db
    .selectFrom('anonymous_bans')
    .select('created_at')
    .where('group_id', '=', groupId)
    .execute();
  const entries: BanEntry[] = [
    ...rows.map((r) =>
      r.anonymous
        ? { username: null, userId: null, createdAt: r.created_at }
        : { username: r.username, userId: r.user_id, createdAt: r.created_at },
    ),
    ...hashed.map((r) => ({ username: null, userId: null, createdAt: r.created_at })),
  ];
  return entries.sort((x, y) => y.createdAt - x.createdAt);
}

export async function liftBan(ctx: ServiceContext, actor: Member, groupId: string, userId: string): Promise<void> {
  await loadGroupToModerate(ctx, actor, groupId);
  await inTransaction(ctx.db, async (trx) => {
    const { numDeletedRows } = await trx
      .deleteFrom('group_bans')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .where('anonymous', '=', 0)
      .executeTakeFirst();
    if (numDeletedRows === 0n) return;
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'group.unban',
      groupId,
      targetType: 'user',
      targetId: userId,
      targetUserId: userId,
      now: ctx.now,
    });
  });
}
