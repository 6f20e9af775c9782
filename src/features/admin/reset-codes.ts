import type { ServiceContext } from '../../app-context.js';
import { recordAudit } from '../../db/audit.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { auditActorId, type Member, type System } from '../../security/actor.js';
import { hashHumanCode, newHumanCode, newId } from '../../security/tokens.js';
import { recordEvent } from '../../events/outbox.js';
import { canIssueResetCode } from './policy.js';

export const resetCodeLifetime = 72 * 60 * 60 * 1000;

export interface IssuedResetCode {
  code: string;
  expiresAt: number;
}

/**
 * Writes a one-time code that replaces any earlier one (stored hashed), and tells the member in
 * their notifications: whoever uses the code takes over the account, anonymous posts included.
 */
async function writeResetCode(
  db: DbOrTx,
  now: number,
  actorId: string | null,
  action: string,
  userId: string,
): Promise<IssuedResetCode> {
  const code = newHumanCode();
  const expiresAt = now + resetCodeLifetime;
  await db.deleteFrom('reset_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('reset_codes')
    .values({ user_id: userId, code_hash: hashHumanCode(code), expires_at: expiresAt })
    .execute();
  await recordEvent(db, 'reset_code.issued', { userId }, now);
  await recordAudit(db, { actorId, action, subject: userId, now });
  return { code, expiresAt };
}

async function assertUserExists(ctx: ServiceContext, userId: string): Promise<void> {
  const user = await ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound();
}

/**
 * Issued at once: by the operator from the command line (the system actor), or by an administrator only
 * while they are the instance's one administrator. Otherwise a second one approves (ADR 0019).
 */
export async function issueResetCode(
  ctx: ServiceContext,
  actor: Member | System,
  userId: string,
): Promise<IssuedResetCode> {
  const outcome = await resetCodeOrRequest(ctx, actor, userId, false);
  if (outcome.kind !== 'issued') throw new AppError('conflict', 'admin.users.resetNeedsApproval');
  return outcome;
}

export type ResetOutcome = ({ kind: 'issued' } & IssuedResetCode) | { kind: 'requested' };

/**
 * An administrator asks for a member's reset code. The only administrator gets it at once; where
 * there are several, another one must approve the request first (ADR 0019).
 */
export async function requestResetCode(ctx: ServiceContext, actor: Member, userId: string): Promise<ResetOutcome> {
  return resetCodeOrRequest(ctx, actor, userId, true);
}

async function resetCodeOrRequest(
  ctx: ServiceContext,
  actor: Member | System,
  userId: string,
  mayRequest: boolean,
): Promise<ResetOutcome> {
  if (!canIssueResetCode(actor)) throw forbidden();
  await assertUserExists(ctx, userId);
  return inTransaction(ctx.db, async (trx): Promise<ResetOutcome> => {
    const admins = await trx
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    if (actor.kind === 'system' || Number(admins.count) <= 1)
      return { kind: 'issued', ...(await writeResetCode(trx, ctx.now, auditActorId(actor), 'user.resetCode', userId)) };
    if (!mayRequest) return { kind: 'requested' };
    const inserted = await trx
      .insertInto('reset_requests')
      .values({ id: newId(), user_id: userId, requested_by: actor.id, created_at: ctx.now })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
      await recordAudit(trx, { actorId: actor.id, action: 'user.resetCode.request', subject: userId, now: ctx.now });
    }
    return { kind: 'requested' };
  });
}

export interface ResetRequestEntry {
  id: string;
  username: string;
  requestedBy: string;
  createdAt: number;
  /** Asked for by the reader, who cannot approve it. */
  mine: boolean;
}

export async function listResetRequests(ctx: ServiceContext, actor: Member): Promise<ResetRequestEntry[]> {
  if (!canIssueResetCode(actor)) throw forbidden();
  const rows = await ctx.db
    .selectFrom('reset_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('users as by', 'by.id', 'r.requested_by')
    .select(['r.id', 'u.username', 'by.username as requested_by', 'r.requested_by as requested_by_id', 'r.created_at'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    mine: r.requested_by_id === actor.id,
  }));
}

/** A second administrator approves: the code is made and shown to them, never to the one who asked. */
export async function approveResetRequest(
  ctx: ServiceContext,
  actor: Member,
  requestId: string,
): Promise<IssuedResetCode & { userId: string }> {
  if (!canIssueResetCode(actor)) throw forbidden();
  return inTransaction(ctx.db, async (trx) => {
    const request = await trx
      .selectFrom('reset_requests')
      .select(['user_id', 'requested_by'])
      .where('id', '=', requestId)
      .executeTakeFirst();
    if (!request) throw notFound();
    if (request.requested_by === actor.id) throw new AppError('conflict', 'admin.users.resetOwnRequest');
    // Deleting first decides a race: of two approvals at once, one finds nothing and answers 404.
    const taken = await trx.deleteFrom('reset_requests').where('id', '=', requestId).executeTakeFirst();
    if (Number(taken.numDeletedRows) !== 1) throw notFound();
    return {
      userId: request.user_id,
      ...(await writeResetCode(trx, ctx.now, actor.id, 'user.resetCode.approve', request.user_id)),
    };
  });
}

/** Another administrator declines, or the one who asked withdraws. */
export async function declineResetRequest(ctx: ServiceContext, actor: Member, requestId: string): Promise<void> {
  if (!canIssueResetCode(actor)) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    // The delete decides a race with an approval or another decline: only one finds the row.
    const request = await trx
      .deleteFrom('reset_requests')
      .where('id', '=', requestId)
      .returning('user_id')
      .executeTakeFirst();
    if (!request) throw notFound();
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'user.resetCode.decline',
      subject: request.user_id,
      now: ctx.now,
    });
  });
}

/** Deletes reset codes past their time, which recovery already refuses (the `admin.expireResetCodes` job). */
export async function expireResetCodes(ctx: ServiceContext, _actor: System): Promise<number> {
  const result = await ctx.db.deleteFrom('reset_codes').where('expires_at', '<=', ctx.now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
