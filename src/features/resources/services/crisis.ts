import type { ServiceContext } from '../../../app-context.js';
import type { Actor } from '../../../security/actor.js';
import { readableScope } from '../queries.js';

/** One crisis line as the crisis page shows it. */
export type CrisisLine = {
  id: string;
  name: string | null;
  description: string | null;
  translations: string | null;
  language: string | null;
  organizationName: string | null;
  organizationTranslations: string | null;
  country: string | null;
  remote: boolean;
  /** `confidential`: shown only to signed-in readers, marked so they do not pass it on. */
  phones: { number: string; description: string | null; confidential: boolean }[];
  hours: { byday: string | null; opensAt: string | null; closesAt: string | null; description: string | null }[];
  languages: string[];
};

const crisisTerm = 'crisis-line';

/** The listings tagged "Crisis line" this reader may read: published, and readable by them. */
async function readableCrisisQuery(ctx: ServiceContext, actor: Actor) {
  const scope = await readableScope(ctx, actor);
  return ctx.db
    .selectFrom('resource_services as s')
    .leftJoin('resource_organizations as o', 'o.id', 's.organization_id')
    .where('s.review_state', '=', 'published')
    .where('s.kind', '=', 'service')
    .where((eb) => {
      const open = eb(
        's.visibility',
        'in',
        scope.visibilities.filter((v) => v !== 'group'),
      );
      if (scope.groupIds === 'all') return eb.or([open, eb('s.visibility', '=', 'group')]);
      if (scope.groupIds.length === 0) return open;
      return eb.or([open, eb.and([eb('s.visibility', '=', 'group'), eb('s.group_id', 'in', scope.groupIds)])]);
    })
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('resource_attributes as a')
          .innerJoin('resource_taxonomy_terms as t', 't.id', 'a.taxonomy_term_id')
          .select('a.id')
          .where('a.link_entity', '=', 'service')
          .whereRef('a.link_id', '=', 's.id')
          .where('t.code', '=', crisisTerm)
          .where('t.builtin', '=', 1),
      ),
    );
}

/**
 * Crisis lines for a country the member chose (never one detected), and the international ones (no
 * country): each with its phones, opening hours and languages. Confidential phones only for signed-in
 * readers, as everywhere on HTML pages (ADR 0053).
 */
export async function crisisLines(
  ctx: ServiceContext,
  actor: Actor,
  country: string | null,
): Promise<{ local: CrisisLine[]; international: CrisisLine[] }> {
  const rows = await (await readableCrisisQuery(ctx, actor))
    .select([
      's.id',
      's.name',
      's.description',
      's.translations',
      's.language',
      's.country',
      's.remote',
      'o.name as organization_name',
      'o.translations as organization_translations',
    ])
    .where((eb) =>
      country ? eb.or([eb('s.country', '=', country), eb('s.country', 'is', null)]) : eb('s.country', 'is', null),
    )
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(200)
    .execute();
  const ids = rows.map((r) => r.id);
  const signedIn = actor.kind === 'user';
  const [phones, hours, languages] =
    ids.length === 0
      ? [[], [], []]
      : await Promise.all([
          ctx.db
            .selectFrom('resource_phones')
            .select(['service_id', 'number', 'description', 'confidential'])
            .where('service_id', 'in', ids)
            .where('number', 'is not', null)
            .orderBy('id')
            .execute(),
          ctx.db
            .selectFrom('resource_schedules')
            .select(['service_id', 'byday', 'opens_at', 'closes_at', 'description'])
            .where('service_id', 'in', ids)
            .orderBy('id')
            .execute(),
          ctx.db
            .selectFrom('resource_languages')
            .select(['service_id', 'code', 'name'])
            .where('service_id', 'in', ids)
            .orderBy('id')
            .execute(),
        ]);
  const lines = rows.map(
    (r): CrisisLine => ({
      id: r.id,
      name: r.name,
      description: r.description,
      translations: r.translations,
      language: r.language,
      organizationName: r.organization_name,
      organizationTranslations: r.organization_translations,
      country: r.country,
      remote: r.remote === 1,
      phones: phones
        .filter((p) => p.service_id === r.id && (signedIn || p.confidential !== 1))
        .map((p) => ({ number: p.number ?? '', description: p.description, confidential: p.confidential === 1 })),
      // In the order of the day, as the listing page shows them (ids are random).
      hours: hours
        .filter((h) => h.service_id === r.id)
        .sort((a, b) => (a.opens_at ?? '').localeCompare(b.opens_at ?? ''))
        .map((h) => ({ byday: h.byday, opensAt: h.opens_at, closesAt: h.closes_at, description: h.description })),
      languages: [
        ...new Set(languages.filter((l) => l.service_id === r.id).flatMap((l) => (l.code ?? l.name ?? '') || [])),
      ],
    }),
  );
  return {
    local: country ? lines.filter((l) => l.country === country) : [],
    international: lines.filter((l) => l.country === null),
  };
}

/** The countries this reader has crisis lines for, so choosing one is a single link. */
export async function crisisCountries(ctx: ServiceContext, actor: Actor): Promise<string[]> {
  const rows = await (await readableCrisisQuery(ctx, actor))
    .select('s.country')
    .distinct()
    .where('s.country', 'is not', null)
    .orderBy('s.country')
    .execute();
  return rows.map((r) => r.country).filter((c): c is string => c !== null);
}
