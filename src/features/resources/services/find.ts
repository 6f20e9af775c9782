import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import { isCountryCode } from '../../../i18n/regions.js';
import { AppError, type FieldError } from '../../../platform/errors.js';
import type { Actor } from '../../../security/actor.js';
import { analyse } from '../../../search/analyzer.js';
import { type Freshness, freshnessOf, verificationLapsesAt, verificationMonths } from '../freshness.js';
import { readableScope } from '../queries.js';
import { isTimeZone, localMoment, type OpenState, openState, type ScheduleRow } from '../schedule.js';
import { cityKey } from '../search-text.js';

/**
 * Finding help (ADR 0055): the listings a reader may read, filtered and ordered verified-and-fresh
 * first, then by name, twenty a page with a keyset cursor. The page and the API read the same
 * filters as text (a query string is text) and this service checks them, so a wrong value is
 * answered beside its field on the page and as a 400 naming it in the API, never as a crash.
 */

export const findPageSize = 20;
export const findLimits = { q: 200, words: 8, city: 100 } as const;
export const costs = ['free', 'sliding', 'paid'] as const;
export const kinds = ['service', 'job'] as const;
export type Cost = (typeof costs)[number];
export type Kind = (typeof kinds)[number];

/** The filters as they arrive, every one optional text. */
export interface RawFindFilters {
  q?: string | undefined;
  category?: string | undefined;
  country?: string | undefined;
  city?: string | undefined;
  language?: string | undefined;
  cost?: string | undefined;
  kind?: string | undefined;
  open?: string | undefined;
  remote?: string | undefined;
  after?: string | undefined;
}

export interface FindFilters {
  q: string;
  /** A term's id, resolved from its code or id. */
  termId: string | null;
  country: string | null;
  city: string | null;
  language: string | null;
  cost: Cost | null;
  kind: Kind | null;
  open: boolean;
  remote: boolean;
  after: Cursor | null;
}

interface Cursor {
  rank: number;
  name: string;
  id: string;
}

// A type, not an interface, so `localised()` reads its fields by name.
export type TermOption = {
  id: string;
  code: string | null;
  name: string | null;
  translations: string | null;
  language: string | null;
  builtin: boolean;
};

// A type, not an interface, so `localised()` reads its fields by name.
export type FoundListing = {
  id: string;
  kind: Kind;
  name: string | null;
  translations: string | null;
  language: string | null;
  organization: { name: string | null; translations: string | null; language: string | null } | null;
  categories: TermOption[];
  country: string | null;
  city: string | null;
  remote: boolean;
  cost: Cost | null;
  freshness: Freshness;
  verifiedAt: number | null;
  open: OpenState;
  expiresAt: number | null;
};

export interface FindResult {
  listings: FoundListing[];
  /** The cursor of the next page, or null on the last. */
  next: string | null;
}

/** A checkbox sends "on" (or the value it names); the API says "true". */
const flagValues = new Set(['', 'on', 'true', '1', 'false', '0']);
const flagOn = (value: string) => value === 'on' || value === 'true' || value === '1';
const languageCode = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;

/** The words of a query, each as the stem it is matched on, without repeats. */
export function queryStems(q: string): string[] {
  return [...new Set(analyse(q).map((w) => w.stem || w.surface))].filter((s) => s.length > 0);
}

/** The built-in and own taxonomy terms, for the category filter. */
export async function categoryOptions(ctx: ServiceContext): Promise<TermOption[]> {
  const rows = await ctx.db
    .selectFrom('resource_taxonomy_terms')
    .select(['id', 'code', 'name', 'translations', 'language', 'builtin'])
    .orderBy('builtin', 'desc')
    .orderBy('code')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, builtin: r.builtin === 1 }));
}

/** Checks the filters, resolving a category given by code or id; throws a 400 naming each wrong one. */
export async function checkFilters(ctx: ServiceContext, raw: RawFindFilters): Promise<FindFilters> {
  const errors: FieldError[] = [];
  const text = (v: string | undefined) => (v ?? '').trim();
  const q = text(raw.q);
  if (q.length > findLimits.q)
    errors.push({ field: 'q', message: 'validation.tooLong', values: { max: findLimits.q } });
  else if (queryStems(q).length > findLimits.words)
    errors.push({ field: 'q', message: 'resources.find.error.q', values: { max: findLimits.words } });

  let termId: string | null = null;
  const category = text(raw.category);
  if (category) {
    const term = await ctx.db
      .selectFrom('resource_taxonomy_terms')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', category), eb('code', '=', category)]))
      .orderBy('builtin', 'desc')
      .orderBy('id')
      .executeTakeFirst();
    if (term) termId = term.id;
    else errors.push({ field: 'category', message: 'resources.find.error.category' });
  }

  const country = text(raw.country).toUpperCase() || null;
  if (country && !isCountryCode(country)) errors.push({ field: 'country', message: 'resources.find.error.country' });

  const city = text(raw.city);
  if (city.length > findLimits.city)
    errors.push({ field: 'city', message: 'validation.tooLong', values: { max: findLimits.city } });

  const language = text(raw.language).toLowerCase() || null;
  if (language && (!languageCode.test(language) || language.length > 20))
    errors.push({ field: 'language', message: 'resources.find.error.language' });

  const cost = text(raw.cost) || null;
  if (cost && !(costs as readonly string[]).includes(cost))
    errors.push({ field: 'cost', message: 'resources.find.error.cost' });

  const kind = text(raw.kind) || null;
  if (kind && !(kinds as readonly string[]).includes(kind))
    errors.push({ field: 'kind', message: 'resources.find.error.kind' });

  for (const flag of ['open', 'remote'] as const)
    if (!flagValues.has(text(raw[flag]))) errors.push({ field: flag, message: 'resources.find.error.flag' });

  const after = raw.after ? decodeFindCursor(raw.after) : null;
  if (raw.after && !after) errors.push({ field: 'after', message: 'resources.find.error.after' });

  if (errors.length > 0) throw new AppError('bad_request', 'resources.find.error.filters', errors);
  return {
    q,
    termId,
    country,
    city: cityKey(city),
    language,
    cost: cost as Cost | null,
    kind: kind as Kind | null,
    open: flagOn(text(raw.open)),
    remote: flagOn(text(raw.remote)),
    after,
  };
}

export function encodeFindCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.rank, c.name, c.id])).toString('base64url');
}

export function decodeFindCursor(text: string): Cursor | null {
  if (text.length > 1000 || !/^[\w-]+$/.test(text)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [rank, name, id] = value as unknown[];
    if ((rank !== 0 && rank !== 1) || typeof name !== 'string' || typeof id !== 'string' || id.length > 64) return null;
    return { rank, name, id };
  } catch {
    return null;
  }
}

/**
 * The earliest verification still fresh now. A mark lapses `months` later on the same day of the
 * month (end of a shorter month), which grows with the day it was given: the first fresh instant is
 * found by halving the span where it must lie, within a millisecond.
 */
export function freshSince(now: number, months: number): number {
  let stale = now - (months + 1) * 31 * 86_400_000;
  let fresh = now;
  while (fresh - stale > 1) {
    const mid = Math.floor((stale + fresh) / 2);
    if (now < verificationLapsesAt(mid, months)) fresh = mid;
    else stale = mid;
  }
  return fresh;
}

/** The time zones listings and their hours are kept in, each with its wall clock now. */
async function zonesNow(ctx: ServiceContext) {
  // Each distinct zone by one index step (a loose index scan): `select distinct` reads every row on
  // PostgreSQL, where listings outnumber zones by thousands.
  const distinctZones = (table: 'resource_services' | 'resource_schedules') =>
    sql<{ tz: string | null }>`with recursive zones(tz) as (
      select min(tz) from ${sql.table(table)}
      union all
      select (select min(tz) from ${sql.table(table)} where tz > zones.tz) from zones where zones.tz is not null
    ) select tz from zones where tz is not null`
      .execute(ctx.db)
      .then((r) => r.rows);
  const [services, schedules] = await Promise.all([
    distinctZones('resource_services'),
    distinctZones('resource_schedules'),
  ]);
  const zones = new Set([...services, ...schedules].map((r) => r.tz).filter((tz): tz is string => !!tz));
  return [...zones].flatMap((tz) => {
    const local = isTimeZone(tz) ? localMoment(ctx.now, tz) : null;
    return local ? [{ tz, ...local }] : [];
  });
}

/**
 * "Open now" in SQL, by the rules of schedule.ts: a weekly row of the listing (or of one of its
 * service-at-locations) whose day is today in its zone and whose window holds the wall-clock time,
 * or whose day was yesterday and whose window runs past midnight into now. Times compare as
 * "HH:MM:SS" text ("09:00" is read as "09:00:00"), dates as "YYYY-MM-DD".
 */
async function openNowCondition(ctx: ServiceContext): Promise<Expression<SqlBool>> {
  const zones = await zonesNow(ctx);
  if (zones.length === 0) return sql<SqlBool>`1 = 0`;
  // Each zone's wall clock as one fixed-width text, "date|day before|weekday|weekday before|time"
  // ("2026-11-26|2026-11-25|TH|WE|13:20:00"), chosen by the row's zone: a lookup per schedule row,
  // where a joined table of clocks would be built again for every listing asked about.
  const clock = sql`(case coalesce(nullif(r.tz, ''), s.tz) ${sql.join(
    zones.map(
      (z) =>
        sql`when ${z.tz} then cast(${`${z.date}|${z.previousDate}|${z.weekday}|${z.previousWeekday}|${z.time}`} as text)`,
    ),
    sql` `,
  )} end)`;
  const d = sql`substr(${clock}, 1, 10)`;
  const pd = sql`substr(${clock}, 12, 10)`;
  const dp = sql`('%,' || substr(${clock}, 23, 2) || ',%')`;
  const pdp = sql`('%,' || substr(${clock}, 26, 2) || ',%')`;
  const t = sql`substr(${clock}, 29, 8)`;
  const opens = sql`substr(r.opens_at || ':00', 1, 8)`;
  const closes = sql`substr(r.closes_at || ':00', 1, 8)`;
  const days = sql`(',' || replace(upper(r.byday), ' ', '') || ',')`;
  const validOn = (date: RawBuilder<unknown>) =>
    sql`(r.valid_from is null or substr(r.valid_from, 1, 10) <= ${date}) and (r.valid_to is null or substr(r.valid_to, 1, 10) >= ${date})`;
  const windowHolds = sql`${clock} is not null
      and upper(trim(coalesce(r.freq, ''))) in ('', 'WEEKLY')
      and (r."interval" is null or r."interval" = 1)
      and (r.opens_at like '__:__' or r.opens_at like '__:__:__')
      and (r.closes_at like '__:__' or r.closes_at like '__:__:__')
      and (
        (${days} like ${dp} and ${validOn(d)} and ${opens} <= ${t} and (${closes} <= ${opens} or ${t} < ${closes}))
        or (${days} like ${pdp} and ${validOn(pd)} and ${closes} <= ${opens} and ${t} < ${closes})
      )`;
  // Asked of each listing the name-ordered walk reaches, through the indexes on a schedule's service
  // and service-at-location, so a page costs a few look-ups per listing, not a pass over every schedule.
  return sql<SqlBool>`(exists (
    select 1 from resource_schedules r
    where r.service_id = s.id and ${windowHolds}
  ) or exists (
    select 1 from resource_service_at_locations sal
    inner join resource_schedules r on r.service_at_location_id = sal.id
    where sal.service_id = s.id and r.service_id is null and ${windowHolds}
  ))`;
}

/** Listings this reader may read that match the filters, a page of them. */
export async function findListings(ctx: ServiceContext, actor: Actor, raw: RawFindFilters): Promise<FindResult> {
  const f = await checkFilters(ctx, raw);
  const scope = await readableScope(ctx, actor);
  const months = await verificationMonths(ctx);
  const since = freshSince(ctx.now, months);
  // Code-point order on both engines, as keys are (ADR 0026), so a page ends where the next begins;
  // the index `resource_services_order` (migration 0030) holds the same order.
  const name = ctx.engine === 'postgres' ? sql<string>`(s.name collate "C")` : sql<string>`s.name`;

  let query = ctx.db
    .selectFrom('resource_services as s')
    .select(['s.id', 's.name'])
    .where('s.review_state', '=', 'published')
    // A service without a name (HSDS requires one) cannot be shown or ordered: it is not listed.
    .where('s.name', 'is not', null)
    // Job postings leave search when they expire; a service has no expiry.
    .where((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', ctx.now)]));
  if (scope.groupIds !== 'all') {
    const groupIds = scope.groupIds;
    const open = scope.visibilities.filter((v) => v !== 'group');
    query = query.where((eb) =>
      eb.or([
        eb('s.visibility', 'in', open),
        ...(groupIds.length > 0 ? [eb.and([eb('s.visibility', '=', 'group'), eb('s.group_id', 'in', groupIds)])] : []),
      ]),
    );
  }
  for (const stem of queryStems(f.q)) query = query.where(sql<SqlBool>`s.search_text like ${`% ${stem}%`}`);
  if (f.termId) {
    const termId = f.termId;
    query = query.where('s.id', 'in', (eb) =>
      eb
        .selectFrom('resource_attributes as a')
        .select('a.link_id')
        .where('a.taxonomy_term_id', '=', termId)
        .where('a.link_entity', '=', 'service'),
    );
  }
  if (f.country) query = query.where('s.country', '=', f.country);
  if (f.city) query = query.where('s.city_key', '=', f.city);
  if (f.language) {
    const language = f.language;
    query = query.where('s.id', 'in', (eb) =>
      eb
        .selectFrom('resource_languages as l')
        .select('l.service_id')
        .where('l.code', '=', language)
        .where('l.service_id', 'is not', null),
    );
  }
  if (f.cost) query = query.where('s.cost', '=', f.cost);
  if (f.kind) query = query.where('s.kind', '=', f.kind);
  if (f.remote) query = query.where('s.remote', '=', 1);
  if (f.open) query = query.where(await openNowCondition(ctx));
  // Two tiers, each walked in name order: verified and fresh, then the rest (never verified, or
  // lapsed). Each is an ordered index walk that stops at a page, where one ORDER BY on a computed
  // rank would sort every match first.
  const fresh = sql<SqlBool>`(s.verified_at is not null and s.verified_at >= ${since})`;
  const rows: { id: string; name: string | null; rank: 0 | 1 }[] = [];
  for (const rank of [0, 1] as const) {
    const c = f.after;
    if (c && c.rank > rank) continue;
    let tier = query.where(rank === 0 ? fresh : sql<SqlBool>`not ${fresh}`);
    if (c && c.rank === rank)
      tier = tier.where(sql<SqlBool>`(${name} > ${c.name} or (${name} = ${c.name} and s.id > ${c.id}))`);
    const found = await tier
      .orderBy(name)
      .orderBy('s.id')
      .limit(findPageSize + 1 - rows.length)
      .execute();
    rows.push(...found.map((r) => ({ ...r, rank })));
    if (rows.length > findPageSize) break;
  }
  const page = rows.slice(0, findPageSize);
  const last = page.at(-1);
  return {
    listings: await loadCards(
      ctx,
      page.map((r) => r.id),
      months,
    ),
    next:
      rows.length > findPageSize && last
        ? encodeFindCursor({ rank: last.rank, name: last.name ?? '', id: last.id })
        : null,
  };
}

const scheduleColumns = [
  'r.freq',
  'r.interval',
  'r.byday',
  'r.opens_at',
  'r.closes_at',
  'r.valid_from',
  'r.valid_to',
  'r.wkst',
  'r.tz',
] as const;

/** What a result card and the API show of each listing, in the page's order. */
async function loadCards(ctx: ServiceContext, ids: string[], months: number): Promise<FoundListing[]> {
  if (ids.length === 0) return [];
  const [services, terms, schedules] = await Promise.all([
    ctx.db
      .selectFrom('resource_services as s')
      .leftJoin('resource_organizations as o', 'o.id', 's.organization_id')
      .select([
        's.id',
        's.kind',
        's.name',
        's.translations',
        's.language',
        's.country',
        's.city',
        's.remote',
        's.cost',
        's.tz',
        's.verified_at',
        's.expires_at',
        'o.id as organization_id',
        'o.name as organization_name',
        'o.translations as organization_translations',
        'o.language as organization_language',
      ])
      .where('s.id', 'in', ids)
      .execute(),
    ctx.db
      .selectFrom('resource_attributes as a')
      .innerJoin('resource_taxonomy_terms as t', 't.id', 'a.taxonomy_term_id')
      .select(['a.link_id', 't.id', 't.code', 't.name', 't.translations', 't.language', 't.builtin'])
      .where('a.link_entity', '=', 'service')
      .where('a.link_id', 'in', ids)
      .orderBy('t.builtin', 'desc')
      .orderBy('t.code')
      .execute(),
    // A schedule belongs to the service, or to one of its service-at-locations: two indexed reads,
    // where one with an OR across both tables would read every schedule.
    Promise.all([
      ctx.db
        .selectFrom('resource_schedules as r')
        .select(['r.service_id', ...scheduleColumns])
        .where('r.service_id', 'in', ids)
        .execute(),
      ctx.db
        .selectFrom('resource_service_at_locations as sal')
        .innerJoin('resource_schedules as r', 'r.service_at_location_id', 'sal.id')
        .select(['sal.service_id', ...scheduleColumns])
        .where('sal.service_id', 'in', ids)
        .where('r.service_id', 'is', null)
        .execute(),
    ]).then(([own, atLocations]) => [...own, ...atLocations]),
  ]);
  const termsOf = new Map<string, TermOption[]>();
  for (const t of terms) {
    const list = termsOf.get(t.link_id!) ?? [];
    list.push({
      id: t.id,
      code: t.code,
      name: t.name,
      translations: t.translations,
      language: t.language,
      builtin: t.builtin === 1,
    });
    termsOf.set(t.link_id!, list);
  }
  const hoursOf = new Map<string, ScheduleRow[]>();
  for (const r of schedules) {
    const serviceId = r.service_id;
    if (!serviceId) continue;
    hoursOf.set(serviceId, [...(hoursOf.get(serviceId) ?? []), r]);
  }
  const byId = new Map(services.map((s) => [s.id, s]));
  return ids.flatMap((id) => {
    const s = byId.get(id);
    if (!s) return [];
    return [
      {
        id: s.id,
        kind: s.kind,
        name: s.name,
        translations: s.translations,
        language: s.language,
        organization: s.organization_id
          ? { name: s.organization_name, translations: s.organization_translations, language: s.organization_language }
          : null,
        categories: termsOf.get(s.id) ?? [],
        country: s.country,
        city: s.city,
        remote: s.remote === 1,
        cost: (costs as readonly string[]).includes(s.cost ?? '') ? (s.cost as Cost) : null,
        freshness: freshnessOf(s.verified_at === null ? null : Number(s.verified_at), months, ctx.now),
        verifiedAt: s.verified_at === null ? null : Number(s.verified_at),
        open: openState(hoursOf.get(s.id) ?? [], s.tz, ctx.now),
        expiresAt: s.expires_at === null ? null : Number(s.expires_at),
      },
    ];
  });
}
