import { Type } from 'typebox';
import { type AppContext, serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { responses } from '../../http/schemas.js';
import type { Locale } from '../../i18n/locales.js';
import { AppError } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import { FindPage, termName } from './find-views.js';
import { keepsDirectory } from './policy.js';
import {
  categoryOptions,
  costs,
  type FindResult,
  type FoundListing,
  findListings,
  findLimits,
  kinds,
  type RawFindFilters,
} from './services/find.js';
import { localised } from './translations.js';
import type { Translate } from '../../i18n/index.js';

const tags = ['resources'];
// Anyone: public listings are outreach, readable without an account; the service narrows the rest.
const anyone = { policy: policies.anyone, limit: 'search' as const };

// Every filter is text here and checked by the service, so a wrong value is answered beside its
// field (page) or named in a 400 (API) in the reader's language. The lengths only stop abuse.
const text = (description: string, maxLength = 200) => Type.Optional(Type.String({ maxLength, description }));
const FindQuery = Type.Object({
  q: text(`Words, Arabic or English, normalised and stemmed as search is (at most ${findLimits.words} words)`, 1000),
  category: text('A taxonomy term: a built-in code (legal-aid, …), or any term’s code or id'),
  country: text('ISO 3166-1 alpha-2, as the member chose it'),
  city: text('A city, as listings write it (compared normalised)', 500),
  language: text('A language spoken, as a BCP 47 code (ar, en, fr, …)'),
  cost: text(`One of ${costs.join(', ')}`),
  kind: text(`One of ${kinds.join(', ')}; both when absent`),
  open: text('true: only listings open now in their own time zone', 10),
  remote: text('true: only remote or online listings', 10),
  after: text('The `next` cursor of the page before', 1000),
});

const Term = Type.Object({ id: Type.String(), code: Type.Union([Type.String(), Type.Null()]), name: Type.String() });
const Listing = Type.Object({
  id: Type.String(),
  kind: Type.Enum([...kinds]),
  name: Type.Union([Type.String(), Type.Null()]),
  nameLanguage: Type.Union([Type.String(), Type.Null()]),
  organization: Type.Union([Type.String(), Type.Null()]),
  categories: Type.Array(Term),
  country: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  remote: Type.Boolean(),
  cost: Type.Union([Type.Enum([...costs]), Type.Null()]),
  verification: Type.Enum(['verified', 'stale', 'unverified'], {
    description: 'verified: marked LGBTQ-affirming and not lapsed; stale: the mark lapsed',
  }),
  verifiedAt: Type.Union([Type.Integer(), Type.Null()]),
  openNow: Type.Enum(['open', 'closed', 'unknown'], { description: 'unknown: no opening hours Sanad can read' }),
  expiresAt: Type.Union([Type.Integer(), Type.Null()], { description: 'Job postings leave search at this time' }),
  href: Type.String(),
});

/** Exactly what the API says of a listing in a list: no contacts, places, notes or search text. */
function presentFound(l: FoundListing, t: Translate, locale: Locale) {
  const name = localised(l, 'name', locale);
  return {
    id: l.id,
    kind: l.kind,
    name: name.text,
    nameLanguage: name.lang,
    organization: l.organization ? localised(l.organization, 'name', locale).text : null,
    categories: l.categories.map((c) => ({ id: c.id, code: c.code, name: termName(c, t, locale) })),
    country: l.country,
    city: l.city,
    remote: l.remote,
    cost: l.cost,
    verification: l.freshness,
    verifiedAt: l.verifiedAt,
    openNow: l.open,
    expiresAt: l.expiresAt,
    href: `/resources/${l.id}`,
  };
}

/** Finding help: the directory's search page and its API. */
export async function findRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/resources', { config: anyone, schema: { querystring: FindQuery } }, async (request, reply) => {
    const sctx = serviceContext(ctx);
    const filters: RawFindFilters = request.query;
    const categories = await categoryOptions(sctx);
    let result: FindResult | null = null;
    let errors: AppError['fields'] = [];
    try {
      result = await findListings(sctx, request.actor, filters);
    } catch (error) {
      // Wrong filters: the form again, as it was sent, with each problem beside its field.
      if (!(error instanceof AppError) || error.fields.length === 0) throw error;
      errors = error.fields;
    }
    return reply.page(
      request.t('resources.find.title'),
      <FindPage
        filters={filters}
        categories={categories}
        errors={errors}
        result={result}
        keeper={keepsDirectory(request.actor)}
      />,
      errors.length > 0 ? 400 : 200,
    );
  });

  app.get(
    '/api/v1/resources',
    {
      config: anyone,
      schema: {
        summary: 'Find listings in the resource directory',
        description:
          'Published listings the caller may read (public ones without an account), verified-and-fresh first, then by name, 20 a page; page with `after`. Expired job postings never appear. A wrong filter answers 400 naming it.',
        tags,
        querystring: FindQuery,
        response: responses(
          { 200: Type.Object({ listings: Type.Array(Listing), next: Type.Union([Type.String(), Type.Null()]) }) },
          400,
        ),
      },
    },
    async (request) => {
      const result = await findListings(serviceContext(ctx), request.actor, request.query);
      return { listings: result.listings.map((l) => presentFound(l, request.t, request.locale)), next: result.next };
    },
  );
}
