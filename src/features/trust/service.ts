import { trustLevels } from './policy.js';
import { sql } from 'kysely';
import type { ServiceContext } from '../../app-context.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import type { TrustLevel } from '../../db/schema.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../platform/errors.js';
import { recordModeration } from '../../platform/moderation.js';
import type { Member } from '../../security/actor.js';
import { isInstanceModerator } from '../../security/policy.js';
import { normaliseUsername } from '../../security/username.js';
import { withoutBidiControls } from '../../security/bidi.js';
import { canSeeVouchesOf, canSetTrust, canVouch, canVouchFor, isTrustLevel } from './policy.js';
import { promotionOf, type TrustRecord, type TrustThresholds } from './rules.js';
import { getThresholds } from './thresholds.js';

const dayMs = 86_400_000;
/** A moderator's reason, as elsewhere in moderation: one line. */
export const reasonMax = 500;

const cleanLine = (text: string | undefined) =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();

/** Posts, reads and counting vouches of the given accounts, read in one query each way. */
function recordQuery(db: DbOrTx) {
  return db.selectFrom('users').select((eb) => [
    'users.id',
    'users.trust_level',
    'users.trust_set_at',
    'users.created_at',
    eb
      .selectFrom('posts')
      .select(eb.fn.countAll().as('n'))
      .whereRef('posts.author_id', '=', 'users.id')
      .where('posts.anonymous', '=', 0)
      .where('posts.deleted', '=', 0)
      .where('posts.hidden', '=', 0)
      .as('posts'),
    eb
      .selectFrom('thread_reads')
      .select(eb.fn.countAll().as('n'))
      .whereRef('thread_reads.user_id', '=', 'users.id')
      .as('reads'),
    eb
      .selectFrom('vouches')
      .innerJoin('users as voucher', 'voucher.id', 'vouches.voucher_id')
      .select(eb.fn.countAll().as('n'))
      .whereRef('vouches.vouchee_id', '=', 'users.id')
      // A frozen voucher's word counts for nothing; nor does that of one no longer trusted.
      .where('voucher.frozen_at', 'is', null)
      .where((w) => w.or([w('voucher.trust_level', '=', 'trusted'), w('voucher.role', 'in', ['moderator', 'admin'])]))
      .as('vouches'),
  ]);
}

type RecordRow = {
  id: string;
  trust_level: TrustLevel;
  trust_set_at: number | null;
  created_at: number;
  posts: unknown;
  reads: unknown;
  vouches: unknown;
};

function recordOf(row: RecordRow, now: number): TrustRecord {
  return {
    days: Math.max(0, Math.floor((now - row.created_at) / dayMs)),
    posts: Number(row.posts ?? 0),
    reads: Number(row.reads ?? 0),
    vouches: Number(row.vouches ?? 0),
  };
}

async function recordChange(
  db: DbOrTx,
  change: { actorId: string | null; userId: string; from: TrustLevel; to: TrustLevel; reason?: string; now: number },
  automatic: boolean,
): Promise<void> {
  await recordModeration(db, {
    actorId: change.actorId,
    // Named as the moderation log and appeals name them: a level raised, or lowered (which may be appealed).
    action: trustLevels.indexOf(change.to) > trustLevels.indexOf(change.from) ? 'trust.grant' : 'trust.withdraw',
    targetType: 'user',
    targetId: change.userId,
    targetUserId: change.userId,
    reason: change.reason ?? null,
    detail: { from: change.from, to: change.to, automatic },
    now: change.now,
  });
}

/**
 * Raises each given account (all that may rise, without ids) to the level its record earns, each
 * change logged in its own transaction. Leaves alone accounts whose level a moderator holds,
 * frozen accounts, and moderators and administrators, who stand above trust. Returns how many rose.
 */
export async function promoteByRules(ctx: ServiceContext, userIds?: string[]): Promise<number> {
  if (userIds?.length === 0) return 0;
  const thresholds = await getThresholds(ctx.db);
  let query = recordQuery(ctx.db)
    .where('users.trust_level', '!=', 'trusted')
    .where('users.trust_set_at', 'is', null)
    .where('users.frozen_at', 'is', null)
    .where('users.role', '=', 'member');
  if (userIds) query = query.where('users.id', 'in', userIds);
  let promoted = 0;
  for (const row of (await query.execute()) as RecordRow[]) {
    if (await promoteOne(ctx.db, row, thresholds, ctx.now)) promoted++;
  }
  return promoted;
}

async function promoteOne(db: DbOrTx, row: RecordRow, thresholds: TrustThresholds, now: number): Promise<boolean> {
  const to = promotionOf(row.trust_level, recordOf(row, now), thresholds);
  if (!to) return false;
  return inTransaction(db, async (trx) => {
    // Only from the level it was read at and while no moderator holds it: a moderator's decision made meanwhile stands.
    const { numUpdatedRows } = await trx
      .updateTable('users')
      .set({ trust_level: to })
      .where('id', '=', row.id)
      .where('trust_level', '=', row.trust_level)
      .where('trust_set_at', 'is', null)
      .where('frozen_at', 'is', null)
      .executeTakeFirst();
    if (numUpdatedRows === 0n) return false;
    await recordChange(trx, { actorId: null, userId: row.id, from: row.trust_level, to, now }, true);
    return true;
  });
}

export interface TrustProgress {
  level: TrustLevel;
  /** A moderator set the level, and the rules leave it alone. */
  held: boolean;
  record: TrustRecord;
  thresholds: TrustThresholds;
}

/** Where a member stands and what the rules count, for their own page. */
export async function trustProgress(ctx: ServiceContext, actor: Member): Promise<TrustProgress> {
  const row = (await recordQuery(ctx.db).where('users.id', '=', actor.id).executeTakeFirst()) as RecordRow | undefined;
  if (!row) throw notFound();
  return {
    level: row.trust_level,
    held: row.trust_set_at !== null,
    record: recordOf(row, ctx.now),
    thresholds: await getThresholds(ctx.db),
  };
}

export interface TrustInput {
  level?: string | undefined;
  reason?: string | undefined;
  /** Hold the level against the automatic rules (the default); false lets the rules raise it again. */
  hold?: boolean | undefined;
}

/**
 * An instance moderator grants or withdraws a level, with a reason. By default the level then holds:
 * the rules no longer raise it, so a withdrawal is not undone by the next hourly run.
 */
export async function setTrustLevel(
  ctx: ServiceContext,
  actor: Member,
  userId: string,
  input: TrustInput,
): Promise<{ id: string; username: string; level: TrustLevel; held: boolean }> {
  if (!canSetTrust(actor)) throw forbidden();
  const errors: FieldError[] = [];
  const level = input.level;
  if (!isTrustLevel(level)) errors.push({ field: 'level', message: 'trust.set.levelRequired' });
  const reason = cleanLine(input.reason);
  if (!reason) errors.push({ field: 'reason', message: 'trust.set.reasonRequired' });
  else if (reason.length > reasonMax)
    errors.push({ field: 'reason', message: 'trust.set.reasonLength', values: { max: reasonMax } });
  const target = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'trust_level'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!target) throw notFound();
  if (errors.length || !isTrustLevel(level)) throw invalid(errors);
  const held = input.hold !== false;
  await inTransaction(ctx.db, async (trx) => {
    const current = await trx.selectFrom('users').select('trust_level').where('id', '=', userId).executeTakeFirst();
    if (!current) throw notFound();
    await trx
      .updateTable('users')
      .set({ trust_level: level, trust_set_at: held ? ctx.now : null })
      .where('id', '=', userId)
      .execute();
    await recordChange(
      trx,
      { actorId: actor.id, userId, from: current.trust_level, to: level, reason, now: ctx.now },
      false,
    );
  });
  // Released to the rules: they may raise it at once.
  if (!held) await promoteByRules(ctx, [userId]);
  const after = await ctx.db
    .selectFrom('users')
    .select(['trust_level', 'trust_set_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return { id: target.id, username: target.username, level: after.trust_level, held: after.trust_set_at !== null };
}

/** Finds an account by id or username for a moderator's form; frozen accounts too (moderators see them). */
export async function findAccount(
  ctx: ServiceContext,
  by: { userId?: string | undefined; username?: string | undefined },
  options: { includeFrozen: boolean },
): Promise<{ id: string; username: string; trustLevel: TrustLevel; held: boolean } | undefined> {
  let query = ctx.db.selectFrom('users').select(['id', 'username', 'trust_level', 'trust_set_at']);
  if (by.userId) query = query.where('id', '=', by.userId);
  else if (by.username?.trim()) query = query.where('username_key', '=', normaliseUsername(by.username).key);
  else return undefined;
  if (!options.includeFrozen) query = query.where('frozen_at', 'is', null);
  const row = await query.executeTakeFirst();
  return row && { id: row.id, username: row.username, trustLevel: row.trust_level, held: row.trust_set_at !== null };
}

// Vouches -------------------------------------------------------------------------------------

export interface VouchEntry {
  userId: string;
  username: string;
  createdAt: number;
}

/**
 * A trusted member vouches for someone they know (by id or username). Logged for the instance's
 * moderators without naming anyone to be told (a vouch is not a sanction); the vouchee's level is
 * then checked against the rules in the same transaction.
 */
export async function giveVouch(
  ctx: ServiceContext,
  actor: Member,
  input: { userId?: string | undefined; username?: string | undefined },
): Promise<VouchEntry> {
  if (!canVouch(actor)) throw new AppError('forbidden', 'trust.vouch.notAllowed');
  if (!input.userId && !input.username?.trim())
    throw invalid([{ field: 'username', message: 'trust.vouch.usernameRequired' }]);
  // Frozen accounts are hidden from others: vouching for one finds nobody.
  const target = await findAccount(ctx, input, { includeFrozen: false });
  if (!target) throw invalid([{ field: 'username', message: 'trust.vouch.notFound' }]);
  if (!canVouchFor(actor, target)) throw invalid([{ field: 'username', message: 'trust.vouch.notYourself' }]);
  return inTransaction(ctx.db, async (trx) => {
    const inserted = await trx
      .insertInto('vouches')
      .values({ voucher_id: actor.id, vouchee_id: target.id, created_at: ctx.now })
      .onConflict((oc) => oc.columns(['voucher_id', 'vouchee_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
      await recordModeration(trx, {
        actorId: actor.id,
        action: 'vouch.give',
        targetType: 'user',
        targetId: target.id,
        now: ctx.now,
      });
      await promoteByRules({ ...ctx, db: trx }, [target.id]);
    }
    const row = await trx
      .selectFrom('vouches')
      .select('created_at')
      .where('voucher_id', '=', actor.id)
      .where('vouchee_id', '=', target.id)
      .executeTakeFirstOrThrow();
    return { userId: target.id, username: target.username, createdAt: row.created_at };
  });
}

/** Takes one's vouch back. A level it helped earn stays: the rules only raise (ADR 0050); a moderator may withdraw it. */
export async function withdrawVouch(ctx: ServiceContext, actor: Member, voucheeId: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const { numDeletedRows } = await trx
      .deleteFrom('vouches')
      .where('voucher_id', '=', actor.id)
      .where('vouchee_id', '=', voucheeId)
      .executeTakeFirst();
    if (numDeletedRows === 0n) throw notFound();
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'vouch.withdraw',
      targetType: 'user',
      targetId: voucheeId,
      now: ctx.now,
    });
  });
}

/**
 * The vouches an account gave and received: the account's own, or any account's for an instance
 * moderator; anyone else is answered as if the account did not exist. Members do not see frozen
 * accounts in them.
 */
export async function listVouches(
  ctx: ServiceContext,
  actor: Member,
  userId: string = actor.id,
): Promise<{ given: VouchEntry[]; received: VouchEntry[] }> {
  if (!canSeeVouchesOf(actor, userId)) throw notFound();
  const moderator = isInstanceModerator(actor);
  if (userId !== actor.id) {
    const exists = await ctx.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!exists) throw notFound();
  }
  const side = async (mine: 'voucher_id' | 'vouchee_id', theirs: 'voucher_id' | 'vouchee_id') => {
    let query = ctx.db
      .selectFrom('vouches')
      .innerJoin('users', 'users.id', `vouches.${theirs}`)
      .select(['users.id as userId', 'users.username', 'vouches.created_at as createdAt'])
      .where(`vouches.${mine}`, '=', userId)
      .orderBy('vouches.created_at', 'desc')
      .orderBy(sql.ref('users.id'))
      .limit(500);
    if (!moderator) query = query.where('users.frozen_at', 'is', null);
    return (await query.execute()).map((r) => ({
      userId: r.userId,
      username: r.username,
      createdAt: Number(r.createdAt),
    }));
  };
  return { given: await side('voucher_id', 'vouchee_id'), received: await side('vouchee_id', 'voucher_id') };
}
