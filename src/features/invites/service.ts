import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import { hashHumanCode, newHumanCode, newId } from '../../security/tokens.js';
import { auditActorId, type Member, type System } from '../../security/actor.js';
import { forbidden, invalid } from '../../platform/errors.js';
import { canManageInvites } from './policy.js';
import { recordAudit } from '../../db/audit.js';

export const inviteLimits = { maxUses: 1000, maxDays: 365 } as const;

/** The registration page with the code filled in: `origin` is the public origin, or '' for a relative link. */
export function registerInviteUrl(origin: string, code: string): string {
  return `${origin}/register?invite=${encodeURIComponent(code)}`;
}

export interface CreatedInvite {
  id: string;
  /** Shown once to whoever made it; only its hash is stored. */
  code: string;
  usesLeft: number;
  expiresAt: number;
}

export async function createInvite(
  ctx: ServiceContext,
  actor: Member | System,
  input: { uses?: number | undefined; days?: number | undefined },
): Promise<CreatedInvite> {
  if (!canManageInvites(actor)) throw forbidden();
  const uses = input.uses ?? 1;
  const days = input.days ?? 7;
  const errors = [];
  if (!Number.isInteger(uses) || uses < 1 || uses > inviteLimits.maxUses) {
    errors.push({ field: 'uses', message: 'invites.usesRange' as const, values: { max: inviteLimits.maxUses } });
  }
  if (!Number.isInteger(days) || days < 1 || days > inviteLimits.maxDays) {
    errors.push({ field: 'days', message: 'invites.daysRange' as const, values: { max: inviteLimits.maxDays } });
  }
  if (errors.length) throw invalid(errors);
  const code = newHumanCode();
  const invite = { id: newId(), code, usesLeft: uses, expiresAt: ctx.now + days * 86_400_000 };
  await insertInvite(ctx.db, ctx, invite, auditActorId(actor));
  return invite;
}

async function insertInvite(db: DbOrTx, ctx: ServiceContext, invite: CreatedInvite, createdBy: string | null) {
  await db
    .insertInto('invites')
    .values({
      id: invite.id,
      code_hash: hashHumanCode(invite.code),
      created_by: createdBy,
      uses_left: invite.usesLeft,
      expires_at: invite.expiresAt,
      created_at: ctx.now,
    })
    .execute();
  await recordAudit(db, { actorId: createdBy, action: 'invite.create', subject: invite.id, now: ctx.now });
}

/**
 * Uses up one use of an invite, atomically, inside the registration transaction: one conditional
 * update, which on PostgreSQL waits for a concurrent use's row lock and re-checks `uses_left > 0`, so
 * a last use is used once (ADR 0032). Returns false when the code is unknown, used up or expired.
 */
export async function consumeInvite(db: DbOrTx, code: string, now: number): Promise<boolean> {
  if (!code || code.length > 100) return false;
  const result = await db
    .updateTable('invites')
    .set((eb) => ({ uses_left: eb('uses_left', '-', 1) }))
    .where('code_hash', '=', hashHumanCode(code))
    .where('uses_left', '>', 0)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether an invite could be used now, without using it: registration checks this before anything else. */
export async function isInviteUsable(db: DbOrTx, code: string, now: number): Promise<boolean> {
  return (await usableInviteId(db, code, now)) !== null;
}

/**
 * The id of the invite this code opens, if it could be used now: registration's limits count a
 * registration with a usable invite against the invite, not against the address (ADR 0044).
 */
export async function usableInviteId(db: DbOrTx, code: string, now: number): Promise<string | null> {
  if (!code || code.length > 100) return null;
  const row = await db
    .selectFrom('invites')
    .select('id')
    .where('code_hash', '=', hashHumanCode(code))
    .where('uses_left', '>', 0)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface InviteSummary {
  id: string;
  usesLeft: number;
  expiresAt: number;
  createdAt: number;
}

export async function listInvites(ctx: ServiceContext, actor: Member): Promise<InviteSummary[]> {
  if (!canManageInvites(actor)) throw forbidden();
  const rows = await ctx.db
    .selectFrom('invites')
    .select(['id', 'uses_left', 'expires_at', 'created_at'])
    .where('uses_left', '>', 0)
    .where('expires_at', '>', ctx.now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, usesLeft: r.uses_left, expiresAt: r.expires_at, createdAt: r.created_at }));
}

export async function revokeInvite(ctx: ServiceContext, actor: Member, id: string): Promise<void> {
  if (!canManageInvites(actor)) throw forbidden();
  await ctx.db.deleteFrom('invites').where('id', '=', id).execute();
  await recordAudit(ctx.db, { actorId: actor.id, action: 'invite.revoke', subject: id, now: ctx.now });
}

/** Deletes invites that are used up or past their time, which registration already refuses (the `invites.expire` job). */
export async function expireInvites(ctx: ServiceContext, _actor: System): Promise<number> {
  const result = await ctx.db
    .deleteFrom('invites')
    .where((eb) => eb.or([eb('expires_at', '<=', ctx.now), eb('uses_left', '<=', 0)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Account deletion: the member's invites stay usable by whoever holds their codes, and no longer say who made them. */
export async function forgetInviter(ctx: ServiceContext, userId: string): Promise<void> {
  await ctx.db.updateTable('invites').set({ created_by: null }).where('created_by', '=', userId).execute();
}
