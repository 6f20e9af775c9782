import type { ServiceContext } from '../../../app-context.js';
import { recordAudit } from '../../../db/audit.js';
import { inTransaction, type DbOrTx } from '../../../db/database.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { openCase, recordModeration, resolveCase } from '../../../platform/moderation.js';
import type { Actor, Member } from '../../../security/actor.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import {
  freshnessOf,
  verificationLapsesAt,
  verificationMonths,
  verificationMonthsBounds,
  verificationMonthsKey,
  type Freshness,
} from '../freshness.js';
import { canSetVerificationMonths, canVerify } from '../policy.js';
import { findReadableListing } from '../queries.js';

/** How a keeper came to vouch that a listing is LGBTQ-affirming (ADR 0056). */
export const verificationMethods = ['visited', 'vouched', 'statement'] as const;
export type VerificationMethod = (typeof verificationMethods)[number];
export const isVerificationMethod = (v: unknown): v is VerificationMethod =>
  (verificationMethods as readonly unknown[]).includes(v);

export const verificationLimits = { noteMax: 2000, reasonMax: 500, dateMin: '2000-01-01' } as const;

/** What readers are told about a listing's mark; who gave it and the keepers' note stay out. */
export interface VerificationView {
  verifiedAt: number | null;
  method: VerificationMethod | null;
  freshness: Freshness;
  /** When the mark lapses (or lapsed); null when there is none. */
  lapsesAt: number | null;
}

const dayMs = 86_400_000;
/** The start (UTC) of the day holding `ms`, as the date a keeper picks is stored. */
export const utcDay = (ms: number): number => Math.floor(ms / dayMs) * dayMs;
/** `YYYY-MM-DD` (UTC), as HSDS writes dates and the date input sends them. */
export const isoDay = (ms: number): string => new Date(utcDay(ms)).toISOString().slice(0, 10);

export function verificationView(
  row: { verified_at: number | string | null; verified_method: string | null },
  months: number,
  now: number,
): VerificationView {
  // PostgreSQL's bigint arrives as text.
  const verifiedAt = row.verified_at === null ? null : Number(row.verified_at);
  return {
    verifiedAt,
    method: verifiedAt !== null && isVerificationMethod(row.verified_method) ? row.verified_method : null,
    freshness: freshnessOf(verifiedAt, months, now),
    lapsesAt: verifiedAt === null ? null : verificationLapsesAt(verifiedAt, months),
  };
}

/** A listing's mark as this reader may see it; null when they may not read the listing (404). */
export async function readVerification(ctx: ServiceContext, actor: Actor, serviceId: string) {
  const listing = await findReadableListing(ctx, actor, serviceId);
  if (!listing) return null;
  const months = await verificationMonths(ctx);
  return {
    listing,
    months,
    verification: verificationView(listing.row, months, ctx.now),
    /** The keepers' note: for those who may verify, never for members. */
    note: canVerify(actor, listing.facts) ? listing.row.verified_note : null,
  };
}

/** Loads a listing a keeper may verify: 404 for whoever may not read it, 403 for readers who may not verify. */
async function listingToVerify(ctx: ServiceContext, actor: Actor, serviceId: string) {
  const listing = await findReadableListing(ctx, actor, serviceId);
  if (!listing) throw notFound();
  if (!canVerify(actor, listing.facts)) throw forbidden();
  return listing;
}

const clean = (text: string | undefined): string =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .trim();

export interface VerifyInput {
  /** `YYYY-MM-DD`; today (UTC) when left out. */
  date?: string | undefined;
  method?: string | undefined;
  note?: string | undefined;
}

/** Checks a keeper's form: a known method, a real date between 2000 and today, a note within bounds. */
export function checkVerifyInput(input: VerifyInput, now: number) {
  const errors: FieldError[] = [];
  const today = isoDay(now);
  const date = (input.date ?? '').trim() || today;
  let verifiedAt = Number.NaN;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    verifiedAt = Date.parse(`${date}T00:00:00Z`);
    // Date.parse rolls 2025-02-30 over to March: a date that does not round-trip does not exist.
    if (Number.isNaN(verifiedAt) || isoDay(verifiedAt) !== date) verifiedAt = Number.NaN;
  }
  if (Number.isNaN(verifiedAt) || date < verificationLimits.dateMin)
    errors.push({ field: 'date', message: 'resources.vetting.verify.dateInvalid' });
  else if (date > today) errors.push({ field: 'date', message: 'resources.vetting.verify.dateFuture' });
  const method = input.method ?? '';
  if (!isVerificationMethod(method))
    errors.push({ field: 'method', message: 'resources.vetting.verify.methodRequired' });
  const note = clean(input.note);
  if (note.length > verificationLimits.noteMax)
    errors.push({
      field: 'note',
      message: 'resources.vetting.verify.noteTooLong',
      values: { max: verificationLimits.noteMax },
    });
  if (errors.length) throw invalid(errors);
  return { verifiedAt, method: method as VerificationMethod, note: note || null };
}

/**
 * Only a case Sanad opened because the mark lapsed closes when a keeper verifies again or withdraws
 * the mark: a case members opened (an unsafe note, a report) waits for a moderator's own answer.
 */
async function settleLapseCase(db: DbOrTx, serviceId: string, now: number): Promise<string | null> {
  const open = await db
    .selectFrom('moderation_cases as c')
    .select('c.id')
    .where('c.target_type', '=', 'resource')
    .where('c.target_id', '=', serviceId)
    .where('c.status', '=', 'open')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('reports as r')
            .select('r.id')
            .whereRef('r.case_id', '=', 'c.id')
            .where('r.reason', '!=', 'verification_lapsed'),
        ),
      ),
    )
    .executeTakeFirst();
  if (!open) return null;
  return resolveCase(db, { targetType: 'resource', targetId: serviceId }, now);
}

/** Marks a listing verified LGBTQ-affirming (or renews the mark), with its moderation log row. */
export async function verifyListing(
  ctx: ServiceContext,
  actor: Member,
  serviceId: string,
  input: VerifyInput,
): Promise<VerificationView> {
  await listingToVerify(ctx, actor, serviceId);
  const checked = checkVerifyInput(input, ctx.now);
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .updateTable('resource_services')
      .set({
        verified_at: checked.verifiedAt,
        verified_method: checked.method,
        verified_note: checked.note,
        verified_by: actor.id,
        updated_at: ctx.now,
      })
      .where('id', '=', serviceId)
      .execute();
    const caseId = await settleLapseCase(trx, serviceId, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'resource.verify',
      targetType: 'resource',
      targetId: serviceId,
      reason: checked.note,
      detail: { method: checked.method, verifiedAt: checked.verifiedAt },
      caseId,
      now: ctx.now,
    });
  });
  const months = await verificationMonths(ctx);
  return verificationView({ verified_at: checked.verifiedAt, verified_method: checked.method }, months, ctx.now);
}

/** Withdraws the mark: the listing shows "Not verified yet" again. A reason is required, for the log. */
export async function withdrawVerification(
  ctx: ServiceContext,
  actor: Member,
  serviceId: string,
  input: { reason?: string | undefined },
): Promise<void> {
  const listing = await listingToVerify(ctx, actor, serviceId);
  const reason = clean(input.reason);
  if (!reason) throw invalid([{ field: 'reason', message: 'resources.vetting.withdraw.reasonRequired' }]);
  if (reason.length > verificationLimits.reasonMax)
    throw invalid([
      {
        field: 'reason',
        message: 'resources.vetting.withdraw.reasonTooLong',
        values: { max: verificationLimits.reasonMax },
      },
    ]);
  if (listing.row.verified_at === null) throw new AppError('conflict', 'resources.vetting.withdraw.notVerified');
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .updateTable('resource_services')
      .set({ verified_at: null, verified_method: null, verified_note: null, verified_by: null, updated_at: ctx.now })
      .where('id', '=', serviceId)
      .execute();
    const caseId = await settleLapseCase(trx, serviceId, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'resource.unverify',
      targetType: 'resource',
      targetId: serviceId,
      reason,
      caseId,
      now: ctx.now,
    });
  });
}

/** Administrators set how many months a mark holds; every page reads it, so it applies at once. */
export async function setVerificationMonths(
  ctx: ServiceContext,
  actor: Member,
  input: { months?: string | number | undefined },
): Promise<number> {
  if (!canSetVerificationMonths(actor)) throw forbidden();
  const raw = input.months;
  const months = typeof raw === 'number' ? raw : /^\s*\d{1,3}\s*$/.test(raw ?? '') ? Number(raw) : Number.NaN;
  const { min, max } = verificationMonthsBounds;
  if (!Number.isInteger(months) || months < min || months > max)
    throw invalid([{ field: 'months', message: 'resources.vetting.settings.monthsInvalid', values: { min, max } }]);
  const value = String(months);
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: verificationMonthsKey, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    await recordAudit(trx, { actorId: actor.id, action: 'settings.resources', subject: value, now: ctx.now });
  });
  return months;
}

/**
 * The daily job (ADR 0056): every verified listing whose mark has lapsed and about which Sanad has
 * not yet asked since it was given goes into the moderation queue for re-verification. A report
 * with reason `verification_lapsed` made after the mark was given is the memory of having asked,
 * so a second run, a run after a keeper dismissed the case, or a run after the setting changed
 * asks nothing twice; verifying again gives a new mark, whose lapse is asked about in its turn.
 * Returns the listings it put in the queue.
 */
export async function queueLapsedVerifications(ctx: ServiceContext): Promise<string[]> {
  const months = await verificationMonths(ctx);
  // A month is at least 28 days: every lapsed mark is older than this, and the exact test follows.
  const olderThan = ctx.now - months * 28 * dayMs;
  const candidates = await ctx.db
    .selectFrom('resource_services as s')
    .select(['s.id', 's.verified_at'])
    .where('s.verified_at', 'is not', null)
    .where('s.verified_at', '<=', olderThan)
    .where('s.review_state', '=', 'published')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('moderation_cases as c')
            .innerJoin('reports as r', 'r.case_id', 'c.id')
            .select('r.id')
            .where('c.target_type', '=', 'resource')
            .whereRef('c.target_id', '=', 's.id')
            .where('r.reason', '=', 'verification_lapsed')
            .whereRef('r.created_at', '>=', 's.verified_at'),
        ),
      ),
    )
    .orderBy('s.verified_at')
    .orderBy('s.id')
    .execute();
  const queued: string[] = [];
  for (const row of candidates) {
    if (freshnessOf(Number(row.verified_at), months, ctx.now) !== 'stale') continue;
    await inTransaction(ctx.db, (trx) =>
      openCase(trx, {
        targetType: 'resource',
        targetId: row.id,
        // The directory's keepers are the instance's moderators, whatever group a listing is shared with.
        groupId: null,
        reason: 'verification_lapsed',
        reporterId: null,
        now: ctx.now,
      }),
    );
    queued.push(row.id);
  }
  return queued;
}
