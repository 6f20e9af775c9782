import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { responses } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import { loadModules } from '../../platform/modules.js';
import { searchableOf, searchFor } from './service.js';
import { SearchPage } from './views.js';

const signedIn = { policy: policies.signedIn };

export async function searchRoutes(app: App, ctx: AppContext): Promise<void> {
  // The kinds are whatever the modules declare, so a new capability's documents are searchable
  // (and named in the API document) without an edit here.
  const searchable = searchableOf(await loadModules());
  const kindNames = searchable.kinds.map((k) => k.kind);
  const Query = Type.Object({
    q: Type.Optional(Type.String({ maxLength: 500 })),
    type: Type.Optional(Type.Enum(['all', ...kindNames])),
  });
  app.get(
    '/search',
    { config: { ...signedIn, limit: 'search' }, schema: { querystring: Query } },
    async (request, reply) => {
      const q = request.query.q?.trim() ?? '';
      const type = request.query.type ?? 'all';
      const results = q ? await searchFor(serviceContext(ctx), request.member, searchable, { q, type }) : null;
      return reply.page(
        request.t('search.title'),
        <SearchPage q={q} type={type} kinds={searchable.kinds} results={results} />,
      );
    },
  );

  app.get(
    '/api/v1/search',
    {
      config: { ...signedIn, limit: 'search' },
      schema: {
        summary: 'Search threads, posts and the group directory',
        description: `Arabic-aware (normalised and lightly stemmed). Only returns what the caller may read now; never names an anonymous author. \`type\` is all (default) or one kind: ${kindNames.join(', ')}.`,
        tags: ['search'],
        querystring: Query,
        response: responses(
          {
            200: Type.Object({
              results: Type.Array(
                Type.Object({
                  kind: Type.Enum(kindNames),
                  id: Type.String(),
                  title: Type.String(),
                  href: Type.String(),
                  snippet: Type.Array(Type.Object({ text: Type.String(), match: Type.Boolean() })),
                }),
              ),
            }),
          },
          401,
        ),
      },
    },
    async (request) => {
      const q = request.query.q?.trim() ?? '';
      return {
        results: q
          ? await searchFor(serviceContext(ctx), request.member, searchable, { q, type: request.query.type })
          : [],
      };
    },
  );
}
