import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import { translator } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { Actor } from '../../security/actor.js';
import { notFound } from '../../platform/errors.js';
import { type ListingAbilities, type ListingFacts, listingAbilities } from './policy.js';
import { findReadableListing } from './queries.js';
import type { TermView } from './schemas.js';
import { localised, parseTranslations, type Translations } from './translations.js';

type Text = { text: string | null; lang: string | null };

/** A sub-record that may be confidential: shown on the page only to signed-in readers, flagged. */
interface Guarded {
  confidential: boolean;
}

export interface ListingDetail {
  id: string;
  kind: string;
  name: Text;
  description: Text;
  language: string | null;
  translations: Translations;
  organization: { id: string; name: Text; description: Text } | null;
  visibility: 'public' | 'members' | 'group';
  groupId: string | null;
  reviewState: 'published' | 'pending' | 'declined';
  submittedBy: string | null;
  country: string | null;
  city: string | null;
  remote: boolean;
  cost: 'free' | 'sliding' | 'paid' | null;
  url: string | null;
  email: string | null;
  tz: string | null;
  locations: {
    id: string;
    name: Text;
    confidential: boolean;
    addresses: (Guarded & {
      id: string;
      address1: string | null;
      address2: string | null;
      city: string | null;
      stateProvince: string | null;
      postalCode: string | null;
      country: string | null;
    })[];
  }[];
  phones: (Guarded & { id: string; number: string; extension: number | null; type: string | null })[];
  contacts: (Guarded & { id: string; name: string | null; title: string | null; email: string | null })[];
  schedules: {
    id: string;
    byday: string | null;
    opensAt: string | null;
    closesAt: string | null;
    wkst: string | null;
    tz: string | null;
    description: string | null;
  }[];
  languages: string[];
  serviceAreas: { name: string | null; description: string | null }[];
  costOptions: { option: string | null; amount: number | null; currency: string | null; description: string | null }[];
  eligibility: { description: string | null; minimumAge: number | null; maximumAge: number | null };
  documents: string[];
  terms: (TermView & { nameLang: string })[];
  lastModified: string | null;
  createdAt: number;
  updatedAt: number;
  facts: ListingFacts;
  abilities: ListingAbilities;
}

/** What a reader sees of the whole listing, or 404 when it does not exist for them. */
export async function loadListingDetail(
  ctx: ServiceContext,
  actor: Actor,
  serviceId: string,
  locale: Locale,
): Promise<ListingDetail> {
  const found = await findReadableListing(ctx, actor, serviceId);
  if (!found) throw notFound();
  return assembleListing(ctx.db, actor, found.row, found.facts, locale);
}

type ServiceRow = NonNullable<Awaited<ReturnType<typeof findReadableListing>>>['row'];

/**
 * Every part of a listing. Confidential sub-records come only for a signed-in reader (the policy has
 * already said they may read the listing); the API's presenter drops them whoever asks.
 */
export async function assembleListing(
  db: DbOrTx,
  actor: Actor,
  row: ServiceRow,
  facts: ListingFacts,
  locale: Locale,
): Promise<ListingDetail> {
  const id = row.id;
  const withConfidential = actor.kind === 'user';
  const [organization, links, phones, contacts, schedules, languages, areas, costs, documents, terms] =
    await Promise.all([
      row.organization_id
        ? db.selectFrom('resource_organizations').selectAll().where('id', '=', row.organization_id).executeTakeFirst()
        : undefined,
      db
        .selectFrom('resource_service_at_locations as sal')
        .innerJoin('resource_locations as l', 'l.id', 'sal.location_id')
        .select(['l.id', 'l.name', 'l.translations', 'l.confidential'])
        .where('sal.service_id', '=', id)
        .orderBy('sal.id')
        .execute(),
      db.selectFrom('resource_phones').selectAll().where('service_id', '=', id).orderBy('id').execute(),
      db.selectFrom('resource_contacts').selectAll().where('service_id', '=', id).orderBy('id').execute(),
      db.selectFrom('resource_schedules').selectAll().where('service_id', '=', id).orderBy('id').execute(),
      db.selectFrom('resource_languages').select(['code', 'name']).where('service_id', '=', id).orderBy('id').execute(),
      db
        .selectFrom('resource_service_areas')
        .select(['name', 'description'])
        .where('service_id', '=', id)
        .orderBy('id')
        .execute(),
      db.selectFrom('resource_cost_options').selectAll().where('service_id', '=', id).orderBy('id').execute(),
      db
        .selectFrom('resource_required_documents')
        .select('document')
        .where('service_id', '=', id)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('resource_attributes as a')
        .innerJoin('resource_taxonomy_terms as t', 't.id', 'a.taxonomy_term_id')
        .select(['t.id', 't.code', 't.name', 't.translations', 't.builtin', 't.language'])
        .where('a.link_entity', '=', 'service')
        .where('a.link_id', '=', id)
        .execute(),
    ]);
  const locationIds = links.map((l) => l.id);
  const addresses = locationIds.length
    ? await db
        .selectFrom('resource_addresses')
        .selectAll()
        .where('location_id', 'in', locationIds)
        .orderBy('id')
        .execute()
    : [];
  const shown = <T extends { confidential: number }>(rows: T[]) =>
    rows.filter((r) => withConfidential || r.confidential !== 1);
  const locations = shown(links).map((l) => ({
    id: l.id,
    name: localised({ ...l, language: row.language }, 'name', locale),
    confidential: l.confidential === 1,
    addresses: shown(addresses.filter((a) => a.location_id === l.id)).map((a) => ({
      id: a.id,
      address1: a.address_1,
      address2: a.address_2,
      city: a.city,
      stateProvince: a.state_province,
      postalCode: a.postal_code,
      country: a.country,
      // An address at a confidential place is confidential, whatever its own flag says.
      confidential: a.confidential === 1 || l.confidential === 1,
    })),
  }));
  return {
    id,
    kind: row.kind,
    name: localised(row, 'name', locale),
    description: localised(row, 'description', locale),
    language: row.language,
    translations: parseTranslations(row.translations),
    organization: organization
      ? {
          id: organization.id,
          name: localised(organization, 'name', locale),
          description: localised(organization, 'description', locale),
        }
      : null,
    visibility: row.visibility,
    groupId: row.group_id,
    reviewState: row.review_state,
    submittedBy: row.submitted_by,
    country: row.country,
    city: row.city,
    remote: row.remote === 1,
    cost: row.cost === 'free' || row.cost === 'sliding' || row.cost === 'paid' ? row.cost : null,
    url: row.url,
    email: row.email,
    tz: row.tz,
    locations,
    phones: shown(phones)
      .filter((p) => p.number)
      .map((p) => ({
        id: p.id,
        number: p.number ?? '',
        extension: p.extension,
        type: p.type,
        confidential: p.confidential === 1,
      })),
    contacts: shown(contacts).map((c) => ({
      id: c.id,
      name: c.name,
      title: c.title,
      email: c.email,
      confidential: c.confidential === 1,
    })),
    schedules: schedules.map((s) => ({
      id: s.id,
      byday: s.byday,
      opensAt: s.opens_at,
      closesAt: s.closes_at,
      wkst: s.wkst,
      tz: s.tz ?? row.tz,
      description: s.description,
    })),
    languages: languages.map((l) => l.code ?? l.name ?? '').filter(Boolean),
    serviceAreas: areas,
    costOptions: costs.map((c) => ({
      option: c.option,
      amount: c.amount,
      currency: c.currency,
      description: c.amount_description,
    })),
    eligibility: {
      description: row.eligibility_description,
      minimumAge: row.minimum_age,
      maximumAge: row.maximum_age,
    },
    documents: documents.map((d) => d.document ?? '').filter(Boolean),
    terms: terms
      .map((t) => ({ id: t.id, code: t.code ?? '', builtin: t.builtin === 1, ...termName(t, locale) }))
      .sort((a, b) => a.name.localeCompare(b.name, locale)),
    lastModified: row.last_modified,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    facts,
    abilities: listingAbilities(actor, facts),
  };
}

/** Sanad's built-in terms (migration 0026), each named by the catalogue in both languages. */
export const builtinTermCodes = [
  'primary-care',
  'sexual-health',
  'gender-affirming-care',
  'mental-health',
  'legal-aid',
  'asylum-migration',
  'housing-shelter',
  'jobs-training',
  'community-center',
  'support-group',
  'national-organisation',
  'crisis-line',
  'digital-safety',
] as const;
const isBuiltinCode = (code: string | null): code is (typeof builtinTermCodes)[number] =>
  (builtinTermCodes as readonly (string | null)[]).includes(code);

/**
 * A term's name in the reader's language: built-in terms are named by the catalogue; moderators'
 * own terms by their translations, else as written.
 */
export function termName(
  t: {
    code: string | null;
    name: string | null;
    translations: string | null;
    builtin: number;
    language: string | null;
  },
  locale: Locale,
): { name: string; nameLang: string } {
  if (t.builtin === 1 && isBuiltinCode(t.code))
    return { name: translator(locale)(`resources.listings.term.${t.code}`), nameLang: locale };
  const own = localised({ ...t, language: t.language ?? 'en' }, 'name', locale);
  return { name: own.text ?? t.code ?? '', nameLang: own.lang ?? locale };
}
