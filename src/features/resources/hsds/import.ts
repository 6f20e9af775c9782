import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import type { ServiceContext } from '../../../app-context.js';
import { type DbOrTx, inTransaction } from '../../../db/database.js';
import { isLocale } from '../../../i18n/locales.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { recordModeration } from '../../../platform/moderation.js';
import type { Actor } from '../../../security/actor.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import { canImport, type ListingVisibility } from '../policy.js';
import { looseDb } from './graph.js';
import { refreshSearchText } from '../search-text.js';
import {
  emptyRowSet,
  entities,
  type HsdsEntity,
  type HsdsRow,
  nesting,
  type RowSet,
  specOf,
  translationsProperty,
} from './mapping.js';

/** What an import accepts at most: a request body, what a zip may unpack to, and rows in all. */
export const importLimits = {
  bodyBytes: 20 * 1024 * 1024,
  unzippedBytes: 100 * 1024 * 1024,
  rows: 200_000,
  fieldChars: 20_000,
  /** Nesting levels of a JSON document. */
  depth: 16,
  /** A report lists this many problems at most, and says how many more there were. */
  problems: 1000,
} as const;

export type ProblemReason =
  | 'notObject'
  | 'notList'
  | 'missingId'
  | 'badId'
  | 'required'
  | 'notNumber'
  | 'notText'
  | 'tooLong'
  | 'duplicate'
  | 'missingParent'
  | 'badTranslations'
  | 'tooDeep'
  /** A schedule's time, day list, frequency, week start or UTC offset that is not one. */
  | 'badSchedule'
  /** Not a problem but a notice: an optional link to a record nowhere to be found, left out. */
  | 'unlinked';

/** One thing an import could not take: where (file or entity, id or row), which field, and why. */
export interface ImportProblem {
  entity: HsdsEntity;
  file?: string;
  id?: string;
  row?: number;
  field: string;
  reason: ProblemReason;
  /** The entity a missing parent should have been. */
  parent?: HsdsEntity;
}

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportReport {
  imported: boolean;
  counts: Partial<Record<HsdsEntity, EntityCounts>>;
  problems: ImportProblem[];
  /** Problems left out of `problems` beyond the limit. */
  moreProblems: number;
  /**
   * What was taken with a change: optional links (HSDS requires none of them) to records neither in
   * the file nor in the directory, left empty. HSDS's own example data package has such links.
   */
  notices: ImportProblem[];
}

export type ImportInput = { kind: 'json'; text: string } | { kind: 'zip'; bytes: Uint8Array };

export interface ImportOptions {
  visibility?: ListingVisibility;
  groupId?: string | null;
  /** The language the HSDS fields are written in; the instance's default when not said. */
  language?: string;
}

/** Where a row came from, for its problems. */
interface Origin {
  file?: string;
  row?: number;
}

/** Rows read from a file, before checking: values as given, with where each came from. */
interface Parsed {
  rows: RowSet;
  origins: Map<string, Origin>;
  problems: ImportProblem[];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const originKey = (entity: HsdsEntity, id: string) => `${entity}:${id}`;
const anyDb = looseDb;

// ---------------------------------------------------------------------------------------------
// Reading JSON: one organization, service or service_at_location, a list of them, or a page of
// them as the HSDS API answers (`contents`); taxonomies and terms alike.

/** Which entity a top-level object is, by the fields only it has. */
function entityOfObject(value: Record<string, unknown>): HsdsEntity | null {
  if ('services' in value || 'organization_identifiers' in value || 'year_incorporated' in value) return 'organization';
  if ('status' in value || 'service_at_locations' in value) return 'service';
  if ('location' in value || ('service_id' in value && 'location_id' in value) || 'service' in value)
    return 'service_at_location';
  if ('location_type' in value || 'addresses' in value) return 'location';
  if ('taxonomy_detail' in value || 'code' in value || 'term_uri' in value) return 'taxonomy_term';
  if ('version' in value && 'name' in value) return 'taxonomy';
  if ('name' in value && 'description' in value) return 'organization';
  return null;
}

function readJson(text: string): Parsed {
  const parsed: Parsed = { rows: emptyRowSet(), origins: new Map(), problems: [] };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'resources.hsds.error.notJson');
  }
  // The tabular form as JSON (HSDS examples/tabular.json): file name → rows.
  if (isObject(document) && Object.keys(document).some((k) => k.endsWith('.csv'))) {
    for (const [file, list] of Object.entries(document)) {
      const spec = entities.find((e) => e.file === file);
      if (!spec) continue;
      if (!Array.isArray(list)) {
        parsed.problems.push({ entity: spec.entity, file, field: file, reason: 'notList' });
        continue;
      }
      for (const [index, record] of list.entries()) readTableRow(parsed, spec.entity, file, index + 1, record, false);
    }
    return parsed;
  }
  const items = Array.isArray(document)
    ? document
    : isObject(document) && Array.isArray(document.contents)
      ? document.contents
      : [document];
  for (const item of items) {
    if (!isObject(item)) {
      parsed.problems.push({ entity: 'organization', field: '', reason: 'notObject' });
      continue;
    }
    const entity = entityOfObject(item);
    if (!entity) {
      parsed.problems.push({ entity: 'organization', field: '', reason: 'notObject' });
      continue;
    }
    flatten(parsed, entity, item);
  }
  return parsed;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** One nested JSON object into rows: its own fields, then each nested object with its link set. */
function flatten(parsed: Parsed, entity: HsdsEntity, value: Record<string, unknown>, depth = 0): string | null {
  const spec = specOf[entity];
  const id = typeof value.id === 'string' ? value.id : null;
  if (!id) {
    parsed.problems.push({ entity, field: 'id', reason: 'missingId' });
    return null;
  }
  // HSDS's deepest nesting (organization → service → service_at_location → location → contact →
  // phone → language → attribute → term → taxonomy) is ten levels; deeper is not HSDS.
  if (depth > importLimits.depth) {
    parsed.problems.push({ entity, id, field: 'id', reason: 'tooDeep' });
    return null;
  }
  const row: HsdsRow = { id };
  for (const column of spec.columns) {
    if (column === 'id') continue;
    const v = value[column];
    if (v === undefined) continue;
    // Left out is kept as it is; null, as HSDS writes an empty field, empties it.
    if (v === null) {
      row[column] = null;
      continue;
    }
    if (spec.numbers.includes(column)) {
      if (typeof v === 'number' && Number.isFinite(v)) row[column] = v;
      else parsed.problems.push({ entity, id, field: column, reason: 'notNumber' });
    } else if (typeof v === 'string') row[column] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') row[column] = String(v);
    else parsed.problems.push({ entity, id, field: column, reason: 'notText' });
  }
  if (spec.translated && value[translationsProperty] !== undefined) {
    const translations = value[translationsProperty] === null ? null : checkedTranslations(value[translationsProperty]);
    if (translations === null && value[translationsProperty] !== null)
      parsed.problems.push({ entity, id, field: translationsProperty, reason: 'badTranslations' });
    else row.translations = translations;
  }
  for (const [property, how] of Object.entries(nesting[entity] ?? {})) {
    const nested = value[property];
    if (nested === undefined || nested === null) continue;
    if ('many' in how) {
      if (!Array.isArray(nested)) {
        parsed.problems.push({ entity, id, field: property, reason: 'notList' });
        continue;
      }
      for (const child of nested) {
        if (!isObject(child)) {
          parsed.problems.push({ entity, id, field: property, reason: 'notObject' });
          continue;
        }
        flatten(parsed, how.many, { ...child, [how.column]: child[how.column] ?? id }, depth + 1);
      }
    } else if (!isObject(nested)) parsed.problems.push({ entity, id, field: property, reason: 'notObject' });
    else {
      const childId = flatten(parsed, how.one, nested, depth + 1);
      if (childId && row[how.column] === undefined) row[how.column] = childId;
    }
  }
  for (const [property, child, link, type] of [
    ['attributes', 'attribute', 'link_id', 'link_entity'],
    ['metadata', 'metadata', 'resource_id', 'resource_type'],
  ] as const) {
    const list = value[property];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      parsed.problems.push({ entity, id, field: property, reason: 'notList' });
      continue;
    }
    for (const item of list) {
      if (!isObject(item)) parsed.problems.push({ entity, id, field: property, reason: 'notObject' });
      else flatten(parsed, child, { ...item, [link]: item[link] ?? id, [type]: item[type] ?? entity }, depth + 1);
    }
  }
  merge(parsed, entity, row, {});
  return id;
}

/** The same record met twice (a location nested in its organisation and in a service): fields fill in. */
function merge(parsed: Parsed, entity: HsdsEntity, row: HsdsRow, origin: Origin): void {
  const id = String(row.id);
  const existing = parsed.rows[entity].get(id);
  if (!existing) {
    parsed.rows[entity].set(id, row);
    parsed.origins.set(originKey(entity, id), origin);
    return;
  }
  for (const [column, value] of Object.entries(row))
    if (value !== null && (existing[column] === undefined || existing[column] === null)) existing[column] = value;
}

function checkedTranslations(value: unknown): string | null {
  if (!isObject(value)) return null;
  for (const fields of Object.values(value)) {
    if (!isObject(fields)) return null;
    for (const text of Object.values(fields))
      if (typeof text !== 'string' || text.length > importLimits.fieldChars) return null;
  }
  const json = JSON.stringify(value);
  return json === '{}' ? null : json;
}

// ---------------------------------------------------------------------------------------------
// Reading the data package: datapackage.json names the files; CSV rows map column to column.

function readZip(bytes: Uint8Array): Parsed {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (total > importLimits.unzippedBytes)
          throw new AppError('payload_too_large', 'resources.hsds.error.tooLarge');
        return file.name.endsWith('.csv') || file.name.endsWith('datapackage.json');
      },
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request', 'resources.hsds.error.notZip');
  }
  const byName = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) byName.set(name.split('/').pop() ?? name, data);
  const descriptor = byName.get('datapackage.json');
  if (!descriptor) throw new AppError('bad_request', 'resources.hsds.error.noDescriptor');
  // The descriptor's resources say which file holds which table; HSDS's own file names otherwise.
  const paths = new Map<HsdsEntity, string>();
  try {
    const parsed: unknown = JSON.parse(strFromU8(descriptor));
    const resources = isObject(parsed) && Array.isArray(parsed.resources) ? parsed.resources : [];
    for (const resource of resources) {
      if (!isObject(resource) || typeof resource.name !== 'string' || typeof resource.path !== 'string') continue;
      if (resource.name in specOf) paths.set(resource.name as HsdsEntity, resource.path.split('/').pop() ?? '');
    }
  } catch {
    throw new AppError('bad_request', 'resources.hsds.error.noDescriptor');
  }
  const parsed: Parsed = { rows: emptyRowSet(), origins: new Map(), problems: [] };
  for (const spec of entities) {
    const file = paths.get(spec.entity) ?? spec.file;
    const data = byName.get(file);
    if (!data) continue;
    let records: Record<string, string>[];
    try {
      records = parse(strFromU8(data), { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false });
    } catch {
      parsed.problems.push({ entity: spec.entity, file, field: '', reason: 'notList' });
      continue;
    }
    for (const [index, record] of records.entries()) readTableRow(parsed, spec.entity, file, index + 2, record, true);
  }
  return parsed;
}

/** One row of a table (CSV, where every value is text, or tabular JSON). `line` counts the header as 1 in CSV. */
function readTableRow(parsed: Parsed, entity: HsdsEntity, file: string, line: number, record: unknown, csv: boolean) {
  const spec = specOf[entity];
  if (!isObject(record)) {
    parsed.problems.push({ entity, file, row: line, field: '', reason: 'notObject' });
    return;
  }
  const id = typeof record.id === 'string' && record.id !== '' ? record.id : null;
  if (!id) {
    parsed.problems.push({ entity, file, row: line, field: 'id', reason: 'missingId' });
    return;
  }
  if (parsed.rows[entity].has(id)) {
    parsed.problems.push({ entity, file, row: line, id, field: 'id', reason: 'duplicate' });
    return;
  }
  const row: HsdsRow = { id };
  for (const column of spec.columns) {
    if (column === 'id') continue;
    const v = record[column];
    // A column the file does not have is kept as it is; an empty cell empties the field.
    if (v === undefined) continue;
    if (v === null || v === '') {
      row[column] = null;
      continue;
    }
    if (spec.numbers.includes(column)) {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : Number.NaN;
      if (Number.isFinite(n)) row[column] = n;
      else parsed.problems.push({ entity, file, row: line, id, field: column, reason: 'notNumber' });
    } else if (typeof v === 'string') row[column] = v;
    else if (!csv && (typeof v === 'number' || typeof v === 'boolean')) row[column] = String(v);
    else parsed.problems.push({ entity, file, row: line, id, field: column, reason: 'notText' });
  }
  const translations = record[translationsProperty];
  if (spec.translated && (translations === '' || translations === null)) row.translations = null;
  else if (spec.translated && translations !== undefined) {
    let value: unknown = translations;
    if (typeof translations === 'string') {
      try {
        value = JSON.parse(translations);
      } catch {
        value = null;
      }
    }
    const checked = checkedTranslations(value);
    if (checked === null)
      parsed.problems.push({ entity, file, row: line, id, field: translationsProperty, reason: 'badTranslations' });
    else row.translations = checked;
  }
  merge(parsed, entity, row, { file, row: line });
}

// ---------------------------------------------------------------------------------------------
// Checking: every row whole before anything is written.

/** HH:MM, seconds optional, then Z or an offset, as HSDS's schedules write times. */
const hsdsTime = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?$/;
/** RFC 5545 BYDAY: days, each after an optional occurrence in the month (2MO, -1FR). */
const hsdsByday =
  /^([+-]?([1-9]|[1-4]\d|5[0-3])?(MO|TU|WE|TH|FR|SA|SU))(,([+-]?([1-9]|[1-4]\d|5[0-3])?(MO|TU|WE|TH|FR|SA|SU)))*$/;
const hsdsDays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/**
 * A schedule's fields the page and "open now" read: a time like "25:99", a day "XX" or an offset of
 * 1e308 would be kept, shown and exported as if they meant something, so the file is sent back instead.
 */
function badScheduleFields(row: HsdsRow): string[] {
  const bad: string[] = [];
  const text = (column: string) => (typeof row[column] === 'string' ? (row[column] as string).trim() : null);
  for (const column of ['opens_at', 'closes_at']) {
    const value = text(column);
    if (value !== null && !hsdsTime.test(value)) bad.push(column);
  }
  const byday = text('byday');
  if (byday !== null && !hsdsByday.test(byday.replace(/\s+/g, '').toUpperCase())) bad.push('byday');
  const freq = text('freq');
  if (freq !== null && !['WEEKLY', 'MONTHLY'].includes(freq.toUpperCase())) bad.push('freq');
  const wkst = text('wkst');
  if (wkst !== null && !hsdsDays.includes(wkst.toUpperCase())) bad.push('wkst');
  const offset = row.timezone;
  // UTC offsets run from -12 to +14 hours.
  if (typeof offset === 'number' && (offset < -12 || offset > 14)) bad.push('timezone');
  return bad;
}

async function check(db: DbOrTx, parsed: Parsed): Promise<{ problems: ImportProblem[]; notices: ImportProblem[] }> {
  const problems = [...parsed.problems];
  const notices: ImportProblem[] = [];
  const where = (entity: HsdsEntity, id: string) => parsed.origins.get(originKey(entity, id)) ?? {};
  let count = 0;
  for (const spec of entities) {
    // A record already in the directory may be named by a few of its fields; a new one needs all it requires.
    const stored = await existingIds(db, spec.entity, [...parsed.rows[spec.entity].keys()]);
    for (const [id, row] of parsed.rows[spec.entity]) {
      count += 1;
      const at = { entity: spec.entity, id, ...where(spec.entity, id) };
      if (!uuid.test(id)) problems.push({ ...at, field: 'id', reason: 'badId' });
      for (const column of spec.required) {
        const value = row[column];
        if (value === null || value === '' || (value === undefined && !stored.has(id)))
          problems.push({ ...at, field: column, reason: 'required' });
      }
      for (const [column, raw] of Object.entries(row)) {
        if (typeof raw !== 'string') continue;
        // Direction controls go, as from every name people give (src/security/bidi.ts); they are
        // never part of JSON's own syntax, so the translations' JSON text loses them safely too.
        const value = withoutBidiControls(raw);
        if (value !== raw) row[column] = value;
        // PostgreSQL cannot store U+0000 in text; the request's own check cannot see inside a file.
        if (value.includes('\u0000'))
          problems.push({ ...at, field: column === 'translations' ? translationsProperty : column, reason: 'notText' });
        else if (value.length > importLimits.fieldChars && column !== 'translations')
          problems.push({ ...at, field: column, reason: 'tooLong' });
      }
      if (spec.entity === 'schedule')
        for (const field of badScheduleFields(row)) problems.push({ ...at, field, reason: 'badSchedule' });
    }
  }
  if (count > importLimits.rows) throw new AppError('payload_too_large', 'resources.hsds.error.tooManyRows');
  // Every link names a record in the file or already in the directory.
  for (const spec of entities) {
    for (const [column, parent] of Object.entries(spec.parents)) {
      const missing = new Set<string>();
      for (const row of parsed.rows[spec.entity].values()) {
        const target = row[column];
        if (typeof target === 'string' && target !== '' && !parsed.rows[parent].has(target)) missing.add(target);
      }
      const known = await existingIds(db, parent, [...missing]);
      for (const [id, row] of parsed.rows[spec.entity]) {
        const target = row[column];
        if (typeof target !== 'string' || !missing.has(target) || known.has(target)) continue;
        const at = { entity: spec.entity, id, ...where(spec.entity, id), field: column, parent };
        if (spec.required.includes(column)) problems.push({ ...at, reason: 'missingParent' });
        else {
          notices.push({ ...at, reason: 'unlinked' });
          row[column] = null;
        }
      }
    }
  }
  return { problems, notices };
}

async function existingIds(db: DbOrTx, entity: HsdsEntity, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await anyDb(db)
      .selectFrom(specOf[entity].table)
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows as { id: string }[]) found.add(row.id);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Writing: one transaction, parents before children, upsert by HSDS id.

async function write(
  ctx: ServiceContext,
  trx: DbOrTx,
  parsed: Parsed,
  sanad: { visibility: ListingVisibility; groupId: string | null; language: string },
): Promise<Partial<Record<HsdsEntity, EntityCounts>>> {
  const counts: Partial<Record<HsdsEntity, EntityCounts>> = {};
  const now = ctx.now;
  for (const spec of entities) {
    const rows = parsed.rows[spec.entity];
    if (rows.size === 0) continue;
    const tally: EntityCounts = { created: 0, updated: 0, unchanged: 0 };
    counts[spec.entity] = tally;
    const known = [...spec.columns, ...(spec.translated ? ['translations'] : [])];
    const isService = spec.entity === 'service';
    const existing = new Map<string, HsdsRow>();
    const ids = [...rows.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const found = await anyDb(trx)
        .selectFrom(spec.table)
        .select([...known, ...(isService ? ['visibility', 'group_id', 'review_state'] : [])])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of found as HsdsRow[]) existing.set(String(row.id), row);
    }
    for (const [id, row] of rows) {
      // What the file says of a record replaces what Sanad holds; what it leaves out stays (a list
      // shape names an organisation by a few fields, and another directory has no translations).
      const columns = known.filter((c) => c in row);
      const values: HsdsRow = Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
      const before = existing.get(id);
      // The request's visibility is for the listings the file brings in. One Sanad already holds
      // keeps who may read it and whether it waits for review: a file carries neither (ADR 0057),
      // and re-importing a keepers' export (members-only and group-limited listings included)
      // would otherwise make every one of them public, to visitors and the HSDS API.
      const listing =
        isService && !before
          ? { visibility: sanad.visibility, group_id: sanad.groupId, review_state: 'published' }
          : {};
      if (!before) {
        const own: Record<string, unknown> = {};
        if (isService || spec.entity === 'organization')
          Object.assign(own, { language: sanad.language, created_at: now, updated_at: now });
        await anyDb(trx)
          .insertInto(spec.table)
          .values({ ...values, ...listing, ...own })
          .execute();
        tally.created += 1;
        continue;
      }
      const same =
        columns.every((c) => sameValue(before[c], values[c])) &&
        Object.entries(listing).every(([c, v]) => sameValue(before[c], v));
      if (same) {
        tally.unchanged += 1;
        continue;
      }
      const { id: _id, ...changes } = values;
      const touched = isService || spec.entity === 'organization' ? { updated_at: now } : {};
      await anyDb(trx)
        .updateTable(spec.table)
        .set({ ...changes, ...listing, ...touched })
        .where('id', '=', id)
        .execute();
      tally.updated += 1;
    }
  }
  return counts;
}

/** Numbers read back from PostgreSQL's double precision compare as numbers; empty is empty. */
function sameValue(a: unknown, b: unknown): boolean {
  const x = a === undefined || a === '' ? null : a;
  const y = b === undefined || b === '' ? null : b;
  if (x === null || y === null) return x === y;
  if (typeof x === 'number' || typeof y === 'number') return Number(x) === Number(y);
  return x === y;
}

/** The services whose search text an import may change: its own, its organisations' and its terms' listings. */
async function touchedServices(db: DbOrTx, parsed: Parsed): Promise<string[]> {
  const ids = new Set(parsed.rows.service.keys());
  const organizations = [...parsed.rows.organization.keys()];
  for (let i = 0; i < organizations.length; i += 500)
    for (const row of await db
      .selectFrom('resource_services')
      .select('id')
      .where('organization_id', 'in', organizations.slice(i, i + 500))
      .execute())
      ids.add(row.id);
  const linked = [...parsed.rows.attribute.values()]
    .map((a) => a.link_id)
    .filter((v): v is string => typeof v === 'string');
  for (const id of await existingIds(db, 'service', linked)) ids.add(id);
  return [...ids];
}

/**
 * Where a new listing is found: the country and city of its first non-confidential address, when
 * the import said nothing of them (search filters on these; ADR 0053).
 */
async function fillPlaces(db: DbOrTx, serviceIds: string[]): Promise<void> {
  for (let i = 0; i < serviceIds.length; i += 500) {
    const rows = await db
      .selectFrom('resource_services as s')
      .innerJoin('resource_service_at_locations as sal', 'sal.service_id', 's.id')
      .innerJoin('resource_locations as l', 'l.id', 'sal.location_id')
      .innerJoin('resource_addresses as a', 'a.location_id', 'l.id')
      .select(['s.id', 'a.country', 'a.city', 'a.id as address_id'])
      .where('s.id', 'in', serviceIds.slice(i, i + 500))
      .where('s.country', 'is', null)
      .where('l.confidential', '=', 0)
      .where('a.confidential', '=', 0)
      .orderBy('s.id')
      .orderBy('a.id')
      .execute();
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const country =
        typeof row.country === 'string' && /^[A-Za-z]{2}$/.test(row.country) ? row.country.toUpperCase() : null;
      if (!country) continue;
      await db
        .updateTable('resource_services')
        .set({ country, city: row.city || null })
        .where('id', '=', row.id)
        .execute();
    }
  }
}

/**
 * A keeper brings a directory in (POST /api/v1/resources/import): a file goes in whole or not at
 * all. Every problem is reported; with any problem nothing is written.
 */
export async function importDirectory(
  ctx: ServiceContext,
  actor: Actor,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<ImportReport> {
  if (!canImport(actor)) throw notFound();
  const visibility = options.visibility ?? 'public';
  const groupId = visibility === 'group' ? (options.groupId ?? null) : null;
  if (visibility === 'group') {
    const group = groupId
      ? await ctx.db.selectFrom('groups').select('id').where('id', '=', groupId).executeTakeFirst()
      : undefined;
    if (!group)
      throw new AppError('bad_request', 'error.badRequest', [
        { field: 'groupId', message: 'resources.hsds.error.groupNeeded' },
      ]);
  }
  const language = options.language ?? ctx.config.defaultLocale;
  if (!isLocale(language) && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(language))
    throw new AppError('bad_request', 'error.badRequest', [
      { field: 'language', message: 'resources.hsds.error.language' },
    ]);
  const parsed = input.kind === 'json' ? readJson(input.text) : readZip(input.bytes);
  return inTransaction(ctx.db, async (trx) => {
    const { problems, notices } = await check(trx, parsed);
    const listed = notices.slice(0, importLimits.problems);
    if (problems.length > 0)
      return {
        imported: false,
        counts: {},
        problems: problems.slice(0, importLimits.problems),
        moreProblems: Math.max(0, problems.length - importLimits.problems),
        notices: listed,
      };
    const counts = await write(ctx, trx, parsed, { visibility, groupId, language });
    // A keeper's import writes listings as their form does: the log keeps one row for it.
    await recordModeration(trx, {
      actorId: actor.kind === 'user' ? actor.id : null,
      action: 'resource.import',
      targetType: 'resource',
      detail: {
        servicesCreated: counts.service?.created ?? 0,
        servicesUpdated: counts.service?.updated ?? 0,
        organizationsCreated: counts.organization?.created ?? 0,
        organizationsUpdated: counts.organization?.updated ?? 0,
      },
      now: ctx.now,
    });
    const services = await touchedServices(trx, parsed);
    for (const id of services) await refreshSearchText(trx, id);
    await fillPlaces(trx, [...parsed.rows.service.keys()]);
    return { imported: true, counts, problems: [], moreProblems: 0, notices: listed };
  });
}
