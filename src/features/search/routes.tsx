import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { responses } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import { searchFor, searchTypes, type SearchType } from './service.js';
import { SearchPage } from './views.js';

const signedIn = { policy: policies.signedIn };
const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  type: Type.Optional(Type.Enum(searchTypes)),
});

export async function searchRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/search',
    { config: { ...signedIn, limit: 'search' }, schema: { querystring: Query } },
    async (request, reply) => {
      const q = request.query.q?.trim() ?? '';
      const type: SearchType = request.query.type ?? 'all';
      const results = q ? await searchFor(serviceContext(ctx), request.member, { q, type }) : null;
      return reply.page(request.t('search.title'), <SearchPage q={q} type={type} results={results} />);
    },
  );

  app.get(
    '/api/v1/search',
    {
      config: { ...signedIn, limit: 'search' },
      schema: {
        summary: 'Search threads, posts and the group directory',
        description:
          'Arabic-aware (normalised and lightly stemmed). Only returns what the caller may read now; never names an anonymous author. `type` is all (default), thread, post or group.',
        tags: ['search'],
        querystring: Query,
        response: responses(
          {
            200: Type.Object({
              results: Type.Array(
                Type.Object({
                  kind: Type.Union([Type.Literal('thread'), Type.Literal('post'), Type.Literal('group')]),
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
        results: q ? await searchFor(serviceContext(ctx), request.member, { q, type: request.query.type }) : [],
      };
    },
  );
}
