import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { serviceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';
import { TestClient } from '../../../../test/support/client.js';
import { createListing } from '../../../../test/support/resources.js';
import { createTestRuntime, type TestRuntime } from '../../../../test/support/runtime.js';
import { asMember, createUser, signInAs } from '../../../../test/support/seed.js';
import { exportDataPackage, exportOrganizations } from './export.js';
import { importDirectory, type ImportInput, type ImportReport } from './import.js';

// The official HSDS 3.0 schemas and examples sit beside the project, unchanged (../shared/hsds).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const hsdsRoot = path.resolve(repoRoot, '../shared/hsds');
if (!fs.existsSync(path.join(hsdsRoot, 'schema/compiled/organization.json')))
  throw new Error(`The official HSDS 3.0 specification is missing at ${hsdsRoot}: the HSDS tests need it`);

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(hsdsRoot, file), 'utf8'));

// ajv-formats is published as CommonJS; its default export is the plugin itself.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;
// HSDS's schemas carry data-package keywords (name, path, constraints, core…) that are not JSON Schema.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
for (const file of fs.readdirSync(path.join(hsdsRoot, 'schema')))
  if (file.endsWith('.json') && file !== 'openapi.json') ajv.addSchema(readJson(`schema/${file}`) as object, file);
const validators = new Map<string, ValidateFunction>();
function validate(schemaFile: string, value: unknown): void {
  let check = validators.get(schemaFile);
  if (!check) {
    check = ajv.compile(readJson(schemaFile) as object);
    validators.set(schemaFile, check);
  }
  assert.ok(check(value), `${schemaFile}: ${ajv.errorsText(check.errors, { separator: '\n' })}`);
}
/** An HSDS API page: the Page fields of HSDS's OpenAPI description, and each item against its schema. */
function validatePage(value: any, itemSchema: string): void {
  for (const key of ['total_items', 'total_pages', 'page_number', 'size'])
    assert.ok(Number.isInteger(value[key]), `${key} is an integer`);
  for (const key of ['first_page', 'last_page', 'empty']) assert.equal(typeof value[key], 'boolean', key);
  assert.ok(Array.isArray(value.contents));
  assert.equal(value.size, value.contents.length);
  for (const item of value.contents) validate(itemSchema, item);
}

/** The official example data package, zipped as a directory would send it. */
function exampleDataPackage(): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const file of fs.readdirSync(path.join(hsdsRoot, 'examples/csv')))
    if (file.endsWith('.csv')) files[file] = fs.readFileSync(path.join(hsdsRoot, 'examples/csv', file));
  // examples/csv/datapackage.json is a link to the specification's own descriptor.
  files['datapackage.json'] = fs.readFileSync(path.join(hsdsRoot, 'datapackage.json'));
  return zipSync(files);
}

async function keeperOf(rt: TestRuntime): Promise<Member> {
  return asMember(
    await createUser(rt, { username: `keeper${Math.random().toString(36).slice(2, 8)}`, role: 'moderator' }),
  );
}

async function imported(rt: TestRuntime, keeper: Member, input: ImportInput, language = 'en'): Promise<ImportReport> {
  return importDirectory(serviceContext(rt.ctx), keeper, input, { language });
}

const jsonOf = (value: unknown): ImportInput => ({ kind: 'json', text: JSON.stringify(value) });
const publicScope = (rt: TestRuntime) => ({ visibilities: ['public' as const], now: rt.ctx.now() });

async function rowCounts(rt: TestRuntime): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'resource_organizations',
    'resource_services',
    'resource_locations',
    'resource_phones',
    'resource_attributes',
    'resource_taxonomy_terms',
  ] as const) {
    const row = await rt.ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const importable = [
  'organization_full.json',
  'organization_list.json',
  'service_full.json',
  'service_list.json',
  'service_at_location_full.json',
  'service_at_location_list.json',
  'location.json',
  'taxonomy.json',
  'taxonomy_list.json',
  'taxonomy_term.json',
  'taxonomy_term_list.json',
  'tabular.json',
];

describe("HSDS 3.0's own examples", () => {
  let rt: TestRuntime;
  let keeper: Member;
  before(async () => {
    rt = await createTestRuntime();
    keeper = await keeperOf(rt);
  });
  after(async () => rt.close());

  test('every JSON example with records imports cleanly, and again changes nothing', async () => {
    // base.json is the API's description of itself, not records.
    const examples = fs.readdirSync(path.join(hsdsRoot, 'examples')).filter((f) => f.endsWith('.json'));
    assert.deepEqual(examples.filter((f) => f !== 'base.json').sort(), [...importable].sort());
    for (const file of importable) {
      const input: ImportInput = { kind: 'json', text: fs.readFileSync(path.join(hsdsRoot, 'examples', file), 'utf8') };
      const first = await imported(rt, keeper, input);
      assert.equal(first.imported, true, `${file}: ${JSON.stringify(first.problems)}`);
      assert.ok(Object.keys(first.counts).length > 0, file);
      const before = await rowCounts(rt);
      const again = await imported(rt, keeper, input);
      assert.equal(again.imported, true);
      for (const [entity, counts] of Object.entries(again.counts)) {
        assert.equal(counts.created, 0, `${file}: ${entity} created again`);
        assert.equal(counts.updated, 0, `${file}: ${entity} updated again`);
      }
      assert.deepEqual(await rowCounts(rt), before, file);
    }
    const service = await rt.ctx.db
      .selectFrom('resource_services')
      .selectAll()
      .where('id', '=', 'ac148810-d857-441c-9679-408f346de14b')
      .executeTakeFirstOrThrow();
    assert.equal(service.review_state, 'published');
    assert.equal(service.visibility, 'public');
    assert.equal(service.language, 'en');
    assert.match(service.search_text, / counselling /);
  });

  test('the example data package imports cleanly, its dangling optional links left out and said', async () => {
    const fresh = await createTestRuntime();
    try {
      const report = await imported(fresh, await keeperOf(fresh), { kind: 'zip', bytes: exampleDataPackage() });
      assert.equal(report.imported, true, JSON.stringify(report.problems));
      for (const entity of ['organization', 'service', 'location', 'address', 'phone', 'schedule', 'attribute'])
        assert.equal(report.counts[entity as 'service']?.created, 1, entity);
      assert.ok(report.notices.every((n) => n.reason === 'unlinked' && n.file && n.row));
      assert.ok(report.notices.some((n) => n.entity === 'location' && n.field === 'organization_id'));
    } finally {
      await fresh.close();
    }
  });
});

describe('export and round trip', () => {
  let rt: TestRuntime;
  let keeper: Member;
  before(async () => {
    rt = await createTestRuntime();
    keeper = await keeperOf(rt);
    // Every kind of record HSDS has, from its own example, beside Sanad's listings.
    const example = await imported(rt, keeper, {
      kind: 'json',
      text: fs.readFileSync(path.join(hsdsRoot, 'examples/organization_full.json'), 'utf8'),
    });
    assert.equal(example.imported, true);
    await createListing(rt, {
      organization: {
        name: 'Helm',
        translations: JSON.stringify({ ar: { name: 'حلم', description: 'جمعية مجتمعية' } }),
      },
      service: { name: 'Legal clinic', translations: JSON.stringify({ ar: { name: 'عيادة قانونية' } }) },
      address: { address_1: 'Mar Mikhael street', city: 'Beirut', country: 'LB' },
      phones: [{ number: '+961 1 000 001' }, { number: '+961 1 999 999', confidential: true }],
      schedules: [{ byday: 'MO,TU', opens_at: '09:00', closes_at: '13:00' }],
      languages: ['ar', 'en'],
      terms: ['legal-aid'],
    });
    await createListing(rt, {
      organization: { name: 'Safe roof' },
      service: { name: 'Shelter' },
      address: { address_1: 'Hidden house 7', city: 'Amman', country: 'JO', confidential: true },
      terms: ['housing-shelter'],
    });
    await createListing(rt, {
      organization: { name: 'Quiet clinic' },
      service: { name: 'Discreet care', visibility: 'group' },
    });
    await createListing(rt, {
      organization: { name: 'Waiting room' },
      service: { name: 'Suggested clinic', review_state: 'pending' },
    });
  });
  after(async () => rt.close());

  test('the JSON export validates, leaves confidential and non-public records home, and comes back identical', async () => {
    const first = await exportOrganizations(serviceContext(rt.ctx), publicScope(rt));
    validate('schema/compiled/organization_package.json', first);
    for (const organization of first) validate('schema/compiled/organization.json', organization);
    const text = JSON.stringify(first);
    assert.match(text, /Mar Mikhael street/);
    assert.match(text, /عيادة قانونية/);
    assert.doesNotMatch(text, /Hidden house 7/);
    assert.doesNotMatch(text, /999 999/);
    assert.doesNotMatch(text, /Discreet care|Quiet clinic|Suggested clinic|Waiting room/);
    // An address without a postcode still has the property HSDS requires.
    assert.match(text, /"postal_code":""/);

    const empty = await createTestRuntime();
    try {
      const report = await imported(empty, await keeperOf(empty), jsonOf(first));
      assert.equal(report.imported, true, JSON.stringify(report.problems));
      const second = await exportOrganizations(serviceContext(empty.ctx), publicScope(empty));
      assert.deepEqual(second, first);
    } finally {
      await empty.close();
    }
  });

  test('the data package holds every table HSDS names and comes back identical', async () => {
    const zip = await exportDataPackage(serviceContext(rt.ctx), publicScope(rt));
    const files = unzipSync(zip);
    const descriptor = JSON.parse(strFromU8(files['datapackage.json']!));
    assert.equal(descriptor.profile, 'tabular-data-package');
    const official = (readJson('datapackage.json') as { resources: { name: string; path: string }[] }).resources;
    for (const resource of official.filter((r) => r.name !== 'meta_table_description'))
      assert.ok(files[resource.path], `${resource.path} is in the package`);
    const csv = strFromU8(files['addresses.csv']!);
    assert.match(
      csv,
      /^id,location_id,attention,address_1,address_2,city,region,state_province,postal_code,country,address_type\n/,
    );
    assert.doesNotMatch(
      Object.values(files)
        .map((data) => strFromU8(data))
        .join('\n'),
      /Hidden house 7|999 999|Discreet care/,
    );

    const empty = await createTestRuntime();
    try {
      const report = await imported(empty, await keeperOf(empty), { kind: 'zip', bytes: zip });
      assert.equal(report.imported, true, JSON.stringify(report.problems));
      assert.deepEqual(report.notices, []);
      const again = await exportDataPackage(serviceContext(empty.ctx), publicScope(empty));
      const second = unzipSync(again);
      for (const name of Object.keys(files)) assert.equal(strFromU8(second[name]!), strFromU8(files[name]!), name);
    } finally {
      await empty.close();
    }
  });
});

describe('a bad file', () => {
  let rt: TestRuntime;
  let keeper: Member;
  before(async () => {
    rt = await createTestRuntime();
    keeper = await keeperOf(rt);
  });
  after(async () => rt.close());

  test('imports nothing and reports each problem with where and why', async () => {
    const before = await rowCounts(rt);
    const report = await imported(
      rt,
      keeper,
      jsonOf([
        {
          id: '11111111-1111-4111-8111-111111111111',
          name: 'Good organisation',
          description: 'Fine',
          services: [
            { id: '22222222-2222-4222-8222-222222222222', name: 'Fine service', status: 'active' },
            { id: '33333333-3333-4333-8333-333333333333', status: 'active' },
            {
              id: 'not-a-uuid',
              name: 'Odd id',
              status: 'active',
              phones: [{ id: '44444444-4444-4444-8444-444444444444', number: '1', extension: 'twelve' }],
            },
          ],
        },
      ]),
    );
    assert.equal(report.imported, false);
    assert.deepEqual(report.counts, {});
    const said = report.problems.map((p) => `${p.entity} ${p.id} ${p.field} ${p.reason}`).sort();
    assert.deepEqual(said, [
      'phone 44444444-4444-4444-8444-444444444444 extension notNumber',
      'service 33333333-3333-4333-8333-333333333333 name required',
      'service not-a-uuid id badId',
    ]);
    assert.deepEqual(await rowCounts(rt), before);
  });

  test('a document nested deeper than HSDS nests is refused, not a crash', async () => {
    let organization: Record<string, unknown> = { id: crypto.randomUUID(), name: 'Bottom', description: 'x' };
    for (let i = 0; i < 300; i++)
      organization = {
        id: crypto.randomUUID(),
        name: `Level ${i}`,
        description: 'x',
        services: [{ id: crypto.randomUUID(), name: 'S', status: 'active', organization }],
      };
    const report = await imported(rt, keeper, jsonOf(organization));
    assert.equal(report.imported, false);
    assert.ok(report.problems.some((p) => p.reason === 'tooDeep'));
  });

  test('a CSV problem names its file and line', async () => {
    const files: Record<string, Uint8Array> = {
      'datapackage.json': new TextEncoder().encode(JSON.stringify({ resources: [] })),
      'organizations.csv': new TextEncoder().encode(
        'id,name,description,year_incorporated\n55555555-5555-4555-8555-555555555555,Org,About,soon\n',
      ),
      'services.csv': new TextEncoder().encode(
        'id,organization_id,name,status\n66666666-6666-4666-8666-666666666666,55555555-5555-4555-8555-555555555555,,active\n',
      ),
    };
    const report = await imported(rt, keeper, { kind: 'zip', bytes: zipSync(files) });
    assert.equal(report.imported, false);
    assert.deepEqual(
      report.problems.map((p) => [p.file, p.row, p.field, p.reason]),
      [
        ['organizations.csv', 2, 'year_incorporated', 'notNumber'],
        ['services.csv', 2, 'name', 'required'],
      ],
    );
  });

  test('a changed record updates, and only it', async () => {
    const organization = {
      id: '77777777-7777-4777-8777-777777777777',
      name: 'Rainbow line',
      description: 'A phone line',
      services: [{ id: '88888888-8888-4888-8888-888888888888', name: 'Listening line', status: 'active' }],
    };
    assert.equal((await imported(rt, keeper, jsonOf(organization))).imported, true);
    const changed = await imported(
      rt,
      keeper,
      jsonOf({ ...organization, services: [{ ...organization.services[0], name: 'Night listening line' }] }),
    );
    assert.deepEqual(changed.counts.service, { created: 0, updated: 1, unchanged: 0 });
    assert.deepEqual(changed.counts.organization, { created: 0, updated: 0, unchanged: 1 });
    const row = await rt.ctx.db
      .selectFrom('resource_services')
      .select(['name', 'search_text'])
      .where('id', '=', organization.services[0]!.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.name, 'Night listening line');
    assert.match(row.search_text, / night /);

    // Another directory's file has no translations and may name a record by a few fields: what it
    // leaves out stays; what it empties (null) is emptied.
    const translated = { ar: { name: 'خط الإصغاء' } };
    await imported(rt, keeper, jsonOf({ ...organization, services: [], sanad_translations: translated }));
    const partial = await imported(
      rt,
      keeper,
      jsonOf({ id: organization.id, name: 'Rainbow line', description: null }),
    );
    assert.equal(partial.imported, true, JSON.stringify(partial.problems));
    const stored = await rt.ctx.db
      .selectFrom('resource_organizations')
      .select(['translations', 'description'])
      .where('id', '=', organization.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(stored.translations ?? 'null'), translated);
    assert.equal(stored.description, null);
  });
});

describe('the HSDS API and the keepers’ routes', () => {
  let rt: TestRuntime;
  let visitor: TestClient;
  const ids: Record<string, string> = {};
  before(async () => {
    rt = await createTestRuntime();
    visitor = new TestClient(rt.app);
    const keeper = await keeperOf(rt);
    await imported(rt, keeper, {
      kind: 'json',
      text: fs.readFileSync(path.join(hsdsRoot, 'examples/organization_full.json'), 'utf8'),
    });
    const open = await createListing(rt, {
      organization: { name: 'Open door' },
      service: { name: 'Open legal clinic' },
      address: { address_1: 'Gemmayzeh 12', city: 'Beirut', country: 'LB' },
      phones: [{ number: '+961 1 000 002' }, { number: '+961 1 888 888', confidential: true }],
      terms: ['legal-aid'],
    });
    ids.open = open.serviceId;
    ids.openOrganization = open.organizationId;
    const shelter = await createListing(rt, {
      organization: { name: 'Roof' },
      service: { name: 'Night shelter' },
      address: { address_1: 'Secret lane 3', city: 'Tunis', country: 'TN', confidential: true },
    });
    ids.shelter = shelter.serviceId;
    ids.members = (
      await createListing(rt, {
        organization: { name: 'Members org' },
        service: { name: 'Members clinic', visibility: 'members' },
      })
    ).serviceId;
    ids.pending = (
      await createListing(rt, {
        organization: { name: 'Waiting org' },
        service: { name: 'Waiting clinic', review_state: 'pending' },
      })
    ).serviceId;
    ids.expired = (
      await createListing(rt, {
        organization: { name: 'Old jobs' },
        service: { name: 'Old job', kind: 'job', expires_at: Date.now() - 1000 },
      })
    ).serviceId;
  });
  after(async () => rt.close());

  test('the base answer names HSDS 3.0', async () => {
    const response = await visitor.get('/api/hsds');
    assert.equal(response.status, 200);
    assert.equal(response.json().version, '3.0');
  });

  test('lists and records validate, with public published listings only', async () => {
    const services = await visitor.get('/api/hsds/services');
    assert.equal(services.status, 200);
    validatePage(services.json(), 'schema/compiled/service_list.json');
    const names = services
      .json()
      .contents.map((s: { name: string }) => s.name)
      .sort();
    assert.deepEqual(names, ['Community Counselling', 'Night shelter', 'Open legal clinic']);

    const full = await visitor.get('/api/hsds/services?full=true&per_page=2&page=1');
    validatePage(full.json(), 'schema/compiled/service.json');
    assert.equal(full.json().total_pages, 2);
    assert.equal(full.json().last_page, false);
    const minimal = await visitor.get('/api/hsds/services?minimal=true');
    validatePage(minimal.json(), 'schema/compiled/service_list.json');

    for (const id of [ids.open, ids.shelter, 'ac148810-d857-441c-9679-408f346de14b']) {
      const one = await visitor.get(`/api/hsds/services/${id}`);
      assert.equal(one.status, 200);
      validate('schema/compiled/service.json', one.json());
    }
    const organizations = await visitor.get('/api/hsds/organizations');
    validatePage(organizations.json(), 'schema/compiled/organization_list.json');
    assert.equal(organizations.json().total_items, 3);
    const organization = await visitor.get(`/api/hsds/organizations/${ids.openOrganization}?full_service=true`);
    validate('schema/compiled/organization.json', organization.json());
    const links = await visitor.get('/api/hsds/service_at_locations');
    validatePage(links.json(), 'schema/compiled/service_at_location_list.json');
    const fullLinks = await visitor.get('/api/hsds/service_at_locations?full=true');
    validatePage(fullLinks.json(), 'schema/compiled/service_at_location.json');
    for (const link of fullLinks.json().contents) {
      const one = await visitor.get(`/api/hsds/service_at_locations/${link.id}`);
      validate('schema/compiled/service_at_location.json', one.json());
    }
    const taxonomies = await visitor.get('/api/hsds/taxonomies');
    validatePage(taxonomies.json(), 'schema/taxonomy.json');
    const terms = await visitor.get('/api/hsds/taxonomy_terms?per_page=100');
    validatePage(terms.json(), 'schema/taxonomy_term.json');
    const term = await visitor.get('/api/hsds/taxonomy_terms/0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c05');
    validate('schema/taxonomy_term.json', term.json());
    const taxonomy = await visitor.get(`/api/hsds/taxonomies/${term.json().taxonomy_id}`);
    validate('schema/taxonomy.json', taxonomy.json());
  });

  test('filters narrow the list', async () => {
    const legal = await visitor.get('/api/hsds/services?taxonomy_term_id=0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c05');
    assert.deepEqual(
      legal.json().contents.map((s: { id: string }) => s.id),
      [ids.open],
    );
    const searched = await visitor.get(`/api/hsds/services?search=${encodeURIComponent('open door')}`);
    assert.deepEqual(
      searched.json().contents.map((s: { id: string }) => s.id),
      [ids.open],
    );
    const byOrganization = await visitor.get(`/api/hsds/services?organization_id=${ids.openOrganization}`);
    assert.equal(byOrganization.json().total_items, 1);
    const later = await visitor.get('/api/hsds/services?modified_after=2999-01-01T00:00:00Z');
    assert.equal(later.json().empty, true);
  });

  test('confidential places and phones never appear', async () => {
    const answers = [
      await visitor.get(`/api/hsds/services/${ids.open}`),
      await visitor.get(`/api/hsds/services/${ids.shelter}`),
      await visitor.get('/api/hsds/services?full=true&per_page=100'),
      await visitor.get('/api/hsds/service_at_locations?full=true'),
      await visitor.get('/api/hsds/organizations?full=true&full_service=true'),
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.doesNotMatch(answer.body, /Secret lane|888 888/);
    }
    assert.match(answers[0]!.body, /Gemmayzeh 12/);
    // The shelter is listed, its place is not.
    assert.equal(answers[1]!.json().service_at_locations, undefined);
  });

  test('members-only, waiting and expired listings are not there', async () => {
    for (const id of [ids.members, ids.pending, ids.expired, 'no-such-id']) {
      const answer = await visitor.get(`/api/hsds/services/${id}`);
      assert.equal(answer.status, 404, id);
    }
    const organizations = await visitor.get('/api/hsds/organizations?per_page=100');
    assert.doesNotMatch(organizations.body, /Members org|Waiting org|Old jobs/);
  });

  test('bad parameters answer 400 saying which', async () => {
    for (const [query, field] of [
      ['page=0', 'page'],
      ['per_page=5000', 'per_page'],
      ['full=perhaps', 'full'],
      ['modified_after=yesterday', 'modified_after'],
      ['format=xml', 'format'],
    ]) {
      const answer = await visitor.get(`/api/hsds/services?${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.json().error.fields[0].field, field);
    }
    const proximity = await visitor.get('/api/hsds/service_at_locations?postcode=1100&proximity=500');
    assert.equal(proximity.status, 400);
  });

  test('import and export are the keepers’ alone', async () => {
    const member = new TestClient(rt.app);
    member.bearer = await signInAs(rt, member, await createUser(rt, { username: 'plainmember' }));
    const keeper = new TestClient(rt.app);
    keeper.bearer = await signInAs(rt, keeper, await createUser(rt, { username: 'dirkeeper', role: 'moderator' }));
    const document = {
      id: '99999999-9999-4999-8999-999999999999',
      name: 'Posted org',
      description: 'About',
      services: [{ id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', name: 'Posted service', status: 'active' }],
    };
    assert.equal((await visitor.api('POST', '/api/v1/resources/import', document)).status, 401);
    assert.equal((await member.api('POST', '/api/v1/resources/import', document)).status, 403);
    assert.equal((await visitor.get('/api/v1/resources/export')).status, 401);
    assert.equal((await member.get('/api/v1/resources/export')).status, 404);
    assert.equal((await member.get('/resources/import-export')).status, 404);

    const posted = await keeper.api('POST', '/api/v1/resources/import?visibility=members', document);
    assert.equal(posted.status, 200, posted.body);
    assert.deepEqual(posted.json().counts.service, { created: 1, updated: 0, unchanged: 0 });
    const stored = await rt.ctx.db
      .selectFrom('resource_services')
      .select('visibility')
      .where('id', '=', document.services[0]!.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.visibility, 'members');

    const noGroup = await keeper.api('POST', '/api/v1/resources/import?visibility=group', document);
    assert.equal(noGroup.status, 400);
    assert.equal(noGroup.json().error.fields[0].field, 'groupId');

    const bad = await keeper.api('POST', '/api/v1/resources/import', { ...document, name: '' });
    assert.equal(bad.status, 422);
    assert.equal(bad.json().error.code, 'validation_failed');
    assert.deepEqual(bad.json().error.fields, [
      { field: `organization:${document.id}:name`, message: 'The field name is required.' },
    ]);
    keeper.acceptLanguage = 'ar';
    const badAr = await keeper.api('POST', '/api/v1/resources/import', { ...document, name: '' });
    assert.equal(badAr.json().error.fields[0].message, 'الحقل name مطلوب.');
    keeper.acceptLanguage = 'en';

    const zip = await keeper.get('/api/v1/resources/export?format=datapackage');
    assert.equal(zip.status, 200);
    assert.equal(zip.headers['content-type'], 'application/zip');
    const raw = await rt.app.inject({
      method: 'POST',
      url: '/api/v1/resources/import',
      headers: { authorization: `Bearer ${keeper.bearer}`, 'content-type': 'application/zip' },
      payload: Buffer.from(exampleDataPackage()),
    });
    assert.equal(raw.statusCode, 200, raw.body);
    assert.equal(JSON.parse(raw.body).imported, true);

    const nul = await keeper.api('POST', '/api/v1/resources/import', { ...document, description: 'a\u0000b' });
    assert.equal(nul.status, 422);
    assert.equal(nul.json().error.fields[0].field, `organization:${document.id}:description`);
    const tooLarge = await rt.app.inject({
      method: 'POST',
      url: '/api/v1/resources/import',
      headers: { authorization: `Bearer ${keeper.bearer}`, 'content-type': 'application/zip' },
      payload: Buffer.alloc(21 * 1024 * 1024),
    });
    assert.equal(tooLarge.statusCode, 413);
    const notZip = await rt.app.inject({
      method: 'POST',
      url: '/api/v1/resources/import',
      headers: { authorization: `Bearer ${keeper.bearer}`, 'content-type': 'application/zip' },
      payload: Buffer.from('not a zip'),
    });
    assert.equal(notZip.statusCode, 400);
    assert.equal(
      (await keeper.request('POST', '/api/v1/resources/import', { headers: { 'content-type': 'text/csv' } })).status,
      415,
    );

    const json = await keeper.get('/api/v1/resources/export?format=json');
    assert.equal(json.status, 200);
    validate('schema/compiled/organization_package.json', json.json());
    assert.doesNotMatch(json.body, /Secret lane|888 888|Members clinic/);

    const page = await keeper.get('/resources/import-export');
    assert.equal(page.status, 200);
    assert.match(page.body, /action="\/api\/v1\/resources\/export"/);
  });
});
