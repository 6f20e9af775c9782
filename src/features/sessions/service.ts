import type { ServiceContext } from '../../app-context.js';
import type { Member } from '../../security/actor.js';
import { notFound } from '../../platform/errors.js';
import { canRevokeSession } from './policy.js';

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
  await ctx.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function revokeOtherSessions(ctx: ServiceContext, actor: Member): Promise<number> {
  let query = ctx.db.deleteFrom('sessions').where('user_id', '=', actor.id);
  if (actor.sessionId) query = query.where('id', '!=', actor.sessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function endSession(ctx: ServiceContext, sessionId: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
