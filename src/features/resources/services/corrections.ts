import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import { AppError, forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { recordModeration } from '../../../platform/moderation.js';
import type { Actor, Member } from '../../../security/actor.js';
import { authorRef, authorRefMatcher, sealAuthor } from '../../../security/anonymity.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import { isNewcomer } from '../../../security/policy.js';
import { resourceRefScope } from '../erase.js';
import { canCorrect, canEditListing, canReadListing } from '../policy.js';
import { findReadableListing, listingFacts, newResourceId } from '../queries.js';
import { refreshSearchText } from '../search-text.js';
import { isoDay } from './verification.js';

/** Why a member says a listing needs another look (ADR 0056). */
export const correctionReasons = ['outdated', 'wrong', 'closed', 'other'] as const;
export type CorrectionReason = (typeof correctionReasons)[number];
const isReason = (v: unknown): v is CorrectionReason => (correctionReasons as readonly unknown[]).includes(v);

/**
 * The fields a member may propose a new value for, with their longest length. The first six land
 * on the listing when a keeper accepts; opening hours and anything else are read by the keeper,
 * who changes the schedules on the listing's own form.
 */
export const correctionFields = {
  name: 200,
  description: 5000,
  phone: 40,
  address: 300,
  city: 100,
  url: 500,
  email: 254,
  hours: 1000,
  other: 2000,
} as const;
export type CorrectionField = keyof typeof correctionFields;
export const correctionFieldNames = Object.keys(correctionFields) as CorrectionField[];
/** The proposed fields an accepted correction writes into the listing's HSDS records. */
export const appliedFields: readonly CorrectionField[] = [
  'name',
  'description',
  'phone',
  'address',
  'city',
  'url',
  'email',
];

export const correctionLimits = {
  noteMax: 2000,
  reasonMax: 500,
  /** Corrections a member may send a day: enough for someone tidying a city's listings, not a flood. */
  perDay: 20,
  /** New accounts (trust level `new`, ADR 0050) send fewer, as they post fewer. */
  perDayNewcomer: 5,
} as const;

export type Proposed = Partial<Record<CorrectionField, string>>;

export interface CorrectionInput {
  reason?: string | undefined;
  note?: string | undefined;
  anonymous?: boolean | undefined;
  proposed?: Partial<Record<string, string | undefined>> | undefined;
}

/** What a queue row says: never who sent it, named or not. */
export interface CorrectionView {
  id: string;
  serviceId: string;
  serviceName: string | null;
  reason: CorrectionReason;
  note: string | null;
  proposed: Proposed;
  createdAt: number;
  /**
   * The listing keeps an address (or a place) or a phone in confidence, so a proposed address or
   * phone may be one of those, corrected: it is confidential too.
   */
  confidential: { address: boolean; phone: boolean };
}

const singleLine = (text: string | undefined): string =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
const multiLine = (text: string | undefined): string =>
  withoutBidiControls(text ?? '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .trim();

const phonePattern = /^\+?[\d\u0660-\u0669\u06F0-\u06F9][\d\u0660-\u0669\u06F0-\u06F9 ().\-/]*$/u;
const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function checkUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Checks what a member sent: a known reason, a note or at least one proposed field, each well formed. */
export function checkCorrection(input: CorrectionInput): {
  reason: CorrectionReason;
  note: string | null;
  proposed: Proposed;
} {
  const errors: FieldError[] = [];
  const reason = input.reason ?? '';
  if (!isReason(reason)) errors.push({ field: 'reason', message: 'resources.vetting.correct.reasonRequired' });
  const note = multiLine(input.note);
  if (note.length > correctionLimits.noteMax)
    errors.push({
      field: 'note',
      message: 'resources.vetting.correct.tooLong',
      values: { max: correctionLimits.noteMax },
    });
  const proposed: Proposed = {};
  for (const field of correctionFieldNames) {
    const raw = input.proposed?.[field];
    const value = field === 'description' || field === 'hours' || field === 'other' ? multiLine(raw) : singleLine(raw);
    if (!value) continue;
    const max = correctionFields[field];
    if (value.length > max) errors.push({ field, message: 'resources.vetting.correct.tooLong', values: { max } });
    else if (field === 'phone' && !phonePattern.test(value))
      errors.push({ field, message: 'resources.vetting.correct.phoneInvalid' });
    else if (field === 'email' && !emailPattern.test(value))
      errors.push({ field, message: 'resources.vetting.correct.emailInvalid' });
    else if (field === 'url' && !checkUrl(value))
      errors.push({ field, message: 'resources.vetting.correct.urlInvalid' });
    else proposed[field] = value;
  }
  const problems = new Set(errors.map((e) => e.field));
  if (!errors.length && !note && Object.keys(proposed).length === 0)
    errors.push({ field: 'note', message: 'resources.vetting.correct.empty' });
  else if (reason === 'other' && !note && !problems.has('note'))
    errors.push({ field: 'note', message: 'resources.vetting.correct.noteForOther' });
  if (errors.length) throw invalid(errors);
  return { reason: reason as CorrectionReason, note: note || null, proposed };
}

const dayMs = 86_400_000;

/**
 * How many corrections this member sent in the last day, anonymous ones too: those carry no
 * account, so they are recognised by recomputing their keyed hash, as erasure does.
 */
async function sentToday(ctx: ServiceContext, actor: Member): Promise<number> {
  const since = ctx.now - dayMs;
  const named = await ctx.db
    .selectFrom('resource_corrections')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('author_id', '=', actor.id)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  const anonymous = await ctx.db
    .selectFrom('resource_corrections')
    .select(['service_id', 'author_ref'])
    .where('anonymous', '=', 1)
    .where('created_at', '>', since)
    .execute();
  const mine = authorRefMatcher(ctx.keys.anonymity, actor.id);
  return Number(named.n) + anonymous.filter((r) => mine(resourceRefScope(r.service_id), r.author_ref)).length;
}

/**
 * A member reports a listing as outdated, wrong or closed, with the fix they propose, by name or
 * anonymously. Anonymous: no account is stored, only a keyed hash of listing and author (to count
 * the day's corrections and to erase them with the account) and the sealed id.
 */
export async function submitCorrection(
  ctx: ServiceContext,
  actor: Member,
  serviceId: string,
  input: CorrectionInput,
): Promise<{ id: string; createdAt: number }> {
  const listing = await findReadableListing(ctx, actor, serviceId);
  if (!listing) throw notFound();
  if (!canCorrect(actor, listing.facts)) throw forbidden();
  const checked = checkCorrection(input);
  const limit = isNewcomer(actor) ? correctionLimits.perDayNewcomer : correctionLimits.perDay;
  if ((await sentToday(ctx, actor)) >= limit)
    throw new AppError('rate_limited', 'resources.vetting.correct.limit', [], 60 * 60);
  const id = newResourceId();
  const anonymous = input.anonymous === true;
  await ctx.db
    .insertInto('resource_corrections')
    .values({
      id,
      service_id: serviceId,
      author_id: anonymous ? null : actor.id,
      anonymous: anonymous ? 1 : 0,
      author_ref: anonymous ? authorRef(ctx.keys.anonymity, resourceRefScope(serviceId), actor.id) : null,
      author_box: anonymous ? sealAuthor(ctx.keys.anonymity, actor.id) : null,
      reason: checked.reason,
      body: checked.note,
      proposed: Object.keys(checked.proposed).length ? JSON.stringify(checked.proposed) : null,
      created_at: ctx.now,
    })
    .execute();
  return { id, createdAt: ctx.now };
}

function parseProposed(json: string | null): Proposed {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== 'object') return {};
    const proposed: Proposed = {};
    for (const field of correctionFieldNames) {
      const value = (parsed as Record<string, unknown>)[field];
      if (typeof value === 'string' && value) proposed[field] = value;
    }
    return proposed;
  } catch {
    return {};
  }
}

/** The listing's first phone and first address, by id, as a correction replaces them. */
async function firstRecords(ctx: Pick<ServiceContext, 'db'>, serviceId: string) {
  const phone = await ctx.db
    .selectFrom('resource_phones')
    .select(['id', 'confidential'])
    .where('service_id', '=', serviceId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  const address = await ctx.db
    .selectFrom('resource_service_at_locations as sal')
    .innerJoin('resource_addresses as a', 'a.location_id', 'sal.location_id')
    .innerJoin('resource_locations as l', 'l.id', 'sal.location_id')
    .select(['a.id', 'a.confidential', 'l.confidential as place_confidential'])
    .where('sal.service_id', '=', serviceId)
    .orderBy('a.id')
    .limit(1)
    .executeTakeFirst();
  return { phone, address };
}

/**
 * Whether the listing keeps any address or phone in confidence: a confidential place (whatever its
 * address rows say), a confidential address, or a confidential phone of the service or of one of its
 * places. Not only the first: a member who reads the listing's page sees every one of them, and may
 * be correcting any.
 */
async function keptInConfidence(
  ctx: Pick<ServiceContext, 'db'>,
  serviceId: string,
): Promise<{ address: boolean; phone: boolean }> {
  const place = await ctx.db
    .selectFrom('resource_service_at_locations as sal')
    .innerJoin('resource_locations as l', 'l.id', 'sal.location_id')
    .leftJoin('resource_addresses as a', 'a.location_id', 'l.id')
    .select('l.id')
    .where('sal.service_id', '=', serviceId)
    .where((eb) => eb.or([eb('l.confidential', '=', 1), eb('a.confidential', '=', 1)]))
    .executeTakeFirst();
  const phone = await ctx.db
    .selectFrom('resource_phones as p')
    .select('p.id')
    .where('p.confidential', '=', 1)
    .where((eb) =>
      eb.or([
        eb('p.service_id', '=', serviceId),
        eb(
          'p.location_id',
          'in',
          eb
            .selectFrom('resource_service_at_locations as sal')
            .select('sal.location_id')
            .where('sal.service_id', '=', serviceId),
        ),
      ]),
    )
    .executeTakeFirst();
  return { address: place !== undefined, phone: phone !== undefined };
}

export const correctionsPageSize = 50;

/** Open corrections, oldest first, for the directory's keepers; never who sent them. */
export async function listOpenCorrections(
  ctx: ServiceContext,
  actor: Actor,
  options: { after?: string | undefined } = {},
): Promise<{ corrections: CorrectionView[]; next: string | null }> {
  if (!canEditListing(actor)) throw notFound();
  const after = decodeCursor(options.after);
  let query = ctx.db
    .selectFrom('resource_corrections as c')
    .innerJoin('resource_services as s', 's.id', 'c.service_id')
    .select(['c.id', 'c.service_id', 'c.reason', 'c.body', 'c.proposed', 'c.created_at', 's.name'])
    .where('c.status', '=', 'open')
    .orderBy('c.created_at', 'asc')
    .orderBy('c.id', 'asc')
    .limit(correctionsPageSize + 1);
  if (after) query = query.where(afterKeyset({ at: 'c.created_at', id: 'c.id' }, after, { at: 'asc', id: 'asc' }));
  const rows = await query.execute();
  const page = rows.slice(0, correctionsPageSize);
  const corrections: CorrectionView[] = [];
  for (const row of page) {
    corrections.push({
      id: row.id,
      serviceId: row.service_id,
      serviceName: row.name,
      reason: isReason(row.reason) ? row.reason : 'other',
      note: row.body,
      proposed: parseProposed(row.proposed),
      createdAt: Number(row.created_at),
      confidential: await keptInConfidence(ctx, row.service_id),
    });
  }
  const last = page.at(-1);
  return {
    corrections,
    next: rows.length > correctionsPageSize && last ? encodeCursor(Number(last.created_at), last.id) : null,
  };
}

export const correctionDecisions = ['accept', 'decline'] as const;
export type CorrectionDecision = (typeof correctionDecisions)[number];

/**
 * A keeper accepts a correction (its proposed fields land on the listing's HSDS records, and the
 * listing counts as checked today) or declines it, each with a moderation log row, in one
 * transaction. The member's words leave once decided: an accepted fix lives on in the listing.
 */
export async function decideCorrection(
  ctx: ServiceContext,
  actor: Member,
  correctionId: string,
  input: { decision?: string | undefined; reason?: string | undefined },
): Promise<{ id: string; serviceId: string; status: 'accepted' | 'declined'; applied: CorrectionField[] }> {
  if (!canEditListing(actor)) throw notFound();
  const correction = await ctx.db
    .selectFrom('resource_corrections')
    .selectAll()
    .where('id', '=', correctionId)
    .executeTakeFirst();
  if (!correction) throw notFound();
  const service = await ctx.db
    .selectFrom('resource_services')
    .selectAll()
    .where('id', '=', correction.service_id)
    .executeTakeFirstOrThrow();
  if (!canReadListing(actor, await listingFacts(ctx, actor, service))) throw notFound();
  const errors: FieldError[] = [];
  const decision = input.decision ?? '';
  if (!(correctionDecisions as readonly string[]).includes(decision))
    errors.push({ field: 'decision', message: 'resources.vetting.queue.decisionRequired' });
  const reason = singleLine(input.reason);
  if (reason.length > correctionLimits.reasonMax)
    errors.push({
      field: 'reason',
      message: 'resources.vetting.correct.tooLong',
      values: { max: correctionLimits.reasonMax },
    });
  if (errors.length) throw invalid(errors);
  const status = decision === 'accept' ? 'accepted' : 'declined';
  const proposed = parseProposed(correction.proposed);
  const applied: CorrectionField[] = [];
  await inTransaction(ctx.db, async (trx) => {
    // Two keepers deciding at once: the second finds it decided and changes nothing.
    const { numUpdatedRows } = await trx
      .updateTable('resource_corrections')
      .set({ status, decided_by: actor.id, decided_at: ctx.now, body: null, proposed: null })
      .where('id', '=', correctionId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (numUpdatedRows === 0n) throw new AppError('conflict', 'resources.vetting.queue.alreadyDecided');
    if (status === 'accepted') {
      const serviceId = correction.service_id;
      const first = await firstRecords({ db: trx }, serviceId);
      // Which of several records a member corrected is not said: while the listing keeps any phone
      // (or address) in confidence, a proposed one may be that one, so it lands only on a first
      // record that is itself kept in confidence, never on an open one that every API answer, export
      // and visitor shows. Otherwise the keeper applies it on the listing's form.
      const kept = await keptInConfidence({ db: trx }, serviceId);
      const phoneFits = !kept.phone || first.phone?.confidential === 1;
      const addressFits = !kept.address || first.address?.confidential === 1 || first.address?.place_confidential === 1;
      const set: { name?: string; description?: string; url?: string; email?: string; city?: string } = {};
      if (proposed.name) set.name = proposed.name;
      if (proposed.description) set.description = proposed.description;
      if (proposed.url) set.url = proposed.url;
      if (proposed.email) set.email = proposed.email;
      if (proposed.city) set.city = proposed.city;
      for (const field of ['name', 'description', 'url', 'email', 'city'] as const) if (set[field]) applied.push(field);
      if (proposed.phone && phoneFits) {
        if (first.phone)
          await trx
            .updateTable('resource_phones')
            .set({ number: proposed.phone })
            .where('id', '=', first.phone.id)
            .execute();
        else
          await trx
            .insertInto('resource_phones')
            .values({ id: newResourceId(), service_id: serviceId, number: proposed.phone })
            .execute();
        applied.push('phone');
      }
      if ((proposed.address || proposed.city) && first.address && addressFits) {
        await trx
          .updateTable('resource_addresses')
          .set({
            ...(proposed.address ? { address_1: proposed.address } : {}),
            ...(proposed.city ? { city: proposed.city } : {}),
          })
          .where('id', '=', first.address.id)
          .execute();
        if (proposed.address) applied.push('address');
      }
      // HSDS's assured_date: the day the information was last checked; last_modified: when it changed.
      await trx
        .updateTable('resource_services')
        .set({
          ...set,
          assured_date: isoDay(ctx.now),
          last_modified: new Date(ctx.now).toISOString(),
          updated_at: ctx.now,
        })
        .where('id', '=', serviceId)
        .execute();
      await refreshSearchText(trx, serviceId);
    }
    await recordModeration(trx, {
      actorId: actor.id,
      action: status === 'accepted' ? 'resource.correction_accept' : 'resource.correction_decline',
      targetType: 'resource',
      targetId: correction.service_id,
      reason: reason || null,
      detail: { correctionId, fields: applied.length },
      now: ctx.now,
    });
  });
  return { id: correctionId, serviceId: correction.service_id, status, applied };
}
