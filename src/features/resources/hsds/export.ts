import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync } from 'fflate';
import type { ServiceContext } from '../../../app-context.js';
import { notFound } from '../../../platform/errors.js';
import type { Actor } from '../../../security/actor.js';
import { canExport, type ListingVisibility } from '../policy.js';
import { type ExportScope, exportableServiceIds, loadGraph } from './graph.js';
import { Assembler, dataPackageDescriptor, entities, type HsdsEntity, translationsProperty } from './mapping.js';

/** Which listings an export takes: public ones by default; a keeper may widen it on purpose. */
export type ExportReach = 'public' | 'members' | 'all';

export function visibilitiesOf(reach: ExportReach): ListingVisibility[] {
  if (reach === 'all') return ['public', 'members', 'group'];
  if (reach === 'members') return ['public', 'members'];
  return ['public'];
}

/** Every organisation with at least one listing that leaves, each with its services nested (organization_package). */
export async function exportOrganizations(ctx: ServiceContext, scope: ExportScope): Promise<Record<string, unknown>[]> {
  const rows = await loadGraph(ctx.db, scope, await exportableServiceIds(ctx.db, scope));
  const assembler = new Assembler(rows);
  return assembler.all('organization').map((org) => assembler.nest('organization', org));
}

/** The data package: one CSV per table, named as HSDS's examples/csv, plus datapackage.json, zipped. */
export async function exportDataPackage(ctx: ServiceContext, scope: ExportScope): Promise<Uint8Array> {
  const rows = await loadGraph(ctx.db, scope, await exportableServiceIds(ctx.db, scope), { allTerms: true });
  const assembler = new Assembler(rows);
  const files: Record<string, Uint8Array> = {};
  const described: { entity: HsdsEntity; columns: string[] }[] = [];
  for (const spec of entities) {
    const columns = [...spec.columns, ...(spec.translated ? [translationsProperty] : [])];
    const records = assembler.all(spec.entity).map((row) =>
      columns.map((column) => {
        const value = column === translationsProperty ? row.translations : row[column];
        return value === null || value === undefined ? '' : String(value);
      }),
    );
    files[spec.file] = strToU8(stringify([columns, ...records]));
    described.push({ entity: spec.entity, columns });
  }
  files['datapackage.json'] = strToU8(`${JSON.stringify(dataPackageDescriptor(described), null, 2)}\n`);
  // A fixed time for every entry: two exports of the same rows are the same bytes.
  return zipSync(files, { mtime: new Date('2020-01-01T00:00:00Z') });
}

/** A keeper's export of the directory (GET /api/v1/resources/export). */
export async function exportDirectory(
  ctx: ServiceContext,
  actor: Actor,
  input: { format: 'json' | 'datapackage'; reach: ExportReach },
): Promise<{ kind: 'json'; body: Record<string, unknown>[] } | { kind: 'zip'; body: Uint8Array }> {
  if (!canExport(actor)) throw notFound();
  const scope = { visibilities: visibilitiesOf(input.reach), now: ctx.now };
  if (input.format === 'datapackage') return { kind: 'zip', body: await exportDataPackage(ctx, scope) };
  return { kind: 'json', body: await exportOrganizations(ctx, scope) };
}
