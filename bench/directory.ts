// Generates a resource directory for benchmarks: organisations, listings in Arabic and English
// across the region, built-in terms, languages spoken, costs, opening hours in each country's time
// zone, verification marks fresh and lapsed, job postings live and expired. Written in batches
// straight through Kysely so it works on both engines, with the search text and city key the
// directory's own writes would leave (search-text.ts).
import type { Insertable } from 'kysely';
import type { Db } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { builtinTermWords, cityKey, searchTextOf } from '../src/features/resources/search-text.js';

/** The built-in term ids (migration 0026), by code. */
const terms: [code: string, id: string][] = [
  ['primary-care', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c01'],
  ['sexual-health', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c02'],
  ['gender-affirming-care', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c03'],
  ['mental-health', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c04'],
  ['legal-aid', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c05'],
  ['asylum-migration', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c06'],
  ['housing-shelter', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c07'],
  ['jobs-training', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c08'],
  ['community-center', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c09'],
  ['support-group', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c10'],
  ['national-organisation', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c11'],
  ['crisis-line', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c12'],
  ['digital-safety', '0b6e1c52-7a43-4f0e-8c1d-3e2f5a6b7c13'],
];

const places: [country: string, tz: string, cities: string[]][] = [
  ['LB', 'Asia/Beirut', ['Beirut', 'بيروت', 'Tripoli', 'صيدا']],
  ['EG', 'Africa/Cairo', ['Cairo', 'القاهرة', 'الإسكندرية', 'Giza']],
  ['JO', 'Asia/Amman', ['Amman', 'عمّان', 'Irbid']],
  ['MA', 'Africa/Casablanca', ['Casablanca', 'الرباط', 'Marrakech']],
  ['TN', 'Africa/Tunis', ['Tunis', 'صفاقس', 'Sousse']],
  ['DZ', 'Africa/Algiers', ['Algiers', 'وهران']],
  ['IQ', 'Asia/Baghdad', ['Baghdad', 'أربيل', 'البصرة']],
  ['SA', 'Asia/Riyadh', ['Riyadh', 'جدة']],
  ['AE', 'Asia/Dubai', ['Dubai', 'أبوظبي']],
  ['KW', 'Asia/Kuwait', ['Kuwait City']],
  ['TR', 'Europe/Istanbul', ['Istanbul', 'Gaziantep']],
  ['DE', 'Europe/Berlin', ['Berlin', 'Hamburg']],
  ['US', 'America/New_York', ['New York']],
];

const arabicWords =
  'عيادة مركز دعم استشارات نفسية قانونية مجانية سرية آمنة للأفراد والعائلات خدمات صحية فحص مأوى طوارئ تدريب عمل لاجئين مساحة مجتمعية'.split(
    ' ',
  );
const englishWords =
  'clinic center support counselling legal free confidential safe services health testing shelter emergency training jobs refugees community space advice'.split(
    ' ',
  );
const languages = ['ar', 'en', 'fr', 'tr', 'ku', 'fa', 'de'];
const costs = ['free', 'sliding', 'paid', null];

/** A small deterministic generator, so every run measures the same directory. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Writes `count` published listings (a tenth of them job postings, half of those expired). */
export async function generateDirectory(db: Db, count: number): Promise<void> {
  const random = seeded(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const words = (pool: string[], n: number) => Array.from({ length: n }, () => pick(pool)).join(' ');
  const now = Date.now();
  const day = 86_400_000;
  const uuid = (prefix: string, i: number) =>
    `${prefix}${i.toString(16).padStart(12, '0')}`.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  const organizationCount = Math.max(1, Math.floor(count / 10));
  const organizations: Insertable<Database['resource_organizations']>[] = [];
  for (let o = 0; o < organizationCount; o++) {
    const arabic = o % 2 === 0;
    organizations.push({
      id: uuid('a0000000000000000000', o),
      name: arabic ? `جمعية ${words(arabicWords, 2)} ${o}` : `${words(englishWords, 2)} collective ${o}`,
      description: words(arabic ? arabicWords : englishWords, 12),
      language: arabic ? 'ar' : 'en',
      translations: null,
      created_at: now,
      updated_at: now,
    });
  }
  for (let i = 0; i < organizations.length; i += 500)
    await db
      .insertInto('resource_organizations')
      .values(organizations.slice(i, i + 500))
      .execute();

  let batch = {
    services: [] as Insertable<Database['resource_services']>[],
    attributes: [] as Insertable<Database['resource_attributes']>[],
    languages: [] as Insertable<Database['resource_languages']>[],
    schedules: [] as Insertable<Database['resource_schedules']>[],
  };
  const flush = async () => {
    for (const [table, rows] of [
      ['resource_services', batch.services],
      ['resource_attributes', batch.attributes],
      ['resource_languages', batch.languages],
      ['resource_schedules', batch.schedules],
    ] as const)
      for (let i = 0; i < rows.length; i += 400)
        await db
          .insertInto(table)
          .values(rows.slice(i, i + 400) as never)
          .execute();
    batch = { services: [], attributes: [], languages: [], schedules: [] };
  };
  let rowId = 0;
  for (let s = 0; s < count; s++) {
    const id = uuid('b0000000000000000000', s);
    const organization = organizations[s % organizationCount]!;
    const arabic = random() < 0.5;
    const [country, tz, cities] = pick(places);
    const city = pick(cities);
    const job = random() < 0.1;
    const verified = random();
    const name = arabic ? `${words(arabicWords, 3)} ${s}` : `${words(englishWords, 3)} ${s}`;
    const description = words(arabic ? arabicWords : englishWords, 25);
    const own = [pick(terms), ...(random() < 0.4 ? [pick(terms)] : [])].filter(
      (t, i, all) => all.findIndex((u) => u[0] === t[0]) === i,
    );
    batch.services.push({
      id,
      organization_id: organization.id,
      name,
      description,
      status: 'active',
      language: arabic ? 'ar' : 'en',
      translations: random() < 0.3 ? JSON.stringify({ [arabic ? 'en' : 'ar']: { name: `${name} (t)` } }) : null,
      kind: job ? 'job' : 'service',
      visibility: random() < 0.85 ? 'public' : 'members',
      review_state: random() < 0.97 ? 'published' : 'pending',
      country,
      city,
      city_key: cityKey(city),
      remote: random() < 0.2 ? 1 : 0,
      cost: pick(costs),
      tz,
      verified_at:
        verified < 0.3
          ? Math.round(now - random() * 300 * day)
          : verified < 0.4
            ? Math.round(now - (400 + random() * 300) * day)
            : null,
      expires_at: job ? Math.round(now + (random() < 0.5 ? -1 : 1) * random() * 60 * day) : null,
      search_text: searchTextOf([
        name,
        description,
        city,
        organization.name,
        ...own.flatMap(([code]) => [code, ...builtinTermWords(code)]),
      ]),
      created_at: now,
      updated_at: now,
    });
    for (const [, termId] of own)
      batch.attributes.push({
        id: uuid('c0000000000000000000', rowId++),
        link_id: id,
        link_type: 'service',
        link_entity: 'service',
        taxonomy_term_id: termId,
      });
    for (const code of new Set([arabic ? 'ar' : 'en', ...(random() < 0.5 ? [pick(languages)] : [])]))
      batch.languages.push({ id: uuid('d0000000000000000000', rowId++), service_id: id, code });
    if (random() < 0.7) {
      // A working week with a midday closure, or a night line running past midnight.
      const windows =
        random() < 0.8
          ? [
              ['SU,MO,TU,WE,TH', '09:00', '13:00'],
              ['SU,MO,TU,WE,TH', '14:00', '17:30'],
            ]
          : [['MO,TU,WE,TH,FR,SA,SU', '20:00', '02:00']];
      for (const [byday, opens_at, closes_at] of windows)
        batch.schedules.push({
          id: uuid('e0000000000000000000', rowId++),
          service_id: id,
          freq: 'WEEKLY',
          wkst: 'SA',
          byday,
          opens_at,
          closes_at,
          tz: null,
        });
    }
    if (batch.services.length >= 2000) await flush();
  }
  await flush();
}
