import type { ServiceContext } from '../app-context.js';
import type { DbOrTx } from '../db/database.js';
import { recordEvent } from '../events/outbox.js';
import type { EventPayloads } from '../events/types.js';
import type { Member } from './actor.js';
import { relationsOf } from './blocks.js';
import { hashToken, newId, newToken } from './tokens.js';

/**
 * Sessions as authentication sees them: starting one, and finding the member a token belongs to.
 * Shared by the HTTP layer (every request) and the sessions feature (signing in, listing, revoking).
 */
export const quarterHour = 15 * 60 * 1000;
const roundToQuarterHour = (ms: number) => Math.floor(ms / quarterHour) * quarterHour;

export interface NewSession {
  id: string;
  /** Shown to the client once; only its hash is stored. */
  token: string;
}

/** A fresh session at every sign-in: a new random token, never a reused one. */
export async function createSession(ctx: ServiceContext, userId: string, device: string): Promise<NewSession> {
  const token = newToken();
  const id = newId();
  const now = ctx.now;
  await ctx.db
    .insertInto('sessions')
    .values({
      id,
      token_hash: hashToken(token),
      user_id: userId,
      device,
      created_at: now,
      last_seen_at: roundToQuarterHour(now),
      expires_at: now + ctx.config.sessionAbsoluteDays * 86_400_000,
    })
    .execute();
  return { id, token };
}

/**
 * The member a token belongs to, or null. Ends sessions past their idle timeout or absolute
 * lifetime as it finds them.
 */
export async function resolveSession(ctx: ServiceContext, token: string): Promise<Member | null> {
  if (!token || token.length > 200) return null;
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as userId',
      'users.username',
      'users.role',
      'users.address_form',
      'users.trust_level',
      'users.muted_until',
      'users.suspended_until',
      'users.frozen_at',
    ])
    .where('sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  // A suspended account is signed out everywhere while the suspension lasts (ADR 0047); its sessions
  // stay, so it is signed back in where it was once the time is over.
  if (row.suspended_until !== null && row.suspended_until > ctx.now) return null;
  const idleLimit = ctx.config.sessionIdleMinutes * 60_000;
  // last_seen_at is rounded down, so allow one rounding step of slack.
  if (row.expires_at <= ctx.now || row.last_seen_at + idleLimit + quarterHour <= ctx.now) {
    await ctx.db.deleteFrom('sessions').where('id', '=', row.sessionId).execute();
    return null;
  }
  const seen = roundToQuarterHour(ctx.now);
  if (seen > row.last_seen_at) {
    await ctx.db.updateTable('sessions').set({ last_seen_at: seen }).where('id', '=', row.sessionId).execute();
  }
  // Read fresh with the session (ADR 0015), so a block made a moment ago holds on the next request.
  const { blocked, muted } = await relationsOf(ctx.db, row.userId);
  return {
    kind: 'user',
    id: row.userId,
    username: row.username,
    role: row.role,
    address: row.address_form,
    trust: row.trust_level,
    // Only a mute still running: policies ask whether it is there (isMuted), not when it ends.
    mutedUntil: row.muted_until !== null && row.muted_until > ctx.now ? row.muted_until : null,
    frozen: row.frozen_at !== null,
    blocked,
    muted,
    sessionId: row.sessionId,
  };
}

/**
 * Records `session.revoked` for sessions just deleted, so their live connections close
 * (ADR 0015: a revoked session reaches nobody). Call in the deleting transaction.
 */
export async function sessionsRevoked(
  db: DbOrTx,
  userId: string,
  ended: { id: string }[],
  reason: EventPayloads['session.revoked']['reason'],
  now: number,
): Promise<void> {
  if (ended.length === 0) return;
  await recordEvent(db, 'session.revoked', { userId, sessionIds: ended.map((s) => s.id), reason }, now);
}
