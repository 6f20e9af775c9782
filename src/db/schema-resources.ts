// Table types of the resource directory (migration 0026, ADR 0053): HSDS 3.0 fields under their own
// names, Sanad's beside them. Written to match the migration column for column.
import type { Generated } from 'kysely';

export interface ResourceOrganizationsTable {
  id: string;
  name: string | null;
  alternate_name: string | null;
  description: string | null;
  email: string | null;
  website: string | null;
  tax_status: string | null;
  tax_id: string | null;
  year_incorporated: number | null;
  legal_status: string | null;
  logo: string | null;
  uri: string | null;
  parent_organization_id: string | null;
  translations: string | null;
  language: string | null;
  created_at: Generated<number>;
  updated_at: Generated<number>;
}

export interface ResourceProgramsTable {
  id: string;
  organization_id: string | null;
  name: string | null;
  alternate_name: string | null;
  description: string | null;
  translations: string | null;
}

export interface ResourceServicesTable {
  id: string;
  organization_id: string | null;
  program_id: string | null;
  name: string | null;
  alternate_name: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: string | null;
  interpretation_services: string | null;
  application_process: string | null;
  fees_description: string | null;
  wait_time: string | null;
  fees: string | null;
  accreditations: string | null;
  eligibility_description: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  assured_date: string | null;
  assurer_email: string | null;
  licenses: string | null;
  alert: string | null;
  last_modified: string | null;
  translations: string | null;
  language: string | null;
  kind: Generated<'service' | 'job'>;
  visibility: Generated<'public' | 'members' | 'group'>;
  group_id: string | null;
  review_state: Generated<'published' | 'pending' | 'declined'>;
  submitted_by: string | null;
  country: string | null;
  city: string | null;
  remote: Generated<number>;
  cost: string | null;
  tz: string | null;
  verified_at: number | null;
  verified_method: string | null;
  verified_note: string | null;
  verified_by: string | null;
  apply_url: string | null;
  apply_contact: string | null;
  inclusion_statement: string | null;
  expires_at: number | null;
  search_text: Generated<string>;
  /** The city normalised by the search analyser, for the city filter (migration 0030). */
  city_key: string | null;
  created_at: Generated<number>;
  updated_at: Generated<number>;
}

export interface ResourceLocationsTable {
  id: string;
  location_type: string | null;
  url: string | null;
  organization_id: string | null;
  name: string | null;
  alternate_name: string | null;
  description: string | null;
  transportation: string | null;
  latitude: number | null;
  longitude: number | null;
  external_identifier: string | null;
  external_identifier_type: string | null;
  translations: string | null;
  confidential: Generated<number>;
}

export interface ResourceServiceAtLocationsTable {
  id: string;
  service_id: string | null;
  location_id: string | null;
  description: string | null;
}

export interface ResourceAddressesTable {
  id: string;
  location_id: string | null;
  attention: string | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  region: string | null;
  state_province: string | null;
  postal_code: string | null;
  country: string | null;
  address_type: string | null;
  confidential: Generated<number>;
}

export interface ResourceContactsTable {
  id: string;
  organization_id: string | null;
  service_id: string | null;
  service_at_location_id: string | null;
  location_id: string | null;
  name: string | null;
  title: string | null;
  department: string | null;
  email: string | null;
  confidential: Generated<number>;
}

export interface ResourcePhonesTable {
  id: string;
  location_id: string | null;
  service_id: string | null;
  organization_id: string | null;
  contact_id: string | null;
  service_at_location_id: string | null;
  number: string | null;
  extension: number | null;
  type: string | null;
  description: string | null;
  confidential: Generated<number>;
}

export interface ResourceSchedulesTable {
  id: string;
  service_id: string | null;
  location_id: string | null;
  service_at_location_id: string | null;
  valid_from: string | null;
  valid_to: string | null;
  dtstart: string | null;
  timezone: number | null;
  until: string | null;
  count: number | null;
  wkst: string | null;
  freq: string | null;
  interval: number | null;
  byday: string | null;
  byweekno: string | null;
  bymonthday: string | null;
  byyearday: string | null;
  description: string | null;
  opens_at: string | null;
  closes_at: string | null;
  schedule_link: string | null;
  attending_type: string | null;
  notes: string | null;
  tz: string | null;
}

export interface ResourceLanguagesTable {
  id: string;
  service_id: string | null;
  location_id: string | null;
  phone_id: string | null;
  name: string | null;
  code: string | null;
  note: string | null;
}

export interface ResourceServiceAreasTable {
  id: string;
  service_id: string | null;
  service_at_location_id: string | null;
  name: string | null;
  description: string | null;
  extent: string | null;
  extent_type: string | null;
  uri: string | null;
}

export interface ResourceCostOptionsTable {
  id: string;
  service_id: string | null;
  valid_from: string | null;
  valid_to: string | null;
  option: string | null;
  currency: string | null;
  amount: number | null;
  amount_description: string | null;
}

export interface ResourceRequiredDocumentsTable {
  id: string;
  service_id: string | null;
  document: string | null;
  uri: string | null;
}

export interface ResourceFundingTable {
  id: string;
  organization_id: string | null;
  service_id: string | null;
  source: string | null;
}

export interface ResourceAccessibilityTable {
  id: string;
  location_id: string | null;
  description: string | null;
  details: string | null;
  url: string | null;
}

export interface ResourceOrganizationIdentifiersTable {
  id: string;
  organization_id: string | null;
  identifier_scheme: string | null;
  identifier_type: string | null;
  identifier: string | null;
}

export interface ResourceTaxonomiesTable {
  id: string;
  name: string | null;
  description: string | null;
  uri: string | null;
  version: string | null;
}

export interface ResourceTaxonomyTermsTable {
  id: string;
  code: string | null;
  name: string | null;
  description: string | null;
  parent_id: string | null;
  taxonomy: string | null;
  language: string | null;
  taxonomy_id: string | null;
  term_uri: string | null;
  translations: string | null;
  builtin: Generated<number>;
}

export interface ResourceAttributesTable {
  id: string;
  link_id: string | null;
  taxonomy_term_id: string | null;
  link_type: string | null;
  link_entity: string | null;
  value: string | null;
}

export interface ResourceMetadataTable {
  id: string;
  resource_id: string | null;
  resource_type: string | null;
  last_action_date: string | null;
  last_action_type: string | null;
  field_name: string | null;
  previous_value: string | null;
  replacement_value: string | null;
  updated_by: string | null;
}

export interface ResourceNotesTable {
  id: string;
  service_id: string;
  author_id: string | null;
  anonymous: Generated<number>;
  author_ref: string | null;
  author_box: string | null;
  rating: 'safe' | 'mixed' | 'unsafe';
  body: string;
  hidden: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface ResourceCorrectionsTable {
  id: string;
  service_id: string;
  author_id: string | null;
  anonymous: Generated<number>;
  author_ref: string | null;
  author_box: string | null;
  reason: string;
  body: string | null;
  /** JSON of field → proposed value. */
  proposed: string | null;
  status: Generated<'open' | 'accepted' | 'declined'>;
  decided_by: string | null;
  decided_at: number | null;
  created_at: number;
}

export interface ResourceTables {
  resource_organizations: ResourceOrganizationsTable;
  resource_programs: ResourceProgramsTable;
  resource_services: ResourceServicesTable;
  resource_locations: ResourceLocationsTable;
  resource_service_at_locations: ResourceServiceAtLocationsTable;
  resource_addresses: ResourceAddressesTable;
  resource_contacts: ResourceContactsTable;
  resource_phones: ResourcePhonesTable;
  resource_schedules: ResourceSchedulesTable;
  resource_languages: ResourceLanguagesTable;
  resource_service_areas: ResourceServiceAreasTable;
  resource_cost_options: ResourceCostOptionsTable;
  resource_required_documents: ResourceRequiredDocumentsTable;
  resource_funding: ResourceFundingTable;
  resource_accessibility: ResourceAccessibilityTable;
  resource_organization_identifiers: ResourceOrganizationIdentifiersTable;
  resource_taxonomies: ResourceTaxonomiesTable;
  resource_taxonomy_terms: ResourceTaxonomyTermsTable;
  resource_attributes: ResourceAttributesTable;
  resource_metadata: ResourceMetadataTable;
  resource_notes: ResourceNotesTable;
  resource_corrections: ResourceCorrectionsTable;
}
