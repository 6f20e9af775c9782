import type { ExpressionBuilder } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import { inTransaction, type DbOrTx } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import { isCountryCode } from '../../../i18n/regions.js';
import type { MessageKey } from '../../../i18n/index.js';
import { forbidden, invalid, notFound, type FieldError } from '../../../platform/errors.js';
import { recordModeration } from '../../../platform/moderation.js';
import type { Actor } from '../../../security/actor.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import { dayMs, jobLimits, listingVisibilities } from '../jobs-schemas.js';
import { canEditListing, canSuggest, keepsDirectory, type ListingVisibility } from '../policy.js';
import { findReadableListing, newResourceId, readableScope } from '../queries.js';
import { refreshSearchText } from '../search-text.js';

/** The job fields of a listing row, as the pages and the API read them. */
export type JobRow = {
  id: string;
  name: string | null;
  description: string | null;
  translations: string | null;
  language: string | null;
  organization_id: string | null;
  organization_name: string | null;
  organization_translations: string | null;
  country: string | null;
  city: string | null;
  remote: number;
  apply_url: string | null;
  apply_contact: string | null;
  inclusion_statement: string | null;
  expires_at: number | null;
  visibility: ListingVisibility;
  group_id: string | null;
  review_state: 'published' | 'pending' | 'declined';
  created_at: number;
};

/** What a posting is made of, as the form or the API sent it: the service checks every field. */
export interface JobInput {
  title?: string | undefined;
  organizationId?: string | undefined;
  organizationName?: string | undefined;
  description?: string | undefined;
  country?: string | undefined;
  city?: string | undefined;
  remote?: boolean | undefined;
  applyUrl?: string | undefined;
  applyContact?: string | undefined;
  inclusionStatement?: string | undefined;
  /** YYYY-MM-DD; the default is 60 days from now. */
  expiresOn?: string | undefined;
  visibility?: string | undefined;
  groupId?: string | undefined;
  language: 'ar' | 'en';
}

/**
 * A filter on `resource_services as s` keeping everything but expired postings: what search and
 * every list of listings apply, so a posting leaves them the moment its day ends.
 */
export function notExpiredJob(now: number) {
  return (eb: ExpressionBuilder<Database & { s: Database['resource_services'] }, 's'>) =>
    eb.or([eb('s.kind', '!=', 'job'), eb('s.expires_at', 'is', null), eb('s.expires_at', '>', now)]);
}

/** The end of a day (YYYY-MM-DD, UTC), or null when it is no such day. */
function endOfDay(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = Date.UTC(y, m - 1, d);
  const back = new Date(start);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return start + dayMs - 1;
}

/** The last moment a posting may be open until, counted from `now`: the end of the 180th day. */
export function latestExpiry(now: number): number {
  return Math.floor((now + jobLimits.maxDays * dayMs) / dayMs) * dayMs + dayMs - 1;
}

/** The day, as a date input writes it. */
export const dayOf = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/** Checks a chosen expiry day against now: after today's now, and no later than 180 days on. */
function expiryOf(day: string | undefined, now: number, errors: FieldError[]): number {
  if (day === undefined || day.trim() === '') return now + jobLimits.defaultDays * dayMs;
  const at = endOfDay(day);
  if (at === null) errors.push({ field: 'expiresOn', message: 'resources.jobs.error.expiryInvalid' });
  else if (at <= now) errors.push({ field: 'expiresOn', message: 'resources.jobs.error.expiryPast' });
  else if (at > latestExpiry(now))
    errors.push({
      field: 'expiresOn',
      message: 'resources.jobs.error.expiryTooFar',
      values: { days: jobLimits.maxDays },
    });
  return at ?? 0;
}

/** An external link to apply through: http or https only (never javascript:, data: or a local path). */
export function isApplyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * Tidied text. Direction controls go (src/security/bidi.ts): `dir="auto"` sets direction instead.
 * Line breaks count once, as the form's `maxlength` counted them; browsers send each as CR LF.
 */
const trimmed = (value: string | undefined): string =>
  withoutBidiControls(value ?? '')
    .replace(/\r\n?/g, '\n')
    .trim();

/** Too long, or (when `required` names the message) left empty. */
function checkLength(errors: FieldError[], field: string, value: string, max: number, required?: MessageKey) {
  if (required && value === '') errors.push({ field, message: required });
  else if (value.length > max) errors.push({ field, message: 'resources.jobs.error.tooLong', values: { max } });
}

/**
 * Organisations a member may name a posting after: those with a published listing they may read.
 * An expired posting is read by keepers alone (ADR 0058), so it makes its organisation nobody else's
 * choice: otherwise the form would name who was hiring after the posting itself is gone.
 */
export async function pickableOrganizations(
  ctx: ServiceContext,
  actor: Actor,
  options: { id?: string } = {},
): Promise<{ id: string; name: string }[]> {
  const scope = await readableScope(ctx, actor);
  const keeper = keepsDirectory(actor);
  let query = ctx.db
    .selectFrom('resource_organizations as o')
    .select(['o.id', 'o.name'])
    .where('o.name', 'is not', null);
  if (options.id !== undefined) query = query.where('o.id', '=', options.id);
  const rows = await query
    .where((eb) => {
      const listed = eb
        .selectFrom('resource_services as s')
        .select('s.id')
        .whereRef('s.organization_id', '=', 'o.id')
        .where('s.review_state', '=', 'published')
        .where((inner) => readableBy(inner, scope));
      return eb.exists(keeper ? listed : listed.where(notExpiredJob(ctx.now)));
    })
    .orderBy('o.name')
    .orderBy('o.id')
    // A form's choice, not a directory: the rest are named as new organisations are.
    .limit(300)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name ?? '' }));
}

/** Groups a member may share a posting with: those they take part in (any group, for keepers). */
export async function shareableGroups(ctx: ServiceContext, actor: Actor): Promise<{ id: string; name: string }[]> {
  if (actor.kind !== 'user') return [];
  const scope = await readableScope(ctx, actor);
  let query = ctx.db.selectFrom('groups').select(['id', 'name']).orderBy('name').orderBy('id');
  if (scope.groupIds !== 'all') {
    if (scope.groupIds.length === 0) return [];
    query = query.where('id', 'in', scope.groupIds);
  }
  return query.limit(300).execute();
}

type ServiceScope = Awaited<ReturnType<typeof readableScope>>;
function readableBy(eb: ExpressionBuilder<Database & { s: Database['resource_services'] }, 's'>, scope: ServiceScope) {
  const open = eb(
    's.visibility',
    'in',
    scope.visibilities.filter((v) => v !== 'group'),
  );
  if (scope.groupIds === 'all') return eb.or([open, eb('s.visibility', '=', 'group')]);
  if (scope.groupIds.length === 0) return open;
  return eb.or([open, eb.and([eb('s.visibility', '=', 'group'), eb('s.group_id', 'in', scope.groupIds)])]);
}

async function jobTermId(db: DbOrTx): Promise<string | null> {
  const term = await db
    .selectFrom('resource_taxonomy_terms')
    .select('id')
    .where('code', '=', 'jobs-training')
    .where('builtin', '=', 1)
    .executeTakeFirst();
  return term?.id ?? null;
}

/**
 * Posts a job (ADR 0058): a listing of kind `job` tagged "Jobs and training". A keeper's is
 * published at once (and logged); a member's waits for a keeper in the review queue, seen by its
 * author only. Refused beside each field it does not take, with nothing written.
 */
export async function createJob(ctx: ServiceContext, actor: Actor, input: JobInput): Promise<JobRow> {
  // Frozen and muted accounts post nothing, keepers included; a keeper's posting needs no review.
  if (actor.kind !== 'user' || !canSuggest(actor)) throw forbidden();
  const keeper = keepsDirectory(actor);
  const errors: FieldError[] = [];
  const title = trimmed(input.title);
  const description = trimmed(input.description);
  const inclusion = trimmed(input.inclusionStatement);
  const city = trimmed(input.city);
  const country = trimmed(input.country).toUpperCase();
  const applyUrl = trimmed(input.applyUrl);
  const applyContact = trimmed(input.applyContact);
  const organizationName = trimmed(input.organizationName);
  const organizationId = trimmed(input.organizationId);
  const remote = input.remote === true;

  checkLength(errors, 'title', title, jobLimits.titleMax, 'resources.jobs.error.titleRequired');
  if (organizationId === '')
    checkLength(
      errors,
      'organizationName',
      organizationName,
      jobLimits.organizationNameMax,
      'resources.jobs.error.organizationRequired',
    );
  checkLength(errors, 'description', description, jobLimits.descriptionMax, 'resources.jobs.error.descriptionRequired');
  if (country === '') {
    if (!remote) errors.push({ field: 'country', message: 'resources.jobs.error.countryRequired' });
  } else if (!isCountryCode(country)) errors.push({ field: 'country', message: 'resources.jobs.error.countryInvalid' });
  checkLength(errors, 'city', city, jobLimits.cityMax);
  if (applyUrl === '' && applyContact === '')
    errors.push({ field: 'applyUrl', message: 'resources.jobs.error.applyMissing' });
  if (applyUrl !== '') {
    if (applyUrl.length > jobLimits.applyUrlMax)
      errors.push({
        field: 'applyUrl',
        message: 'resources.jobs.error.tooLong',
        values: { max: jobLimits.applyUrlMax },
      });
    else if (!isApplyUrl(applyUrl)) errors.push({ field: 'applyUrl', message: 'resources.jobs.error.applyUrlScheme' });
  }
  checkLength(errors, 'applyContact', applyContact, jobLimits.applyContactMax);
  checkLength(
    errors,
    'inclusionStatement',
    inclusion,
    jobLimits.inclusionMax,
    'resources.jobs.error.inclusionRequired',
  );
  const expiresAt = expiryOf(input.expiresOn, ctx.now, errors);

  const visibility = (input.visibility ?? 'public') as ListingVisibility;
  let groupId: string | null = null;
  if (!listingVisibilities.includes(visibility))
    errors.push({ field: 'visibility', message: 'resources.jobs.error.visibilityInvalid' });
  else if (visibility === 'group') {
    const groups = await shareableGroups(ctx, actor);
    const wanted = trimmed(input.groupId);
    if (wanted === '') errors.push({ field: 'groupId', message: 'resources.jobs.error.groupRequired' });
    else if (!groups.some((g) => g.id === wanted))
      errors.push({ field: 'groupId', message: 'resources.jobs.error.groupInvalid' });
    else groupId = wanted;
  }
  if (organizationId !== '' && (await pickableOrganizations(ctx, actor, { id: organizationId })).length === 0)
    errors.push({ field: 'organizationId', message: 'resources.jobs.error.organizationInvalid' });
  if (errors.length > 0) throw invalid(errors);

  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.now;
    let orgId = organizationId;
    if (orgId === '') {
      orgId = newResourceId();
      await trx
        .insertInto('resource_organizations')
        .values({
          id: orgId,
          name: organizationName,
          description: null,
          translations: null,
          language: input.language,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const id = newResourceId();
    await trx
      .insertInto('resource_services')
      .values({
        id,
        organization_id: orgId,
        name: title,
        description,
        status: 'active',
        language: input.language,
        kind: 'job',
        visibility,
        group_id: groupId,
        review_state: keeper ? 'published' : 'pending',
        submitted_by: actor.id,
        country: country === '' ? null : country,
        city: city === '' ? null : city,
        remote: remote ? 1 : 0,
        apply_url: applyUrl === '' ? null : applyUrl,
        apply_contact: applyContact === '' ? null : applyContact,
        inclusion_statement: inclusion,
        expires_at: expiresAt,
        created_at: now,
        updated_at: now,
        last_modified: new Date(now).toISOString(),
      })
      .execute();
    const term = await jobTermId(trx);
    if (term)
      await trx
        .insertInto('resource_attributes')
        .values({
          id: newResourceId(),
          link_id: id,
          link_type: 'service',
          link_entity: 'service',
          taxonomy_term_id: term,
        })
        .execute();
    await refreshSearchText(trx, id);
    if (keeper)
      await recordModeration(trx, {
        actorId: actor.id,
        action: 'resource.publish',
        targetType: 'resource',
        targetId: id,
        detail: { kind: 'job' },
        now,
      });
    return loadJob(trx, id) as Promise<JobRow>;
  });
}

const jobColumns = [
  's.id',
  's.name',
  's.description',
  's.translations',
  's.language',
  's.organization_id',
  'o.name as organization_name',
  'o.translations as organization_translations',
  's.country',
  's.city',
  's.remote',
  's.apply_url',
  's.apply_contact',
  's.inclusion_statement',
  's.expires_at',
  's.visibility',
  's.group_id',
  's.review_state',
  's.created_at',
] as const;

async function loadJob(db: DbOrTx, id: string): Promise<JobRow | undefined> {
  return db
    .selectFrom('resource_services as s')
    .leftJoin('resource_organizations as o', 'o.id', 's.organization_id')
    .select(jobColumns)
    .where('s.id', '=', id)
    .where('s.kind', '=', 'job')
    .executeTakeFirst();
}

/**
 * Open postings this reader may read, newest first, a page at a time: published, not expired, and
 * public, members-only for members, or shared with a group they take part in.
 */
export async function listOpenJobs(
  ctx: ServiceContext,
  actor: Actor,
  options: { after?: string | undefined; limit?: number } = {},
): Promise<{ jobs: JobRow[]; next: string | null }> {
  const limit = options.limit ?? jobLimits.pageSize;
  const scope = await readableScope(ctx, actor);
  let query = ctx.db
    .selectFrom('resource_services as s')
    .leftJoin('resource_organizations as o', 'o.id', 's.organization_id')
    .select(jobColumns)
    .where('s.kind', '=', 'job')
    .where('s.review_state', '=', 'published')
    .where('s.expires_at', '>', ctx.now)
    .where((eb) => readableBy(eb, scope));
  const key = decodeCursor(options.after);
  if (key) query = query.where(afterKeyset({ at: 's.created_at', id: 's.id' }, key, { at: 'desc', id: 'desc' }));
  const rows = await query
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit + 1)
    .execute();
  const jobs = rows.slice(0, limit);
  const last = jobs.at(-1);
  return { jobs, next: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
}

/** The reader's own postings still waiting for a keeper, so they can find them again (newest first). */
export async function myPendingJobs(ctx: ServiceContext, actor: Actor): Promise<JobRow[]> {
  if (actor.kind !== 'user') return [];
  return ctx.db
    .selectFrom('resource_services as s')
    .leftJoin('resource_organizations as o', 'o.id', 's.organization_id')
    .select(jobColumns)
    .where('s.kind', '=', 'job')
    .where('s.review_state', '=', 'pending')
    .where('s.submitted_by', '=', actor.id)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(50)
    .execute();
}

/** A posting a keeper manages (extend, remove), expired or not; 404 for anyone else. */
export async function loadJobToManage(ctx: ServiceContext, actor: Actor, id: string): Promise<JobRow> {
  if (!canEditListing(actor)) throw notFound();
  const found = await findReadableListing(ctx, actor, id);
  const job = found && found.row.kind === 'job' ? await loadJob(ctx.db, id) : undefined;
  if (!job) throw notFound();
  return job;
}

/** A keeper keeps a posting open longer: to a day after today and no more than 180 days on. */
export async function extendJob(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: { expiresOn?: string | undefined },
): Promise<JobRow> {
  const job = await loadJobToManage(ctx, actor, id);
  if (actor.kind !== 'user') throw forbidden();
  const errors: FieldError[] = [];
  if (trimmed(input.expiresOn) === '')
    errors.push({ field: 'expiresOn', message: 'resources.jobs.error.expiryInvalid' });
  const expiresAt = errors.length ? 0 : expiryOf(input.expiresOn, ctx.now, errors);
  if (errors.length > 0) throw invalid(errors);
  return inTransaction(ctx.db, async (trx) => {
    await trx
      .updateTable('resource_services')
      .set({ expires_at: expiresAt, updated_at: ctx.now, last_modified: new Date(ctx.now).toISOString() })
      .where('id', '=', job.id)
      .execute();
    await refreshSearchText(trx, job.id);
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'resource.extend',
      targetType: 'resource',
      targetId: job.id,
      detail: { kind: 'job', days: Math.ceil((expiresAt - ctx.now) / dayMs) },
      now: ctx.now,
    });
    return (await loadJob(trx, job.id)) as JobRow;
  });
}

/** A keeper takes a posting down for good; its notes and corrections go with it (cascade). */
export async function removeJob(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: { reason?: string | undefined } = {},
): Promise<void> {
  const job = await loadJobToManage(ctx, actor, id);
  if (actor.kind !== 'user') throw forbidden();
  const reason = trimmed(input.reason);
  if (reason.length > 500)
    throw invalid([{ field: 'reason', message: 'resources.jobs.error.tooLong', values: { max: 500 } }]);
  await inTransaction(ctx.db, async (trx) => {
    await deleteJobs(trx, [job.id]);
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'resource.remove',
      targetType: 'resource',
      targetId: job.id,
      reason: reason === '' ? null : reason,
      detail: { kind: 'job' },
      now: ctx.now,
    });
  });
}

/** Postings and what hangs on them without a foreign key (their terms and HSDS change history). */
async function deleteJobs(db: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('resource_attributes').where('link_entity', '=', 'service').where('link_id', 'in', ids).execute();
  await db.deleteFrom('resource_metadata').where('resource_id', 'in', ids).execute();
  await db.deleteFrom('resource_services').where('kind', '=', 'job').where('id', 'in', ids).execute();
}

/**
 * The daily clean-up (ADR 0058): postings that expired more than 90 days ago are deleted, with their
 * notes and corrections (cascade). An old posting says who was hiring whom and where; once nobody
 * can apply, keeping it only keeps a risk. Idempotent, a few hundred at a time.
 */
export async function deleteLongExpiredJobs(ctx: ServiceContext): Promise<number> {
  const before = ctx.now - jobLimits.keepExpiredDays * dayMs;
  let deleted = 0;
  for (;;) {
    const batch = await ctx.db
      .selectFrom('resource_services')
      .select('id')
      .where('kind', '=', 'job')
      .where('expires_at', '<', before)
      .limit(500)
      .execute();
    if (batch.length === 0) return deleted;
    await inTransaction(ctx.db, (trx) =>
      deleteJobs(
        trx,
        batch.map((r) => r.id),
      ),
    );
    deleted += batch.length;
  }
}
