import type { ListingDetail } from './detail.js';
import type { ListingApi } from './schemas.js';
import type { VerificationView } from './services/verification.js';

/** What the listing's own row adds to its detail for the API: the mark, the last check, a job's fields. */
export interface ListingExtras {
  verification: VerificationView;
  assuredDate: string | null;
  job: ListingApi['job'];
}

/**
 * Exactly what the API says about a listing. Confidential places, addresses, contacts and phones
 * are left out here, whoever asks: an API answer is kept and passed on by programs, and a
 * shelter's address must never travel that way (ADR 0053, ADR 0054).
 */
export function presentListing(l: ListingDetail, extras: ListingExtras): ListingApi {
  const open = <T extends { confidential: boolean }>(rows: T[]) => rows.filter((r) => !r.confidential);
  return {
    id: l.id,
    kind: l.kind,
    name: l.name,
    description: l.description,
    language: l.language,
    translations: Object.fromEntries(
      Object.entries(l.translations).map(([lang, fields]) => [
        lang,
        Object.fromEntries(
          Object.entries(fields ?? {}).filter(
            (e): e is [string, string] => (e[0] === 'name' || e[0] === 'description') && typeof e[1] === 'string',
          ),
        ),
      ]),
    ),
    organization: l.organization,
    visibility: l.visibility,
    groupId: l.groupId,
    reviewState: l.reviewState,
    country: l.country,
    city: l.city,
    remote: l.remote,
    cost: l.cost,
    url: l.url,
    email: l.email,
    tz: l.tz,
    phones: open(l.phones).map((p) => ({ number: p.number, type: p.type })),
    addresses: l.locations
      .filter((place) => !place.confidential)
      .flatMap((place) => open(place.addresses))
      .map((a) => ({
        address1: a.address1,
        address2: a.address2,
        city: a.city,
        stateProvince: a.stateProvince,
        postalCode: a.postalCode,
        country: a.country,
      })),
    contacts: open(l.contacts).map((c) => ({ name: c.name, title: c.title, email: c.email })),
    schedules: l.schedules.map((s) => ({
      byday: s.byday,
      opensAt: s.opensAt,
      closesAt: s.closesAt,
      wkst: s.wkst,
      tz: s.tz,
      description: s.description,
    })),
    languages: l.languages,
    serviceAreas: l.serviceAreas.map((a) => ({ name: a.name })),
    costOptions: l.costOptions.map((c) => ({ option: c.option, amount: c.amount, currency: c.currency })),
    eligibility: l.eligibility,
    requiredDocuments: l.documents,
    terms: l.terms.map((t) => ({ id: t.id, code: t.code, name: t.name, builtin: t.builtin })),
    lastModified: l.lastModified,
    verification: extras.verification,
    assuredDate: extras.assuredDate,
    job: extras.job,
    abilities: l.abilities,
  };
}
