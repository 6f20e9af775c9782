import type { DbOrTx } from '../../db/database.js';
import { normalise } from '../../search/analyzer.js';

/**
 * What directory search matches a listing on: its own and its organisation's names and
 * descriptions in every language, its terms' codes and names, its city, all normalised by the
 * search analyser (the same folding of tashkeel, tatweel and letter variants as the rest of search),
 * with single spaces and a space at each end so `like '% word%'` finds a word's start. Every write
 * that changes these calls `refreshSearchText` in its transaction.
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
    .select(['t.code', 't.name', 't.translations'])
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
    ...terms.flatMap((t) => [t.code, t.name, ...translatedValues(t.translations)]),
  ];
  await db
    .updateTable('resource_services')
    .set({ search_text: searchTextOf(parts) })
    .where('id', '=', serviceId)
    .execute();
}

export function searchTextOf(parts: (string | null | undefined)[]): string {
  const words = normalise(parts.filter(Boolean).join(' ')).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length > 0 ? ` ${words.join(' ')} ` : '';
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
