/**
 * Sanad's directory tables ↔ Open Referral HSDS 3.0 (ADR 0053, ADR 0057). The tables are HSDS's
 * tabular form column for column, so this module only says which table is which HSDS object, which
 * column links to which parent, and how the nested JSON of the compiled schemas is assembled from
 * rows (export) and taken apart into rows again (import).
 */

export type HsdsEntity =
  | 'organization'
  | 'program'
  | 'service'
  | 'location'
  | 'service_at_location'
  | 'address'
  | 'contact'
  | 'phone'
  | 'schedule'
  | 'language'
  | 'service_area'
  | 'cost_option'
  | 'required_document'
  | 'funding'
  | 'accessibility'
  | 'organization_identifier'
  | 'taxonomy'
  | 'taxonomy_term'
  | 'attribute'
  | 'metadata';

export type ResourceTable =
  | 'resource_organizations'
  | 'resource_programs'
  | 'resource_services'
  | 'resource_locations'
  | 'resource_service_at_locations'
  | 'resource_addresses'
  | 'resource_contacts'
  | 'resource_phones'
  | 'resource_schedules'
  | 'resource_languages'
  | 'resource_service_areas'
  | 'resource_cost_options'
  | 'resource_required_documents'
  | 'resource_funding'
  | 'resource_accessibility'
  | 'resource_organization_identifiers'
  | 'resource_taxonomies'
  | 'resource_taxonomy_terms'
  | 'resource_attributes'
  | 'resource_metadata';

export interface EntitySpec {
  entity: HsdsEntity;
  table: ResourceTable;
  /** The data package's file for it, as in HSDS's examples/csv. */
  file: string;
  /** HSDS's columns, in the order of HSDS's CSV files. */
  columns: readonly string[];
  /** Columns HSDS types as numbers: exported as numbers, read from CSV as numbers. */
  numbers: readonly string[];
  /** Foreign keys that migration 0026 enforces: column → the entity it names. */
  parents: Readonly<Record<string, HsdsEntity>>;
  /** Fields an import needs filled (the compiled schemas' `required`, less what Sanad may leave empty). */
  required: readonly string[];
  /** Carries Sanad's per-field translations (exported as the extension property below). */
  translated?: boolean;
  /** Carries Sanad's `confidential` flag: such rows never leave Sanad. */
  confidential?: boolean;
}

/**
 * The extension property (JSON) and column (CSV) holding Sanad's per-field translations,
 * `{"ar":{"name":"…"}}`. HSDS allows additional properties; the prefix keeps it clear of
 * any field a later HSDS version may add (ADR 0057).
 */
export const translationsProperty = 'sanad_translations';

const spec = (
  entity: HsdsEntity,
  table: ResourceTable,
  file: string,
  columns: string,
  options: Partial<Pick<EntitySpec, 'numbers' | 'parents' | 'required' | 'translated' | 'confidential'>> = {},
): EntitySpec => ({
  entity,
  table,
  file,
  columns: columns.split(','),
  numbers: options.numbers ?? [],
  parents: options.parents ?? {},
  required: options.required ?? [],
  ...(options.translated ? { translated: true } : {}),
  ...(options.confidential ? { confidential: true } : {}),
});

/** Every entity, in an order where a row's parents come before it (the order of an import's writes). */
export const entities: readonly EntitySpec[] = [
  spec('taxonomy', 'resource_taxonomies', 'taxonomies.csv', 'id,name,description,uri,version', {
    required: ['name'],
  }),
  spec(
    'taxonomy_term',
    'resource_taxonomy_terms',
    'taxonomy_terms.csv',
    'id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri',
    { parents: { taxonomy_id: 'taxonomy' }, required: ['name'], translated: true },
  ),
  spec(
    'organization',
    'resource_organizations',
    'organizations.csv',
    'id,name,alternate_name,description,email,website,tax_status,tax_id,year_incorporated,legal_status,logo,uri,parent_organization_id',
    { numbers: ['year_incorporated'], required: ['name'], translated: true },
  ),
  spec('program', 'resource_programs', 'programs.csv', 'id,organization_id,name,alternate_name,description', {
    parents: { organization_id: 'organization' },
    required: ['name'],
    translated: true,
  }),
  spec(
    'service',
    'resource_services',
    'services.csv',
    'id,organization_id,program_id,name,alternate_name,description,url,email,status,interpretation_services,application_process,fees_description,wait_time,fees,accreditations,eligibility_description,minimum_age,maximum_age,assured_date,assurer_email,licenses,alert,last_modified',
    {
      numbers: ['minimum_age', 'maximum_age'],
      parents: { organization_id: 'organization' },
      required: ['name', 'status'],
      translated: true,
    },
  ),
  spec(
    'location',
    'resource_locations',
    'locations.csv',
    'id,location_type,url,organization_id,name,alternate_name,description,transportation,latitude,longitude,external_identifier,external_identifier_type',
    {
      numbers: ['latitude', 'longitude'],
      parents: { organization_id: 'organization' },
      required: ['location_type'],
      translated: true,
      confidential: true,
    },
  ),
  spec(
    'service_at_location',
    'resource_service_at_locations',
    'service_at_location.csv',
    'id,service_id,location_id,description',
    {
      parents: { service_id: 'service', location_id: 'location' },
    },
  ),
  spec(
    'address',
    'resource_addresses',
    'addresses.csv',
    'id,location_id,attention,address_1,address_2,city,region,state_province,postal_code,country,address_type',
    // `postal_code` and `state_province` may be empty: most Arab countries use neither.
    {
      parents: { location_id: 'location' },
      required: ['address_1', 'city', 'country', 'address_type'],
      confidential: true,
    },
  ),
  spec(
    'contact',
    'resource_contacts',
    'contacts.csv',
    'id,organization_id,service_id,service_at_location_id,location_id,name,title,department,email',
    {
      parents: {
        organization_id: 'organization',
        service_id: 'service',
        service_at_location_id: 'service_at_location',
        location_id: 'location',
      },
      confidential: true,
    },
  ),
  spec(
    'phone',
    'resource_phones',
    'phones.csv',
    'id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,description',
    {
      numbers: ['extension'],
      parents: {
        location_id: 'location',
        service_id: 'service',
        organization_id: 'organization',
        contact_id: 'contact',
        service_at_location_id: 'service_at_location',
      },
      required: ['number'],
      confidential: true,
    },
  ),
  spec(
    'schedule',
    'resource_schedules',
    'schedules.csv',
    'id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,timezone,until,count,wkst,freq,interval,byday,byweekno,bymonthday,byyearday,description,opens_at,closes_at,schedule_link,attending_type,notes',
    {
      numbers: ['timezone', 'count', 'interval'],
      parents: { service_id: 'service', location_id: 'location', service_at_location_id: 'service_at_location' },
    },
  ),
  spec('language', 'resource_languages', 'languages.csv', 'id,service_id,location_id,phone_id,name,code,note', {
    parents: { service_id: 'service', location_id: 'location', phone_id: 'phone' },
  }),
  spec(
    'service_area',
    'resource_service_areas',
    'service_areas.csv',
    'id,service_id,name,description,extent,extent_type,uri',
    {
      parents: { service_id: 'service' },
    },
  ),
  spec(
    'cost_option',
    'resource_cost_options',
    'cost_options.csv',
    'id,service_id,valid_from,valid_to,option,currency,amount,amount_description',
    { numbers: ['amount'], parents: { service_id: 'service' } },
  ),
  spec('required_document', 'resource_required_documents', 'required_documents.csv', 'id,service_id,document,uri', {
    parents: { service_id: 'service' },
  }),
  spec('funding', 'resource_funding', 'funding.csv', 'id,organization_id,service_id,source', {
    parents: { organization_id: 'organization', service_id: 'service' },
  }),
  spec('accessibility', 'resource_accessibility', 'accessibility.csv', 'id,location_id,description,details,url', {
    parents: { location_id: 'location' },
  }),
  spec(
    'organization_identifier',
    'resource_organization_identifiers',
    'organization_identifiers.csv',
    'id,organization_id,identifier_scheme,identifier_type,identifier',
    { parents: { organization_id: 'organization' }, required: ['identifier_type', 'identifier'] },
  ),
  spec(
    'attribute',
    'resource_attributes',
    'attributes.csv',
    'id,link_id,taxonomy_term_id,link_type,link_entity,value',
    {
      parents: { taxonomy_term_id: 'taxonomy_term' },
      required: ['taxonomy_term_id'],
    },
  ),
  spec(
    'metadata',
    'resource_metadata',
    'metadata.csv',
    'id,resource_id,resource_type,last_action_date,last_action_type,field_name,previous_value,replacement_value,updated_by',
    { required: ['last_action_date', 'last_action_type'] },
  ),
];

export const specOf = Object.fromEntries(entities.map((e) => [e.entity, e])) as Record<HsdsEntity, EntitySpec>;

/** A row as HSDS sees it: its columns' values, null where empty; plus Sanad's translations JSON. */
export type HsdsRow = Record<string, string | number | null>;

/** How a nested property relates its object to the one holding it. */
type Nesting =
  /** A list of children whose `column` names the holder. */
  | { many: HsdsEntity; column: string }
  /** One record the holder names in its own `column`. */
  | { one: HsdsEntity; column: string };

/**
 * The nested properties of each entity in the compiled schemas (organization.json, service.json,
 * service_at_location.json), in their order. Every entity may also hold `attributes` (by
 * `link_id`) and `metadata` (by `resource_id`), which come last.
 */
export const nesting: Partial<Record<HsdsEntity, Record<string, Nesting>>> = {
  organization: {
    funding: { many: 'funding', column: 'organization_id' },
    contacts: { many: 'contact', column: 'organization_id' },
    phones: { many: 'phone', column: 'organization_id' },
    locations: { many: 'location', column: 'organization_id' },
    programs: { many: 'program', column: 'organization_id' },
    organization_identifiers: { many: 'organization_identifier', column: 'organization_id' },
    services: { many: 'service', column: 'organization_id' },
  },
  service: {
    phones: { many: 'phone', column: 'service_id' },
    schedules: { many: 'schedule', column: 'service_id' },
    service_areas: { many: 'service_area', column: 'service_id' },
    service_at_locations: { many: 'service_at_location', column: 'service_id' },
    languages: { many: 'language', column: 'service_id' },
    organization: { one: 'organization', column: 'organization_id' },
    funding: { many: 'funding', column: 'service_id' },
    cost_options: { many: 'cost_option', column: 'service_id' },
    program: { one: 'program', column: 'program_id' },
    required_documents: { many: 'required_document', column: 'service_id' },
    contacts: { many: 'contact', column: 'service_id' },
  },
  service_at_location: {
    contacts: { many: 'contact', column: 'service_at_location_id' },
    phones: { many: 'phone', column: 'service_at_location_id' },
    schedules: { many: 'schedule', column: 'service_at_location_id' },
    location: { one: 'location', column: 'location_id' },
    service: { one: 'service', column: 'service_id' },
  },
  location: {
    languages: { many: 'language', column: 'location_id' },
    addresses: { many: 'address', column: 'location_id' },
    contacts: { many: 'contact', column: 'location_id' },
    accessibility: { many: 'accessibility', column: 'location_id' },
    phones: { many: 'phone', column: 'location_id' },
    schedules: { many: 'schedule', column: 'location_id' },
  },
  contact: { phones: { many: 'phone', column: 'contact_id' } },
  phone: { languages: { many: 'language', column: 'phone_id' } },
  attribute: { taxonomy_term: { one: 'taxonomy_term', column: 'taxonomy_term_id' } },
  taxonomy_term: { taxonomy_detail: { one: 'taxonomy', column: 'taxonomy_id' } },
};

/** Fields the compiled schemas require that Sanad may hold empty: exported as empty strings so the object validates. */
const requiredStrings: Partial<Record<HsdsEntity, string[]>> = {
  organization: ['name', 'description'],
  program: ['name', 'description'],
  service: ['name'],
  address: ['address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
  phone: ['number'],
  organization_identifier: ['identifier_type', 'identifier'],
  taxonomy: ['name', 'description'],
  taxonomy_term: ['name', 'description'],
  metadata: ['last_action_date', 'last_action_type', 'field_name', 'previous_value', 'replacement_value', 'updated_by'],
};
/** Required fields with a meaningful default when Sanad holds none. */
const requiredDefaults: Partial<Record<HsdsEntity, Record<string, string>>> = {
  service: { status: 'active' },
  location: { location_type: 'physical' },
};

/**
 * One record's own fields as HSDS JSON: nulls and empty strings left out as HSDS's examples do,
 * numbers kept as numbers, required fields present, translations under the extension property.
 */
export function scalarObject(entity: HsdsEntity, row: HsdsRow): Record<string, unknown> {
  const s = specOf[entity];
  const out: Record<string, unknown> = {};
  for (const column of s.columns) {
    const value = row[column];
    if (value === null || value === undefined || value === '') continue;
    out[column] = s.numbers.includes(column) ? Number(value) : value;
  }
  for (const column of requiredStrings[entity] ?? []) if (!(column in out)) out[column] = '';
  for (const [column, fallback] of Object.entries(requiredDefaults[entity] ?? {}))
    if (!(column in out)) out[column] = fallback;
  const translations = row.translations;
  if (s.translated && typeof translations === 'string' && translations !== '' && translations !== '{}') {
    try {
      const parsed: unknown = JSON.parse(translations);
      if (parsed && typeof parsed === 'object' && Object.keys(parsed).length > 0) out[translationsProperty] = parsed;
    } catch {
      // A translations column that does not parse has nothing to export.
    }
  }
  return out;
}

/** Rows of every entity, by id: what an export assembles from, and what an import writes. */
export type RowSet = Record<HsdsEntity, Map<string, HsdsRow>>;

export function emptyRowSet(): RowSet {
  return Object.fromEntries(entities.map((e) => [e.entity, new Map()])) as unknown as RowSet;
}

const byId = (a: HsdsRow, b: HsdsRow) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0);

/**
 * Children index: for each entity and link column, the rows naming each parent id, sorted by id so
 * that two exports of the same rows are byte for byte the same.
 */
export class Assembler {
  private readonly index = new Map<string, Map<string, HsdsRow[]>>();

  constructor(readonly rows: RowSet) {}

  private childrenOf(entity: HsdsEntity, column: string, parentId: string): HsdsRow[] {
    const key = `${entity}.${column}`;
    let index = this.index.get(key);
    if (!index) {
      index = new Map();
      for (const row of this.rows[entity].values()) {
        const parent = row[column];
        if (typeof parent !== 'string') continue;
        const list = index.get(parent) ?? [];
        list.push(row);
        index.set(parent, list);
      }
      for (const list of index.values()) list.sort(byId);
      this.index.set(key, index);
    }
    return index.get(parentId) ?? [];
  }

  /**
   * A record with its nested objects as the compiled schemas describe them. `skip` names nested
   * properties to leave out (a service inside its organization does not nest the organization
   * again); `depth` guards the links that point back up (service ↔ service_at_location).
   */
  nest(entity: HsdsEntity, row: HsdsRow, skip: readonly string[] = []): Record<string, unknown> {
    const out = scalarObject(entity, row);
    const id = String(row.id);
    for (const [property, how] of Object.entries(nesting[entity] ?? {})) {
      if (skip.includes(property)) continue;
      if ('many' in how) {
        const children = this.childrenOf(how.many, how.column, id).map((child) =>
          this.nest(how.many, child, backLinks(how.many, entity)),
        );
        if (children.length > 0) out[property] = children;
      } else {
        const target = row[how.column];
        const child = typeof target === 'string' ? this.rows[how.one].get(target) : undefined;
        if (child) out[property] = this.nest(how.one, child, backLinks(how.one, entity));
      }
    }
    const attributes = this.childrenOf('attribute', 'link_id', id).map((a) => this.nest('attribute', a));
    if (attributes.length > 0) out.attributes = attributes;
    const metadata = this.childrenOf('metadata', 'resource_id', id).map((m) => scalarObject('metadata', m));
    if (metadata.length > 0) out.metadata = metadata;
    return out;
  }

  /** Sorted rows of one entity. */
  all(entity: HsdsEntity): HsdsRow[] {
    return [...this.rows[entity].values()].sort(byId);
  }
}

/**
 * What a nested object leaves out so the tree stays a tree, as the compiled schemas do: a service
 * inside an organization, or inside a service_at_location, does not hold them again; an
 * organization inside a service holds no services.
 */
function backLinks(child: HsdsEntity, holder: HsdsEntity): string[] {
  if (child === 'service' && holder === 'organization') return ['organization'];
  if (child === 'organization' && holder === 'service') return ['services'];
  if (child === 'service_at_location' && holder === 'service') return ['service'];
  if (child === 'service' && holder === 'service_at_location') return ['service_at_locations'];
  return [];
}

/** The data package's descriptor for the files an export writes (Frictionless tabular data package). */
export function dataPackageDescriptor(files: { entity: HsdsEntity; columns: string[] }[]): Record<string, unknown> {
  return {
    name: 'sanad-hsds-export',
    title: 'Sanad resource directory (HSDS 3.0)',
    profile: 'tabular-data-package',
    version: '3.0',
    resources: files.map(({ entity, columns }) => {
      const s = specOf[entity];
      return {
        name: entity,
        path: s.file,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        profile: 'tabular-data-resource',
        schema: {
          fields: columns.map((name) => ({
            name,
            type: s.numbers.includes(name) ? 'number' : 'string',
            ...(name === translationsProperty
              ? { format: 'default', description: 'Sanad: per-field translations (JSON)' }
              : {}),
          })),
          primaryKey: 'id',
        },
      };
    }),
  };
}
