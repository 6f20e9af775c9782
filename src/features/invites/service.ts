import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import { hashHumanCode, newHumanCode, newId } from '../../security/tokens.js';
import { auditActorId, type Member, type System } from '../../security/actor.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { canMakeInvites, canManageInvites, isUncappedInviter } from './policy.js';
import { recordAudit } from '../../db/audit.js';
import { AppError } from '../../platform/errors.js';
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';

export const inviteLimits = { maxUses: 1000, maxDays: 365 } as const;
/**
 * A trusted member's invites (ADR 0051): a few at a time, each for a few people and a few weeks,
 * so one account cannot open the door wide. Moderators and administrators have `inviteLimits`.
 */
export const memberInviteLimits = { active: 5, maxUses: 5, maxDays: 30 } as const;

/**
 * The invite's maker is not frozen, nor in a branch whose invites a moderator stopped: an invite
 * made by anyone there stops working at once (made by nobody, the command line's, it works).
 */
function makerNotFrozen(eb: ExpressionBuilder<Database, 'invites'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('users as maker')
        .select('maker.id')
        .whereRef('maker.id', '=', 'invites.created_by')
        .where((m) => m.or([m('maker.invites_frozen_at', 'is not', null), m('maker.frozen_at', 'is not', null)])),
    ),
  );
}

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
  if (!canMakeInvites(actor)) throw forbidden();
  const limits = isUncappedInviter(actor) ? inviteLimits : memberInviteLimits;
  const uses = input.uses ?? 1;
  const days = input.days ?? Math.min(7, limits.maxDays);
  const errors = [];
  if (!Number.isInteger(uses) || uses < 1 || uses > limits.maxUses) {
    errors.push({ field: 'uses', message: 'invites.usesRange' as const, values: { max: limits.maxUses } });
  }
  if (!Number.isInteger(days) || days < 1 || days > limits.maxDays) {
    errors.push({ field: 'days', message: 'invites.daysRange' as const, values: { max: limits.maxDays } });
  }
  if (errors.length) throw invalid(errors);
  if (actor.kind === 'user') {
    const me = await ctx.db
      .selectFrom('users')
      .select(['invites_frozen_at', 'frozen_at'])
      .where('id', '=', actor.id)
      .executeTakeFirst();
    // Said plainly but without naming a branch or a moderator: nothing here points at anyone.
    if (!me || me.invites_frozen_at !== null || me.frozen_at !== null)
      throw new AppError('forbidden', 'invites.unavailable');
    if (!isUncappedInviter(actor)) {
      const active = await ctx.db
        .selectFrom('invites')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('created_by', '=', actor.id)
        .where('uses_left', '>', 0)
        .where('expires_at', '>', ctx.now)
        .executeTakeFirstOrThrow();
      if (Number(active.n) >= memberInviteLimits.active) throw new AppError('conflict', 'invites.capReached');
    }
  }
  const code = newHumanCode();
  const invite = { id: newId(), code, usesLeft: uses, expiresAt: ctx.now + days * 86_400_000 };
  await insertInvite(ctx.db, ctx, invite, auditActorId(actor));
  return invite;
}

/** The limits that bind this actor's invites, for the forms. */
export function inviteLimitsFor(actor: Member | System): { maxUses: number; maxDays: number } {
  return isUncappedInviter(actor) ? inviteLimits : memberInviteLimits;
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
  return (await redeemInvite(db, code, now)) !== null;
}

/**
 * As `consumeInvite`, and says who made the invite: the new account records them as its inviter
 * (ADR 0051). Null when the code cannot be used.
 */
export async function redeemInvite(
  db: DbOrTx,
  code: string,
  now: number,
): Promise<{ inviterId: string | null } | null> {
  if (!code || code.length > 100) return null;
  const row = await db
    .updateTable('invites')
    .set((eb) => ({ uses_left: eb('uses_left', '-', 1) }))
    .where('code_hash', '=', hashHumanCode(code))
    .where('uses_left', '>', 0)
    .where('expires_at', '>', now)
    .where(makerNotFrozen)
    .returning('created_by')
    .executeTakeFirst();
  return row ? { inviterId: row.created_by } : null;
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
    .where(makerNotFrozen)
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface InviteSummary {
  id: string;
  usesLeft: number;
  expiresAt: number;
  createdAt: number;
}

/**
 * Active invites: the member's own, or with `all` (administrators' page) every one on the instance.
 */
export async function listInvites(
  ctx: ServiceContext,
  actor: Member,
  options: { all?: boolean } = {},
): Promise<InviteSummary[]> {
  if (options.all ? !canManageInvites(actor) : !canMakeInvites(actor)) throw forbidden();
  let query = ctx.db
    .selectFrom('invites')
    .select(['id', 'uses_left', 'expires_at', 'created_at'])
    .where('uses_left', '>', 0)
    .where('expires_at', '>', ctx.now);
  if (!options.all) query = query.where('created_by', '=', actor.id);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, usesLeft: r.uses_left, expiresAt: r.expires_at, createdAt: r.created_at }));
}

/** Revokes one's own invite; administrators revoke any. Someone else's answers as a missing one. */
export async function revokeInvite(ctx: ServiceContext, actor: Member, id: string): Promise<void> {
  let query = ctx.db.deleteFrom('invites').where('id', '=', id);
  if (!canManageInvites(actor)) {
    if (!canMakeInvites(actor)) throw forbidden();
    query = query.where('created_by', '=', actor.id);
  }
  const result = await query.executeTakeFirst();
  if (Number(result.numDeletedRows) === 0 && !canManageInvites(actor)) throw notFound();
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
  // Those they brought in become roots of the invite tree (the foreign key says so too).
  await ctx.db.updateTable('users').set({ invited_by: null }).where('invited_by', '=', userId).execute();
}
