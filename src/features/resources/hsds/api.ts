import { sql } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import { notFound } from '../../../platform/errors.js';
import { searchTextOf } from '../search-text.js';
import {
  exportableServiceIds,
  type ExportScope,
  type LooseExpressions,
  type LooseQuery,
  loadGraph,
  looseDb,
} from './graph.js';
import { Assembler, type HsdsRow, scalarObject } from './mapping.js';

/**
 * The read-only HSDS 3.0 API at /api/hsds (ADR 0057): public, published listings only, answered in
 * the shapes of HSDS's compiled schemas. No account, no personal data: the outreach part of the
 * directory, as other directories read it.
 */

/** Where HSDS's own OpenAPI description of this API lives (the base answer names it). */
export const hsdsOpenApiUrl = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json';

export interface Paging {
  page: number;
  perPage: number;
}

export interface ServiceFilters {
  search?: string;
  taxonomyTermId?: string;
  taxonomyId?: string;
  organizationId?: string;
  modifiedAfter?: number;
  postcode?: string;
}

export interface PageOf<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

function pageOf<T>(total: number, paging: Paging, contents: T[]): PageOf<T> {
  const totalPages = Math.ceil(total / paging.perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: paging.page,
    size: contents.length,
    first_page: paging.page === 1,
    last_page: paging.page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

const publicScope = (ctx: ServiceContext): ExportScope => ({ visibilities: ['public'], now: ctx.now });

type ServicesQuery = LooseQuery;
const anyDb = (ctx: ServiceContext) => looseDb(ctx.db);

/** Public, published listings whose job posting (if any) has not expired. */
function listed(ctx: ServiceContext, query: ServicesQuery, filters: ServiceFilters): ServicesQuery {
  let q: ServicesQuery = query
    .where('s.review_state', '=', 'published')
    .where('s.visibility', '=', 'public')
    .where((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', ctx.now)]));
  if (filters.search) {
    const words = searchTextOf([filters.search]).trim().split(' ').filter(Boolean);
    for (const word of words) q = q.where('s.search_text', 'like', `% ${word.replace(/[%_\\]/g, '')}%`);
  }
  if (filters.organizationId) q = q.where('s.organization_id', '=', filters.organizationId);
  if (filters.modifiedAfter !== undefined) q = q.where('s.updated_at', '>=', filters.modifiedAfter);
  if (filters.taxonomyTermId) {
    const term = filters.taxonomyTermId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('resource_attributes as a')
          .select('a.id')
          .whereRef('a.link_id', '=', 's.id')
          .where('a.taxonomy_term_id', '=', term),
      ),
    );
  }
  if (filters.taxonomyId) {
    const taxonomy = filters.taxonomyId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('resource_attributes as a')
          .innerJoin('resource_taxonomy_terms as t', 't.id', 'a.taxonomy_term_id')
          .select('a.id')
          .whereRef('a.link_id', '=', 's.id')
          .where('t.taxonomy_id', '=', taxonomy),
      ),
    );
  }
  return q;
}

const offset = (paging: Paging) => (paging.page - 1) * paging.perPage;

/** GET /api/hsds/services */
export async function listServices(
  ctx: ServiceContext,
  filters: ServiceFilters,
  paging: Paging,
  shape: { full: boolean; minimal: boolean },
) {
  const base = listed(ctx, anyDb(ctx).selectFrom('resource_services as s'), filters);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const page = await base
    .select('s.id')
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(paging.perPage)
    .offset(offset(paging))
    .execute();
  const ids = page.map((r) => r.id);
  const graph = await loadGraph(ctx.db, publicScope(ctx), new Set(ids), { shallow: !shape.full });
  const assembler = new Assembler(graph);
  const contents = ids
    .map((id) => graph.service.get(id))
    .filter((row): row is HsdsRow => row !== undefined)
    .map((row) => {
      if (shape.full) return assembler.nest('service', row);
      const own = scalarObject('service', row);
      // HSDS's `minimal`: the id and when it last changed (with the fields its list schema requires).
      if (shape.minimal)
        return {
          id: own.id,
          name: own.name,
          status: own.status,
          ...(own.last_modified ? { last_modified: own.last_modified } : {}),
        };
      return withOne(graph, own, row, [
        ['organization', 'organization_id'],
        ['program', 'program_id'],
      ]);
    });
  return pageOf(Number(total), paging, contents);
}

/** A list shape's one-to-one objects (a service's organization and program), without their own nesting. */
function withOne(
  graph: Awaited<ReturnType<typeof loadGraph>>,
  own: Record<string, unknown>,
  row: HsdsRow,
  links: [entity: 'organization' | 'program' | 'location', column: string][],
) {
  const out = { ...own };
  for (const [entity, column] of links) {
    const target = row[column];
    const linked = typeof target === 'string' ? graph[entity].get(target) : undefined;
    if (linked) out[entity] = scalarObject(entity, linked);
  }
  return out;
}

/** GET /api/hsds/services/{id} */
export async function getService(ctx: ServiceContext, id: string) {
  const leaving = await exportableServiceIds(ctx.db, publicScope(ctx), [id]);
  if (!leaving.has(id)) throw notFound();
  const graph = await loadGraph(ctx.db, publicScope(ctx), leaving);
  return new Assembler(graph).nest('service', graph.service.get(id)!);
}

const hasListing = (ctx: ServiceContext) => (eb: LooseExpressions) =>
  eb.exists(
    listed(ctx, eb.selectFrom('resource_services as s'), {}).select('s.id').whereRef('s.organization_id', '=', 'o.id'),
  );

/** GET /api/hsds/organizations */
export async function listOrganizations(
  ctx: ServiceContext,
  filters: { search?: string },
  paging: Paging,
  shape: { full: boolean; fullService: boolean },
) {
  let base: ServicesQuery = anyDb(ctx).selectFrom('resource_organizations as o').where(hasListing(ctx));
  if (filters.search) {
    const pattern = `%${filters.search.toLowerCase().replace(/[%_\\]/g, '')}%`;
    base = base.where((eb) =>
      eb.or([eb(sql`lower(o.name)`, 'like', pattern), eb(sql`lower(o.description)`, 'like', pattern)]),
    );
  }
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const page = await base
    .select('o.id')
    .orderBy('o.name')
    .orderBy('o.id')
    .limit(paging.perPage)
    .offset(offset(paging))
    .execute();
  return pageOf(
    Number(total),
    paging,
    await organizationShapes(
      ctx,
      page.map((p) => p.id as string),
      shape,
    ),
  );
}

/** Organisations as the HSDS API shows them: their own fields, or nested with what may leave of them. */
async function organizationShapes(ctx: ServiceContext, ids: string[], shape: { full: boolean; fullService: boolean }) {
  if (ids.length === 0) return [];
  const services = await ctx.db
    .selectFrom('resource_services as s')
    .select('s.id')
    .where('s.organization_id', 'in', ids)
    .execute();
  const leaving = await exportableServiceIds(
    ctx.db,
    publicScope(ctx),
    services.map((s) => s.id),
  );
  const nested = shape.full || shape.fullService;
  const graph = await loadGraph(ctx.db, publicScope(ctx), leaving, { shallow: !nested });
  const assembler = new Assembler(graph);
  return ids
    .map((id) => graph.organization.get(id))
    .filter((row): row is HsdsRow => row !== undefined)
    .map((row) => {
      if (!nested) return scalarObject('organization', row);
      const out = assembler.nest('organization', row, shape.fullService ? [] : ['services']);
      // Without full_service, the services are named by their own fields only, as HSDS's description says.
      if (!shape.fullService) {
        const list = assembler.all('service').filter((s) => s.organization_id === row.id);
        if (list.length > 0) out.services = list.map((s) => scalarObject('service', s));
      }
      return out;
    });
}

/** GET /api/hsds/organizations/{id}: fully nested. */
export async function getOrganization(ctx: ServiceContext, id: string, fullService: boolean) {
  const [organization] = await organizationShapes(ctx, [id], { full: true, fullService });
  if (!organization) throw notFound();
  return organization;
}

/** GET /api/hsds/service_at_locations */
export async function listServiceAtLocations(
  ctx: ServiceContext,
  filters: ServiceFilters,
  paging: Paging,
  shape: { full: boolean },
) {
  let base = listed(
    ctx,
    anyDb(ctx)
      .selectFrom('resource_service_at_locations as sal')
      .innerJoin('resource_services as s', 's.id', 'sal.service_id')
      .innerJoin('resource_locations as l', 'l.id', 'sal.location_id'),
    filters,
  );
  base = base.where('l.confidential', '=', 0);
  if (filters.postcode) {
    const postcode = filters.postcode;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('resource_addresses as a')
          .select('a.id')
          .whereRef('a.location_id', '=', 'l.id')
          .where('a.confidential', '=', 0)
          .where('a.postal_code', '=', postcode),
      ),
    );
  }
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const page = await base
    .select(['sal.id', 'sal.service_id'])
    .orderBy('sal.id')
    .limit(paging.perPage)
    .offset(offset(paging))
    .execute();
  const graph = await loadGraph(ctx.db, publicScope(ctx), new Set(page.map((p) => p.service_id as string)), {
    shallow: !shape.full,
  });
  const assembler = new Assembler(graph);
  const contents = page
    .map((p) => graph.service_at_location.get(p.id))
    .filter((row): row is HsdsRow => row !== undefined)
    .map((row) => (shape.full ? assembler.nest('service_at_location', row) : salListShape(graph, row)));
  return pageOf(Number(total), paging, contents);
}

function salListShape(graph: Awaited<ReturnType<typeof loadGraph>>, row: HsdsRow) {
  const out = withOne(graph, scalarObject('service_at_location', row), row, [['location', 'location_id']]);
  const service = typeof row.service_id === 'string' ? graph.service.get(row.service_id) : undefined;
  if (service)
    out.service = withOne(graph, scalarObject('service', service), service, [
      ['organization', 'organization_id'],
      ['program', 'program_id'],
    ]);
  return out;
}

/** GET /api/hsds/service_at_locations/{id} */
export async function getServiceAtLocation(ctx: ServiceContext, id: string) {
  const link = await ctx.db
    .selectFrom('resource_service_at_locations')
    .select('service_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!link?.service_id) throw notFound();
  const leaving = await exportableServiceIds(ctx.db, publicScope(ctx), [link.service_id]);
  const graph = await loadGraph(ctx.db, publicScope(ctx), leaving);
  const row = graph.service_at_location.get(id);
  if (!row) throw notFound();
  return new Assembler(graph).nest('service_at_location', row);
}

/** GET /api/hsds/taxonomies */
export async function listTaxonomies(ctx: ServiceContext, filters: { search?: string }, paging: Paging) {
  let base: ServicesQuery = anyDb(ctx).selectFrom('resource_taxonomies as x');
  if (filters.search) {
    const pattern = `%${filters.search.toLowerCase().replace(/[%_\\]/g, '')}%`;
    base = base.where(sql`lower(x.name)`, 'like', pattern);
  }
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('x.name')
    .orderBy('x.id')
    .limit(paging.perPage)
    .offset(offset(paging))
    .execute();
  return pageOf(
    Number(total),
    paging,
    rows.map((r) => scalarObject('taxonomy', r as unknown as HsdsRow)),
  );
}

/** GET /api/hsds/taxonomies/{id} */
export async function getTaxonomy(ctx: ServiceContext, id: string) {
  const row = await ctx.db.selectFrom('resource_taxonomies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return scalarObject('taxonomy', row as unknown as HsdsRow);
}

/** GET /api/hsds/taxonomy_terms */
export async function listTaxonomyTerms(
  ctx: ServiceContext,
  filters: { search?: string; taxonomyId?: string; topOnly?: boolean; parentId?: string },
  paging: Paging,
) {
  let base: ServicesQuery = anyDb(ctx).selectFrom('resource_taxonomy_terms as t');
  if (filters.search) {
    const pattern = `%${filters.search.toLowerCase().replace(/[%_\\]/g, '')}%`;
    base = base.where((eb) =>
      eb.or([eb(sql`lower(t.name)`, 'like', pattern), eb(sql`lower(t.code)`, 'like', pattern)]),
    );
  }
  if (filters.taxonomyId) base = base.where('t.taxonomy_id', '=', filters.taxonomyId);
  if (filters.topOnly) base = base.where('t.parent_id', 'is', null);
  if (filters.parentId) base = base.where('t.parent_id', '=', filters.parentId);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = (await base
    .selectAll()
    .orderBy('t.code')
    .orderBy('t.id')
    .limit(paging.perPage)
    .offset(offset(paging))
    .execute()) as HsdsRow[];
  const taxonomyIds = [...new Set(rows.map((r) => r.taxonomy_id).filter((v): v is string => typeof v === 'string'))];
  const taxonomies =
    taxonomyIds.length === 0
      ? []
      : await ctx.db.selectFrom('resource_taxonomies').selectAll().where('id', 'in', taxonomyIds).execute();
  const byId = new Map(taxonomies.map((x) => [x.id, x as unknown as HsdsRow]));
  return pageOf(
    Number(total),
    paging,
    rows.map((row) => termShape(row, typeof row.taxonomy_id === 'string' ? byId.get(row.taxonomy_id) : undefined)),
  );
}

/** A taxonomy term with its taxonomy as `taxonomy_detail`. */
function termShape(row: HsdsRow, taxonomy: HsdsRow | undefined) {
  const out = scalarObject('taxonomy_term', row);
  if (taxonomy) out.taxonomy_detail = scalarObject('taxonomy', taxonomy);
  return out;
}

/** GET /api/hsds/taxonomy_terms/{id}: with its taxonomy as `taxonomy_detail`. */
export async function getTaxonomyTerm(ctx: ServiceContext, id: string) {
  const row = await ctx.db.selectFrom('resource_taxonomy_terms').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  const taxonomy = row.taxonomy_id
    ? await ctx.db.selectFrom('resource_taxonomies').selectAll().where('id', '=', row.taxonomy_id).executeTakeFirst()
    : undefined;
  return termShape(row as unknown as HsdsRow, taxonomy as unknown as HsdsRow | undefined);
}
