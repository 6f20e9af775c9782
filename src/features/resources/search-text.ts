import type { DbOrTx } from '../../db/database.js';
import { analyse, normalise, tokenize } from '../../search/analyzer.js';
import findAr from './messages/find.ar.json' with { type: 'json' };
import findEn from './messages/find.en.json' with { type: 'json' };
import listingsAr from './messages/listings.ar.json' with { type: 'json' };
import listingsEn from './messages/listings.en.json' with { type: 'json' };

/**
 * What directory search matches a listing on (ADR 0055): its own and its organisation's names and
 * descriptions in every language, its terms' codes and names (a built-in term by its Arabic and
 * English catalogue names and search words, so "محامي" or "مساعدة قانونية" finds a legal-aid
 * listing written in English), its city, all normalised by the search analyser (the same folding
 * of tashkeel, tatweel and letter variants as the rest of search). The words come as written, then
 * their stems (المحامين → محام, clinics → clinic), single spaces and a space at each end, so
 * `like '% stem%'` finds the start of a word or of its stem on both engines alike. Every write that
 * changes these calls `refreshSearchText` in its transaction; it also writes `city_key`, the city
 * as the city filter compares it.
 */
export async function refreshSearchText(db: DbOrTx, serviceId: string): Promise<void> {
  const service = await db
    .selectFrom('resource_services as s')
    .leftJoin('resource_organizations as o', 'o.id', 's.organization_id')
    .select([
      's.name',
      's.alternate_name',
      's.description',
      's.translations',
      's.city',
      'o.name as organization_name',
      'o.translations as organization_translations',
    ])
    .where('s.id', '=', serviceId)
    .executeTakeFirst();
  if (!service) return;
  const terms = await db
    .selectFrom('resource_attributes as a')
    .innerJoin('resource_taxonomy_terms as t', 't.id', 'a.taxonomy_term_id')
    .select(['t.code', 't.name', 't.translations', 't.builtin'])
    .where('a.link_entity', '=', 'service')
    .where('a.link_id', '=', serviceId)
    .execute();
  const parts = [
    service.name,
    service.alternate_name,
    service.description,
    service.city,
    service.organization_name,
    ...translatedValues(service.translations),
    ...translatedValues(service.organization_translations),
    ...terms.flatMap((t) => [
      t.code,
      t.name,
      ...translatedValues(t.translations),
      ...(t.builtin ? builtinTermWords(t.code) : []),
    ]),
  ];
  await db
    .updateTable('resource_services')
    .set({ search_text: searchTextOf(parts), city_key: cityKey(service.city) })
    .where('id', '=', serviceId)
    .execute();
}

type Catalogue = Record<string, string>;
/**
 * A built-in term's names (the listings' catalogues) and search words (finding's: "محامي, lawyer"
 * for legal aid) in every catalogue language.
 */
export function builtinTermWords(code: string | null): string[] {
  if (!code) return [];
  const words = [
    (listingsEn as Catalogue)[`resources.listings.term.${code}`],
    (listingsAr as Catalogue)[`resources.listings.term.${code}`],
    (findEn as Catalogue)[`resources.find.term.${code}.keywords`],
    (findAr as Catalogue)[`resources.find.term.${code}.keywords`],
  ];
  return words.filter((v): v is string => typeof v === 'string');
}

/**
 * The words of these texts, normalised and in their order, then the stems that differ from them,
 * once each: phrases stay as written, and every stem can be found at a word's start.
 */
export function searchTextOf(parts: (string | null | undefined)[]): string {
  const analysed = analyse(parts.filter(Boolean).join(' '));
  const surfaces = analysed.map((w) => w.surface);
  const written = new Set(surfaces);
  const stems = [...new Set(analysed.map((w) => w.stem))].filter((stem) => stem && !written.has(stem));
  const words = [...surfaces, ...stems];
  return words.length > 0 ? ` ${words.join(' ')} ` : '';
}

/** A city as the filter compares it: normalised words, single spaces; null when there is none. */
export function cityKey(city: string | null | undefined): string | null {
  const key = tokenize(normalise(city ?? '')).join(' ');
  return key === '' ? null : key;
}

/** Every value of a `translations` JSON column (`{"en":{"name":"…"}}`), ignoring what does not parse. */
export function translatedValues(json: string | null): string[] {
  if (!json) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== 'object') return [];
    return Object.values(parsed).flatMap((fields) =>
      fields && typeof fields === 'object'
        ? Object.values(fields).filter((v): v is string => typeof v === 'string')
        : [],
    );
  } catch {
    return [];
  }
}
