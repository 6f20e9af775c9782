import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../../app-context.js';
import type { App } from '../../../http/app.js';
import { responses } from '../../../http/schemas.js';
import type { Translate } from '../../../i18n/index.js';
import { AppError, type FieldError } from '../../../platform/errors.js';
import { policies } from '../../../security/policy.js';
import * as hsds from './api.js';
import { type ExportReach, exportDirectory } from './export.js';
import { type ImportProblem, type ImportReport, importDirectory, importLimits } from './import.js';
import { ImportExportPage } from './views.js';

const tags = ['Resource directory'];
const keepers = { policy: policies.moderator };
const anyone = { policy: policies.anyone };

// ---------------------------------------------------------------------------------------------
// Query parameters of the HSDS API, checked by hand: HSDS asks for 400 with a clear message, and
// these routes are HSDS's, not Sanad's (their description is HSDS's own OpenAPI document).

type Query = Record<string, unknown>;

const badParameter = (field: string, message: FieldError['message'], values?: FieldError['values']) =>
  new AppError('bad_request', 'resources.hsds.error.badParameter', [{ field, message, ...(values ? { values } : {}) }]);

function text(query: Query, name: string, max = 200): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw badParameter(name, 'resources.hsds.param.text', { max });
  return value;
}

function flag(query: Query, name: string): boolean {
  const value = query[name];
  if (value === undefined || value === '') return false;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw badParameter(name, 'resources.hsds.param.boolean');
}

function integer(query: Query, name: string, fallback: number, min: number, max: number): number {
  const value = query[name];
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw badParameter(name, 'resources.hsds.param.integer', { min, max });
  return n;
}

function paging(query: Query, maxPerPage = 100): hsds.Paging {
  return { page: integer(query, 'page', 1, 1, 1_000_000), perPage: integer(query, 'per_page', 50, 1, maxPerPage) };
}

function jsonOnly(query: Query): void {
  const format = text(query, 'format', 20);
  if (format !== undefined && format !== 'json') throw badParameter('format', 'resources.hsds.param.format');
}

function modifiedAfter(query: Query): number | undefined {
  const value = text(query, 'modified_after', 40);
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw badParameter('modified_after', 'resources.hsds.param.datetime');
  return ms;
}

function serviceFilters(query: Query): hsds.ServiceFilters {
  const filters: hsds.ServiceFilters = {};
  const search = text(query, 'search');
  const term = text(query, 'taxonomy_term_id', 100);
  const taxonomy = text(query, 'taxonomy_id', 100);
  const organization = text(query, 'organization_id', 100);
  const after = modifiedAfter(query);
  if (search) filters.search = search;
  if (term) filters.taxonomyTermId = term;
  if (taxonomy) filters.taxonomyId = taxonomy;
  if (organization) filters.organizationId = organization;
  if (after !== undefined) filters.modifiedAfter = after;
  return filters;
}

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

// ---------------------------------------------------------------------------------------------
// The import report as the API answers it; a refused file answers 422 with every problem in `fields`.

const Counts = Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() });
const ImportAnswer = Type.Object({
  imported: Type.Literal(true, { description: 'The whole file went in' }),
  counts: Type.Record(Type.String(), Counts, { description: 'By HSDS entity (organization, service, …)' }),
  notices: Type.Array(
    Type.Object({
      field: Type.String({ description: '`file:line:field` or `entity:id:field`' }),
      message: Type.String({ description: 'Localised' }),
    }),
    { description: 'Optional links to records neither in the file nor in the directory, left empty' },
  ),
});

/**
 * Where a problem is, as the Error component's `field`: `services.csv:3:name` (file, CSV line,
 * field) for the data package, `service:<id>:name` (entity, HSDS id, field) for JSON.
 */
function locator(p: ImportProblem): string {
  if (p.file) return `${p.file}:${p.row ?? ''}:${p.field}`;
  return `${p.entity}:${p.id ?? ''}:${p.field}`;
}

function fieldErrors(problems: ImportProblem[]): FieldError[] {
  return problems.map((p) => ({
    field: locator(p),
    message: `resources.hsds.problem.${p.reason}`,
    values: { field: p.field, parent: p.parent ?? '' },
  }));
}

function presentReport(report: ImportReport, t: Translate) {
  return {
    imported: report.imported,
    counts: report.counts,
    notices: fieldErrors(report.notices).map((f) => ({ field: f.field, message: t(f.message, f.values) })),
  };
}

const visibilities = ['public', 'members', 'group'] as const;
const zipBytes = Symbol('zip bytes');
const reaches = ['public', 'members', 'all'] as const;

/** HSDS 3.0: the read-only API at /api/hsds, keepers' import and export, and their page. */
export async function hsdsRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // The read-only HSDS API: public, published listings only, no account.
  app.get('/api/hsds', { config: anyone }, async () => ({ version: '3.0', openapi_url: hsds.hsdsOpenApiUrl }));
  app.get('/api/hsds/services', { config: anyone }, async (request) => {
    const query = request.query as Query;
    jsonOnly(query);
    const minimal = flag(query, 'minimal');
    return hsds.listServices(sctx(), serviceFilters(query), paging(query, minimal ? 1000 : 100), {
      full: flag(query, 'full'),
      minimal,
    });
  });
  app.get('/api/hsds/services/:id', { config: anyone, schema: { params: IdParams } }, async (request) =>
    hsds.getService(sctx(), request.params.id),
  );
  app.get('/api/hsds/organizations', { config: anyone }, async (request) => {
    const query = request.query as Query;
    jsonOnly(query);
    const search = text(query, 'search');
    return hsds.listOrganizations(sctx(), search ? { search } : {}, paging(query), {
      full: flag(query, 'full'),
      fullService: flag(query, 'full_service'),
    });
  });
  app.get('/api/hsds/organizations/:id', { config: anyone, schema: { params: IdParams } }, async (request) =>
    hsds.getOrganization(sctx(), request.params.id, flag(request.query as Query, 'full_service')),
  );
  app.get('/api/hsds/service_at_locations', { config: anyone }, async (request) => {
    const query = request.query as Query;
    jsonOnly(query);
    // Distance needs a map service to turn a postcode into a place, and Sanad contacts none.
    if (text(query, 'proximity', 20) !== undefined) throw badParameter('proximity', 'resources.hsds.param.proximity');
    const filters = serviceFilters(query);
    const postcode = text(query, 'postcode', 20);
    return hsds.listServiceAtLocations(sctx(), postcode ? { ...filters, postcode } : filters, paging(query), {
      full: flag(query, 'full'),
    });
  });
  app.get('/api/hsds/service_at_locations/:id', { config: anyone, schema: { params: IdParams } }, async (request) =>
    hsds.getServiceAtLocation(sctx(), request.params.id),
  );
  app.get('/api/hsds/taxonomies', { config: anyone }, async (request) => {
    const query = request.query as Query;
    jsonOnly(query);
    const search = text(query, 'search');
    return hsds.listTaxonomies(sctx(), search ? { search } : {}, paging(query));
  });
  app.get('/api/hsds/taxonomies/:id', { config: anyone, schema: { params: IdParams } }, async (request) =>
    hsds.getTaxonomy(sctx(), request.params.id),
  );
  app.get('/api/hsds/taxonomy_terms', { config: anyone }, async (request) => {
    const query = request.query as Query;
    jsonOnly(query);
    const filters: Parameters<typeof hsds.listTaxonomyTerms>[1] = { topOnly: flag(query, 'top_only') };
    const search = text(query, 'search');
    const taxonomyId = text(query, 'taxonomy_id', 100);
    const parentId = text(query, 'parent_id', 100);
    if (search) filters.search = search;
    if (taxonomyId) filters.taxonomyId = taxonomyId;
    if (parentId) filters.parentId = parentId;
    return hsds.listTaxonomyTerms(sctx(), filters, paging(query));
  });
  app.get('/api/hsds/taxonomy_terms/:id', { config: anyone, schema: { params: IdParams } }, async (request) =>
    hsds.getTaxonomyTerm(sctx(), request.params.id),
  );

  // Keepers' export: a download, JSON or the zipped data package.
  app.get(
    '/api/v1/resources/export',
    {
      config: keepers,
      schema: {
        summary: 'Export the directory in HSDS 3.0',
        description:
          '`format=json` answers an array of organizations, each with its services nested (HSDS compiled ' +
          '`organization_package`); `format=datapackage` a zip of one CSV per table and `datapackage.json`. Only ' +
          'published listings leave, public ones unless `reach` says `members` or `all`; confidential locations, ' +
          'addresses, contacts and phones never do, nor what belongs to them. Translations travel in the ' +
          '`sanad_translations` extension property (a column in CSV).',
        tags,
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('datapackage')])),
          reach: Type.Optional(Type.Union(reaches.map((r) => Type.Literal(r)))),
        }),
        response: responses(
          {
            200: Type.Unknown({
              description: 'application/json (an array of HSDS organizations) or application/zip',
            }),
          },
          401,
          404,
        ),
      },
    },
    async (request, reply) => {
      const result = await exportDirectory(sctx(), request.member, {
        format: request.query.format ?? 'json',
        reach: (request.query.reach ?? 'public') as ExportReach,
      });
      const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
      if (result.kind === 'zip')
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="hsds-${stamp}.zip"`)
          .send(Buffer.from(result.body));
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="hsds-${stamp}.json"`)
        .send(JSON.stringify(result.body));
    },
  );

  // Keepers' import: a body of up to 20 MB, JSON or zip, parsed only on this route.
  await app.register(async (scoped: App) => {
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: importLimits.bodyBytes },
      (_request, body, done) => done(null, body),
    );
    // The zip's bytes are kept out of sight of the app's walk over every body value (src/http/nul.ts),
    // which would visit each byte; the import checks every value it unpacks itself.
    scoped.addContentTypeParser(
      'application/zip',
      { parseAs: 'buffer', bodyLimit: importLimits.bodyBytes },
      (_request, body, done) => done(null, Object.defineProperty({}, zipBytes, { value: body, enumerable: false })),
    );
    scoped.post(
      '/api/v1/resources/import',
      {
        bodyLimit: importLimits.bodyBytes,
        config: { ...keepers, apiMediaTypes: ['application/zip'] },
        schema: {
          summary: 'Import a directory in HSDS 3.0',
          description:
            'The body is an HSDS JSON document (an organization, a service or a service_at_location, a list of ' +
            'them, or an API page of them) as `application/json`, or a zipped data package (`datapackage.json` and ' +
            'the CSV files named as HSDS names them) as `application/zip`, 20 MB at most. Records are matched by ' +
            'their HSDS id: importing the same file twice takes nothing twice, and a changed record is updated. ' +
            'A file goes in whole or not at all: 200 with the counts when it went in; 422 when nothing did, with ' +
            'every problem in `fields`, each `field` saying where (`services.csv:3:name`: file, CSV line and ' +
            'field; `service:<id>:name`: entity, HSDS id and field). `visibility` chooses who reads the listings ' +
            '(public by default; `group` with `groupId`), `language` the language the file is written in.',
          tags,
          querystring: Type.Object({
            visibility: Type.Optional(Type.Union(visibilities.map((v) => Type.Literal(v)))),
            groupId: Type.Optional(Type.String({ maxLength: 100 })),
            language: Type.Optional(Type.String({ maxLength: 20 })),
          }),
          response: responses({ 200: ImportAnswer }, 401, 403, 413, 415, 422),
        },
      },
      async (request) => {
        const body = request.body;
        const zip = typeof body === 'object' && body !== null ? (body as Record<symbol, unknown>)[zipBytes] : undefined;
        const input =
          typeof body === 'string'
            ? { kind: 'json' as const, text: body }
            : zip instanceof Buffer
              ? { kind: 'zip' as const, bytes: new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength) }
              : null;
        if (!input) throw new AppError('bad_request', 'resources.hsds.error.notJson');
        const { visibility, groupId, language } = request.query;
        const report = await importDirectory(sctx(), request.member, input, {
          ...(visibility ? { visibility } : {}),
          ...(groupId ? { groupId } : {}),
          ...(language ? { language } : {}),
        });
        if (!report.imported) {
          const fields = fieldErrors(report.problems);
          if (report.moreProblems > 0)
            fields.push({ field: '', message: 'resources.hsds.problem.more', values: { count: report.moreProblems } });
          throw new AppError('validation_failed', 'resources.hsds.error.refused', fields);
        }
        return presentReport(report, request.t);
      },
    );
  });

  app.get('/resources/import-export', { config: keepers }, (request, reply) =>
    reply.page(request.t('resources.hsds.page.title'), <ImportExportPage />),
  );
}
