import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { DbOrTx } from '../../../db/database.js';
import type { ListingVisibility } from '../policy.js';
import { emptyRowSet, entities, type HsdsEntity, type HsdsRow, type RowSet, specOf } from './mapping.js';

/**
 * Loading the part of the directory that may leave Sanad, as HSDS rows (ADR 0057). What leaves:
 * published listings of the chosen visibilities whose job posting (if any) has not expired, their
 * organisations, and everything hanging from them, except confidential locations, addresses,
 * contacts and phones, and everything that hangs from those. A record linked to anything that does
 * not leave does not leave either: a phone shared by a public service and a group-limited one
 * stays home.
 */

/**
 * HSDS's twenty tables are read and written by name, their columns coming from the mapping, and
 * the API's queries alias and join them freely: typed per table, each would be twenty copies. The
 * tests check every column against both engines' schemas.
 */
// biome-ignore lint/suspicious/noExplicitAny: tables chosen at run time from the mapping (see above)
export type LooseDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: tables and aliases chosen at run time (see above)
export type LooseQuery = SelectQueryBuilder<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: tables and aliases chosen at run time (see above)
export type LooseExpressions = ExpressionBuilder<any, any>;
export const looseDb = (db: DbOrTx) => db as unknown as LooseDb;
const anyDb = looseDb;

/** IN lists stay well under both engines' limits on bound parameters. */
const chunk = 500;

async function selectIn(db: DbOrTx, entity: HsdsEntity, column: string, ids: Iterable<string>): Promise<HsdsRow[]> {
  const list = [...new Set(ids)];
  const s = specOf[entity];
  const columns = [
    ...s.columns,
    ...(s.translated ? ['translations'] : []),
    ...(s.confidential ? ['confidential'] : []),
  ];
  const out: HsdsRow[] = [];
  for (let i = 0; i < list.length; i += chunk) {
    const rows = await anyDb(db)
      .selectFrom(s.table)
      .select(columns)
      .where(column, 'in', list.slice(i, i + chunk))
      .execute();
    out.push(...(rows as HsdsRow[]));
  }
  return out;
}

export interface ExportScope {
  visibilities: readonly ListingVisibility[];
  now: number;
}

/** Services that may leave under this scope, among `ids` (all of them when `ids` is omitted). */
export async function exportableServiceIds(db: DbOrTx, scope: ExportScope, ids?: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const query = (slice?: string[]) => {
    let q = db
      .selectFrom('resource_services')
      .select('id')
      .where('review_state', '=', 'published')
      .where('visibility', 'in', [...scope.visibilities])
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', scope.now)]));
    if (slice) q = q.where('id', 'in', slice);
    return q.execute();
  };
  if (!ids) for (const row of await query()) found.add(row.id);
  else
    for (let i = 0; i < ids.length; i += chunk)
      for (const row of await query(ids.slice(i, i + chunk))) found.add(row.id);
  return found;
}

/**
 * The rows an export of these services holds. `allTerms` adds every taxonomy and term (the data
 * package lists them whole; nested JSON carries the terms its attributes use). `shallow` stops at
 * services, their organisations, programs, service-at-locations and locations: what the HSDS API's
 * list shapes show, without reading the rest.
 */
export async function loadGraph(
  db: DbOrTx,
  scope: ExportScope,
  serviceIds: Set<string>,
  options: { allTerms?: boolean; shallow?: boolean } = {},
): Promise<RowSet> {
  const rows = emptyRowSet();
  const put = (entity: HsdsEntity, list: HsdsRow[]) => {
    for (const row of list) rows[entity].set(String(row.id), row);
  };
  const ids = (entity: HsdsEntity) => [...rows[entity].keys()];
  const values = (entity: HsdsEntity, column: string) =>
    [...rows[entity].values()].map((r) => r[column]).filter((v): v is string => typeof v === 'string');

  put('service', await selectIn(db, 'service', 'id', serviceIds));
  put('organization', await selectIn(db, 'organization', 'id', values('service', 'organization_id')));
  put('program', [
    ...(await selectIn(db, 'program', 'organization_id', ids('organization'))),
    ...(await selectIn(db, 'program', 'id', values('service', 'program_id'))),
  ]);
  put('service_at_location', await selectIn(db, 'service_at_location', 'service_id', ids('service')));

  // A location leaves when it is not confidential and serves a listing that leaves, or serves none
  // (an organisation's own office); never when it serves only listings that stay.
  const candidates = [
    ...(await selectIn(db, 'location', 'id', values('service_at_location', 'location_id'))),
    ...(await selectIn(db, 'location', 'organization_id', ids('organization'))),
  ].filter((l) => Number(l.confidential) !== 1);
  const links = await selectIn(
    db,
    'service_at_location',
    'location_id',
    candidates.map((l) => String(l.id)),
  );
  const servedBy = new Map<string, string[]>();
  for (const link of links) {
    if (typeof link.location_id !== 'string' || typeof link.service_id !== 'string') continue;
    servedBy.set(link.location_id, [...(servedBy.get(link.location_id) ?? []), link.service_id]);
  }
  const leaving = await exportableServiceIds(db, scope, [
    ...new Set(links.map((l) => l.service_id).filter((v): v is string => typeof v === 'string')),
  ]);
  put(
    'location',
    candidates.filter((l) => {
      const served = servedBy.get(String(l.id)) ?? [];
      return served.length === 0 || served.some((id) => leaving.has(id));
    }),
  );
  for (const [id, link] of rows.service_at_location)
    if (typeof link.location_id === 'string' && !rows.location.has(link.location_id))
      rows.service_at_location.delete(id);

  if (options.shallow) return rows;

  const byParents = async (entity: HsdsEntity) => {
    const found: HsdsRow[] = [];
    for (const [column, parent] of Object.entries(specOf[entity].parents))
      found.push(...(await selectIn(db, entity, column, ids(parent))));
    return found.filter((r) => Number(r.confidential ?? 0) !== 1);
  };
  put('address', await byParents('address'));
  put('accessibility', await byParents('accessibility'));
  put('contact', await byParents('contact'));
  put('phone', await byParents('phone'));
  for (const entity of [
    'schedule',
    'language',
    'service_area',
    'cost_option',
    'required_document',
    'funding',
    'organization_identifier',
  ] as const)
    put(entity, await byParents(entity));

  // Whatever names a record that stays (confidential, or not leaving) stays too; repeated until
  // nothing changes, as a phone's languages follow the phone.
  let changed = true;
  while (changed) {
    changed = false;
    for (const spec of entities) {
      for (const [id, row] of rows[spec.entity]) {
        for (const [column, parent] of Object.entries(spec.parents)) {
          const target = row[column];
          if (typeof target === 'string' && target !== '' && !rows[parent].has(target)) {
            if (parent === 'taxonomy' || parent === 'taxonomy_term') continue;
            rows[spec.entity].delete(id);
            changed = true;
            break;
          }
        }
      }
    }
  }

  const everything = entities
    .filter((e) => !['taxonomy', 'taxonomy_term', 'attribute', 'metadata'].includes(e.entity))
    .flatMap((e) => ids(e.entity));
  put('attribute', await selectIn(db, 'attribute', 'link_id', everything));
  if (options.allTerms) {
    put('taxonomy_term', (await anyDb(db).selectFrom('resource_taxonomy_terms').selectAll().execute()) as HsdsRow[]);
    put('taxonomy', (await anyDb(db).selectFrom('resource_taxonomies').selectAll().execute()) as HsdsRow[]);
  } else {
    put('taxonomy_term', await selectIn(db, 'taxonomy_term', 'id', values('attribute', 'taxonomy_term_id')));
    put('taxonomy', await selectIn(db, 'taxonomy', 'id', values('taxonomy_term', 'taxonomy_id')));
  }
  put('metadata', await selectIn(db, 'metadata', 'resource_id', [...everything, ...ids('attribute')]));
  return rows;
}
