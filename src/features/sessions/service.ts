import type { ServiceContext } from '../../app-context.js';
import type { Member, System } from '../../security/actor.js';
import { quarterHour, sessionsRevoked } from '../../security/sessions.js';
import { notFound } from '../../platform/errors.js';
import { canRevokeSession } from './policy.js';
import { inTransaction } from '../../db/database.js';

export interface SessionSummary {
  id: string;
  device: string;
  createdAt: number;
  /** Day only: when it was last used matters, the minute does not. */
  lastActiveDay: number;
  current: boolean;
}

export async function listSessions(ctx: ServiceContext, actor: Member): Promise<SessionSummary[]> {
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'device', 'created_at', 'last_seen_at'])
    .where('user_id', '=', actor.id)
    .where('expires_at', '>', ctx.now)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    device: row.device,
    createdAt: row.created_at,
    lastActiveDay: Math.floor(row.last_seen_at / 86_400_000) * 86_400_000,
    current: row.id === actor.sessionId,
  }));
}

/** Someone else's session answers like a missing one, so ids reveal nothing. */
export async function revokeSession(ctx: ServiceContext, actor: Member, sessionId: string): Promise<void> {
  const session = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'user_id'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!session || !canRevokeSession(actor, { userId: session.user_id })) throw notFound();
  await inTransaction(ctx.db, async (trx) => {
    const ended = await trx.deleteFrom('sessions').where('id', '=', sessionId).returning('id').execute();
    await sessionsRevoked(trx, actor.id, ended, 'revoked', ctx.now);
  });
}

export async function revokeOtherSessions(ctx: ServiceContext, actor: Member): Promise<number> {
  return inTransaction(ctx.db, async (trx) => {
    let query = trx.deleteFrom('sessions').where('user_id', '=', actor.id);
    if (actor.sessionId) query = query.where('id', '!=', actor.sessionId);
    const ended = await query.returning('id').execute();
    await sessionsRevoked(trx, actor.id, ended, 'revoked', ctx.now);
    return ended.length;
  });
}

export async function endSession(ctx: ServiceContext, sessionId: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const ended = await trx.deleteFrom('sessions').where('id', '=', sessionId).returning(['id', 'user_id']).execute();
    for (const session of ended) await sessionsRevoked(trx, session.user_id, [session], 'signed_out', ctx.now);
  });
}

/**
 * Deletes sessions past their absolute lifetime or idle timeout, which sign-in already refuses:
 * a seized database then holds only sessions that could still be used (the `sessions.expire` job).
 */
export async function expireSessions(ctx: ServiceContext, _actor: System): Promise<number> {
  const idleBefore = ctx.now - ctx.config.sessionIdleMinutes * 60_000 - quarterHour;
  const result = await ctx.db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', ctx.now), eb('last_seen_at', '<=', idleBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
