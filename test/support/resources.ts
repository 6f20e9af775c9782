import type { Insertable } from 'kysely';
import type { ResourceServicesTable } from '../../src/db/schema-resources.js';
import { newResourceId } from '../../src/features/resources/queries.js';
import { refreshSearchText } from '../../src/features/resources/search-text.js';
import type { TestRuntime } from './runtime.js';

/** The built-in term ids (migration 0026), by code. */
export const termIds = {
  'primary-care': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c01',
  'sexual-health': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c02',
  'gender-affirming-care': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c03',
  'mental-health': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c04',
  'legal-aid': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c05',
  'asylum-migration': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c06',
  'housing-shelter': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c07',
  'jobs-training': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c08',
  'community-center': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c09',
  'support-group': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c10',
  'national-organisation': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c11',
  'crisis-line': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c12',
  'digital-safety': '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c13',
} as const;
export type TermCode = keyof typeof termIds;

export interface ListingSeed {
  service?: Partial<Insertable<ResourceServicesTable>>;
  organization?: { name?: string; description?: string; translations?: string | null };
  terms?: TermCode[];
  /** One location with an address; `confidential` marks both. */
  address?: { address_1: string; city: string; country: string; postal_code?: string; confidential?: boolean } | null;
  phones?: { number: string; confidential?: boolean }[];
  /** Opening windows: `byday` (MO…SU, comma separated), `opens_at` and `closes_at` as HH:MM. */
  schedules?: {
    byday: string;
    opens_at: string;
    closes_at: string;
    wkst?: string;
    valid_from?: string;
    valid_to?: string;
    /** The row's own zone; the service's when absent. */
    tz?: string | null;
  }[];
  languages?: string[];
}

/**
 * A listing written straight into the tables, as an import or a keeper's form would leave it: an
 * organisation, its service, and (when asked) a location with an address, phones, opening windows,
 * languages and terms. Published and public unless `service` says otherwise.
 */
export async function createListing(rt: TestRuntime, seed: ListingSeed = {}) {
  const db = rt.ctx.db;
  const now = Date.now();
  const organizationId = newResourceId();
  const serviceId = newResourceId();
  await db
    .insertInto('resource_organizations')
    .values({
      id: organizationId,
      name: seed.organization?.name ?? 'Helm',
      description: seed.organization?.description ?? 'A community organisation',
      translations: seed.organization?.translations ?? null,
      language: 'en',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('resource_services')
    .values({
      id: serviceId,
      organization_id: organizationId,
      name: 'Legal clinic',
      description: 'Free legal advice for LGBTQ+ people',
      status: 'active',
      language: 'en',
      country: 'LB',
      city: 'Beirut',
      tz: 'Asia/Beirut',
      created_at: now,
      updated_at: now,
      last_modified: new Date(now).toISOString(),
      ...seed.service,
    })
    .execute();
  let locationId: string | null = null;
  if (seed.address) {
    locationId = newResourceId();
    await db
      .insertInto('resource_locations')
      .values({
        id: locationId,
        organization_id: organizationId,
        location_type: 'physical',
        name: seed.organization?.name ?? 'Helm',
        confidential: seed.address.confidential ? 1 : 0,
      })
      .execute();
    await db
      .insertInto('resource_service_at_locations')
      .values({ id: newResourceId(), service_id: serviceId, location_id: locationId })
      .execute();
    await db
      .insertInto('resource_addresses')
      .values({
        id: newResourceId(),
        location_id: locationId,
        address_1: seed.address.address_1,
        city: seed.address.city,
        state_province: '',
        postal_code: seed.address.postal_code ?? '',
        country: seed.address.country,
        address_type: 'physical',
        confidential: seed.address.confidential ? 1 : 0,
      })
      .execute();
  }
  for (const phone of seed.phones ?? [])
    await db
      .insertInto('resource_phones')
      .values({
        id: newResourceId(),
        service_id: serviceId,
        number: phone.number,
        confidential: phone.confidential ? 1 : 0,
      })
      .execute();
  for (const window of seed.schedules ?? [])
    await db
      .insertInto('resource_schedules')
      .values({
        id: newResourceId(),
        service_id: serviceId,
        freq: 'WEEKLY',
        wkst: window.wkst ?? 'SA',
        byday: window.byday,
        opens_at: window.opens_at,
        closes_at: window.closes_at,
        valid_from: window.valid_from ?? null,
        valid_to: window.valid_to ?? null,
        tz: window.tz !== undefined ? window.tz : ((seed.service?.tz as string | undefined) ?? 'Asia/Beirut'),
      })
      .execute();
  for (const code of seed.languages ?? [])
    await db.insertInto('resource_languages').values({ id: newResourceId(), service_id: serviceId, code }).execute();
  for (const term of seed.terms ?? [])
    await db
      .insertInto('resource_attributes')
      .values({
        id: newResourceId(),
        link_id: serviceId,
        link_type: 'service',
        link_entity: 'service',
        taxonomy_term_id: termIds[term],
      })
      .execute();
  await refreshSearchText(db, serviceId);
  return { serviceId, organizationId, locationId };
}
