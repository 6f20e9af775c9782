// The resource directory (issue 12, ADR 0053). Its tables mirror Open Referral HSDS 3.0's tabular
// form one to one: a table per HSDS entity, a column per HSDS field under the same name, so import
// and export are a mapping, not a translation. Sanad's own columns sit beside them: per-field
// translations, visibility, review, vetting, confidential flags, the IANA time zone, job postings'
// fields, and the normalised text search reads. Member notes and corrections are Sanad's alone.
// HSDS ids are kept as given (uuids), so importing twice takes nothing twice.
// Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

type Column = [name: string, type: 'text' | 'number'];
const texts = (...names: string[]): Column[] => names.map((n) => [n, 'text']);
const numbers = (...names: string[]): Column[] => names.map((name) => [name, 'number']);

/** Every HSDS 3.0 entity with a table of its own, its parent link first, then its scalar fields. */
const hsdsTables: { table: string; columns: Column[]; parents: [column: string, table: string][] }[] = [
  {
    table: 'resource_organizations',
    columns: [
      ...texts('name', 'alternate_name', 'description', 'email', 'website', 'tax_status', 'tax_id'),
      ...numbers('year_incorporated'),
      ...texts('legal_status', 'logo', 'uri', 'parent_organization_id'),
    ],
    parents: [],
  },
  {
    table: 'resource_programs',
    columns: texts('organization_id', 'name', 'alternate_name', 'description'),
    parents: [['organization_id', 'resource_organizations']],
  },
  {
    table: 'resource_services',
    columns: [
      ...texts('organization_id', 'program_id', 'name', 'alternate_name', 'description', 'url', 'email', 'status'),
      ...texts('interpretation_services', 'application_process', 'fees_description', 'wait_time', 'fees'),
      ...texts('accreditations', 'eligibility_description'),
      ...numbers('minimum_age', 'maximum_age'),
      ...texts('assured_date', 'assurer_email', 'licenses', 'alert', 'last_modified'),
    ],
    parents: [['organization_id', 'resource_organizations']],
  },
  {
    table: 'resource_locations',
    columns: [
      ...texts('location_type', 'url', 'organization_id', 'name', 'alternate_name', 'description', 'transportation'),
      ...numbers('latitude', 'longitude'),
      ...texts('external_identifier', 'external_identifier_type'),
    ],
    parents: [['organization_id', 'resource_organizations']],
  },
  {
    table: 'resource_service_at_locations',
    columns: texts('service_id', 'location_id', 'description'),
    parents: [
      ['service_id', 'resource_services'],
      ['location_id', 'resource_locations'],
    ],
  },
  {
    table: 'resource_addresses',
    columns: texts(
      'location_id',
      'attention',
      'address_1',
      'address_2',
      'city',
      'region',
      'state_province',
      'postal_code',
      'country',
      'address_type',
    ),
    parents: [['location_id', 'resource_locations']],
  },
  {
    table: 'resource_contacts',
    columns: texts(
      'organization_id',
      'service_id',
      'service_at_location_id',
      'location_id',
      'name',
      'title',
      'department',
      'email',
    ),
    parents: [
      ['organization_id', 'resource_organizations'],
      ['service_id', 'resource_services'],
      ['service_at_location_id', 'resource_service_at_locations'],
      ['location_id', 'resource_locations'],
    ],
  },
  {
    table: 'resource_phones',
    columns: [
      ...texts('location_id', 'service_id', 'organization_id', 'contact_id', 'service_at_location_id', 'number'),
      ...numbers('extension'),
      ...texts('type', 'description'),
    ],
    parents: [
      ['location_id', 'resource_locations'],
      ['service_id', 'resource_services'],
      ['organization_id', 'resource_organizations'],
      ['contact_id', 'resource_contacts'],
      ['service_at_location_id', 'resource_service_at_locations'],
    ],
  },
  {
    table: 'resource_schedules',
    columns: [
      ...texts('service_id', 'location_id', 'service_at_location_id', 'valid_from', 'valid_to', 'dtstart'),
      ...numbers('timezone'),
      ...texts('until'),
      ...numbers('count'),
      ...texts('wkst', 'freq'),
      ...numbers('interval'),
      ...texts('byday', 'byweekno', 'bymonthday', 'byyearday', 'description', 'opens_at', 'closes_at'),
      ...texts('schedule_link', 'attending_type', 'notes'),
    ],
    parents: [
      ['service_id', 'resource_services'],
      ['location_id', 'resource_locations'],
      ['service_at_location_id', 'resource_service_at_locations'],
    ],
  },
  {
    table: 'resource_languages',
    columns: texts('service_id', 'location_id', 'phone_id', 'name', 'code', 'note'),
    parents: [
      ['service_id', 'resource_services'],
      ['location_id', 'resource_locations'],
      ['phone_id', 'resource_phones'],
    ],
  },
  {
    table: 'resource_service_areas',
    // HSDS 3.0's service_area has no service_at_location_id column, yet service_at_location nests
    // service areas: Sanad keeps the link beside the HSDS fields.
    columns: texts('service_id', 'service_at_location_id', 'name', 'description', 'extent', 'extent_type', 'uri'),
    parents: [
      ['service_id', 'resource_services'],
      ['service_at_location_id', 'resource_service_at_locations'],
    ],
  },
  {
    table: 'resource_cost_options',
    columns: [
      ...texts('service_id', 'valid_from', 'valid_to', 'option', 'currency'),
      ...numbers('amount'),
      ...texts('amount_description'),
    ],
    parents: [['service_id', 'resource_services']],
  },
  {
    table: 'resource_required_documents',
    columns: texts('service_id', 'document', 'uri'),
    parents: [['service_id', 'resource_services']],
  },
  {
    table: 'resource_funding',
    columns: texts('organization_id', 'service_id', 'source'),
    parents: [
      ['organization_id', 'resource_organizations'],
      ['service_id', 'resource_services'],
    ],
  },
  {
    table: 'resource_accessibility',
    columns: texts('location_id', 'description', 'details', 'url'),
    parents: [['location_id', 'resource_locations']],
  },
  {
    table: 'resource_organization_identifiers',
    columns: texts('organization_id', 'identifier_scheme', 'identifier_type', 'identifier'),
    parents: [['organization_id', 'resource_organizations']],
  },
  {
    table: 'resource_taxonomies',
    columns: texts('name', 'description', 'uri', 'version'),
    parents: [],
  },
  {
    table: 'resource_taxonomy_terms',
    columns: texts('code', 'name', 'description', 'parent_id', 'taxonomy', 'language', 'taxonomy_id', 'term_uri'),
    parents: [['taxonomy_id', 'resource_taxonomies']],
  },
  {
    // An attribute links a taxonomy term to any record (`link_entity` names its table, `link_id` its id).
    table: 'resource_attributes',
    columns: texts('link_id', 'taxonomy_term_id', 'link_type', 'link_entity', 'value'),
    parents: [['taxonomy_term_id', 'resource_taxonomy_terms']],
  },
  {
    // HSDS's change history of any record, kept as given.
    table: 'resource_metadata',
    columns: texts(
      'resource_id',
      'resource_type',
      'last_action_date',
      'last_action_type',
      'field_name',
      'previous_value',
      'replacement_value',
      'updated_by',
    ),
    parents: [],
  },
];

/** Sanad's own columns beside HSDS's, by table. */
const sanadColumns: Record<
  string,
  [name: string, type: 'text' | 'bigint' | 'integer' | 'key', fallback?: string | number][]
> = {
  resource_organizations: [
    // Per-field translations, `{"en":{"name":"…"}}`: HSDS has none (ADR 0053).
    ['translations', 'text'],
    ['language', 'text'],
    ['created_at', 'bigint', 0],
    ['updated_at', 'bigint', 0],
  ],
  resource_programs: [['translations', 'text']],
  resource_services: [
    ['translations', 'text'],
    // The language the HSDS fields are written in.
    ['language', 'text'],
    // service or job
    ['kind', 'text', 'service'],
    // public, members or group
    ['visibility', 'text', 'public'],
    ['group_id', 'key'],
    // published, pending (a member's suggestion, not shown) or declined
    ['review_state', 'text', 'published'],
    ['submitted_by', 'key'],
    // Where a member finds it: chosen, never detected. Two letters (ISO 3166-1), and a city as written.
    ['country', 'text'],
    ['city', 'text'],
    ['remote', 'integer', 0],
    // free, sliding or paid; null: not said
    ['cost', 'text'],
    // The IANA time zone its opening hours are in.
    ['tz', 'text'],
    // Verified LGBTQ-affirming: when, how (visited, vouched, statement), by whom, with a moderator's note.
    ['verified_at', 'bigint'],
    ['verified_method', 'text'],
    ['verified_note', 'text'],
    ['verified_by', 'key'],
    // Job postings: how to apply, the inclusion statement, and when it leaves search.
    ['apply_url', 'text'],
    ['apply_contact', 'text'],
    ['inclusion_statement', 'text'],
    ['expires_at', 'bigint'],
    // Names, descriptions and terms in every language, normalised by the search analyser.
    ['search_text', 'text', ''],
    ['created_at', 'bigint', 0],
    ['updated_at', 'bigint', 0],
  ],
  resource_locations: [
    ['translations', 'text'],
    // Confidential: shown only on the listing's page to readers who may see it; never in an export
    // or an API answer (a shelter's or safe house's place).
    ['confidential', 'integer', 0],
  ],
  resource_addresses: [['confidential', 'integer', 0]],
  resource_contacts: [['confidential', 'integer', 0]],
  resource_phones: [['confidential', 'integer', 0]],
  resource_schedules: [['tz', 'text']],
  resource_taxonomy_terms: [
    ['translations', 'text'],
    // Sanad's built-in taxonomy, named by the catalogues; moderators' own terms name themselves.
    ['builtin', 'integer', 0],
  ],
};

const sanadTaxonomyId = '6d2f3a9e-5b1c-4e8a-9f3d-2a7c1b0e5d41';
/** Sanad's built-in taxonomy for its audience: stable ids, so every instance's exports agree. */
const builtinTerms: [id: string, code: string, name: string][] = [
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c01', 'primary-care', 'LGBTQ-affirming primary care'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c02', 'sexual-health', 'Sexual health and HIV (testing, PrEP/PEP)'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c03', 'gender-affirming-care', 'Gender-affirming care'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c04', 'mental-health', 'Mental health and counselling'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c05', 'legal-aid', 'Legal aid and arrest support'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c06', 'asylum-migration', 'Asylum and migration'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c07', 'housing-shelter', 'Housing and emergency shelter'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c08', 'jobs-training', 'Jobs and training'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c09', 'community-center', 'Community center'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c10', 'support-group', 'Support group'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c11', 'national-organisation', 'National organisation'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c12', 'crisis-line', 'Crisis line'],
  ['0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c13', 'digital-safety', 'Digital safety help'],
];

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const key = sqlite ? sql`text` : sql`text collate "C"`;
  const number = sql`double precision`;

  for (const { table, columns, parents } of hsdsTables) {
    let create = db.schema.createTable(table).addColumn('id', key, (c) => c.primaryKey());
    for (const [name, type] of columns) {
      const parent = parents.find(([column]) => column === name);
      if (parent)
        create = create.addColumn(name, key, (c) =>
          // A record goes with what it belongs to; HSDS's optional links are nullable.
          c.references(`${parent[1]}.id`).onDelete('cascade'),
        );
      else if (name.endsWith('_id') || name === 'link_id') create = create.addColumn(name, key);
      else create = create.addColumn(name, type === 'number' ? number : sql`text`);
    }
    for (const [name, type, fallback] of sanadColumns[table] ?? []) {
      const columnType = type === 'key' ? key : sql.raw(type);
      create = create.addColumn(name, columnType, (c) => {
        let column = c;
        if (fallback !== undefined) column = column.notNull().defaultTo(fallback);
        if (name === 'group_id') column = column.references('groups.id').onDelete('cascade');
        if (name === 'submitted_by' || name === 'verified_by')
          column = column.references('users.id').onDelete('set null');
        return column;
      });
    }
    await create.execute();
    for (const [column] of parents)
      await db.schema.createIndex(`${table}_${column}`).on(table).column(column).execute();
  }
  await db.schema
    .createIndex('resource_attributes_link')
    .on('resource_attributes')
    .columns(['link_entity', 'link_id'])
    .execute();
  await db.schema.createIndex('resource_services_group').on('resource_services').column('group_id').execute();
  await db.schema
    .createIndex('resource_services_find')
    .on('resource_services')
    .columns(['review_state', 'visibility', 'country', 'kind'])
    .execute();
  await db.schema
    .createIndex('resource_services_submitted_by')
    .on('resource_services')
    .column('submitted_by')
    .execute();
  await db.schema.createIndex('resource_services_verified_by').on('resource_services').column('verified_by').execute();

  // A member's experience of a service and a safety rating. Anonymous notes keep no account: a keyed
  // hash recognises the author's own note (`author_ref`) and a sealed id lets the server, never a
  // person, act on them (as anonymous posts, ADR 0012).
  await db.schema
    .createTable('resource_notes')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('service_id', key, (c) => c.notNull().references('resource_services.id').onDelete('cascade'))
    .addColumn('author_id', key, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('author_ref', 'text')
    .addColumn('author_box', 'text')
    // safe, mixed or unsafe
    .addColumn('rating', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('resource_notes_service')
    .on('resource_notes')
    .columns(['service_id', 'created_at'])
    .execute();
  await db.schema.createIndex('resource_notes_author').on('resource_notes').column('author_id').execute();

  // A member's report that a listing is outdated or wrong, with the fix they propose (JSON of field
  // → value), waiting in the corrections queue. Anonymous as notes are.
  await db.schema
    .createTable('resource_corrections')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('service_id', key, (c) => c.notNull().references('resource_services.id').onDelete('cascade'))
    .addColumn('author_id', key, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('author_ref', 'text')
    .addColumn('author_box', 'text')
    // outdated, wrong, closed or other
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('proposed', 'text')
    // open, accepted or declined
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('decided_by', key, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('resource_corrections_queue')
    .on('resource_corrections')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema.createIndex('resource_corrections_service').on('resource_corrections').column('service_id').execute();
  await db.schema.createIndex('resource_corrections_author').on('resource_corrections').column('author_id').execute();
  await db.schema
    .createIndex('resource_corrections_decided_by')
    .on('resource_corrections')
    .column('decided_by')
    .execute();

  await db
    .insertInto('resource_taxonomies')
    .values({
      id: sanadTaxonomyId,
      name: 'Sanad',
      description: 'Services for LGBTQ+ people, as Sanad’s members look for them',
      uri: null,
      version: '1',
    })
    .execute();
  await db
    .insertInto('resource_taxonomy_terms')
    .values(
      builtinTerms.map(([id, code, name]) => ({
        id,
        code,
        name,
        description: name,
        parent_id: null,
        taxonomy: 'Sanad',
        language: 'en',
        taxonomy_id: sanadTaxonomyId,
        term_uri: null,
        builtin: 1,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('resource_corrections').execute();
  await db.schema.dropTable('resource_notes').execute();
  for (const { table } of [...hsdsTables].reverse()) await db.schema.dropTable(table).execute();
}
