import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { cookies, clearCookie, setCookie } from '../../http/cookies.js';
import { forgetKept } from '../../http/kept.js';
import { safeLocalPath } from '../../http/redirects.js';
import { isReachable } from '../../db/database.js';
import { realtimeState } from '../../realtime/status.js';
import { locales } from '../../i18n/locales.js';
import { policies } from '../../security/policy.js';
import { endSession } from '../sessions/public.js';
import { homeActivity } from '../discussions/public.js';
import { HomePage, QuickExitPage, SafetyPage } from './views.js';

const oneYear = 365 * 24 * 60 * 60;
/** After a write fails for lack of storage, /readyz answers 503 for this long (every new failure restarts it). */
const storageFailureWindow = 30_000;

export async function homeRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/', { config: { policy: policies.anyone } }, async (request, reply) => {
    const member = request.actor.kind === 'user' ? request.actor : null;
    const { fresh, recent } = member ? await homeActivity(serviceContext(ctx), member) : { fresh: [], recent: [] };
    return reply.page(request.t('home.title'), <HomePage fresh={fresh} recent={recent} />);
  });

  app.get('/quick-exit', { config: { policy: policies.anyone } }, async (request, reply) =>
    reply.page(request.t('quickExit.title'), <QuickExitPage />),
  );

  app.get('/safety', { config: { policy: policies.anyone } }, async (request, reply) =>
    reply.page(request.t('safety.title'), <SafetyPage />),
  );

  // Quick exit without JavaScript: end the session here and leave for the neutral site. Another
  // site linking here is sent to the neutral site too, but signs nobody out and clears nothing.
  app.get('/exit', { config: { policy: policies.anyone } }, async (request, reply) => {
    if (isOwnNavigation(request)) {
      if (request.actor.kind === 'user' && request.actor.sessionId && request.authVia === 'cookie') {
        await endSession(serviceContext(ctx), request.actor.sessionId);
      }
      clearCookie(request, reply, cookies.session);
      // Text kept when a session ended is deleted, not only made unreachable (ADR 0041).
      await forgetKept(ctx, request, reply);
      reply.header('Clear-Site-Data', '"cache", "cookies", "storage"');
    }
    return reply.redirect(ctx.config.quickExitUrl, 303);
  });

  app.get(
    '/lang/:locale',
    {
      config: { policy: policies.anyone },
      schema: {
        params: Type.Object({ locale: Type.Union(locales.map((l) => Type.Literal(l))) }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      setCookie(request, reply, cookies.locale, request.params.locale, { maxAgeSeconds: oneYear });
      return reply.redirect(safeLocalPath(request.query.next), 303);
    },
  );

  // `degraded` lists what still works but not as configured: `rate-limit-store` while Redis is unreachable
  // and limits are counted in this instance's memory. The site still serves, so that alone is not a 503.
  const degraded = Type.Optional(Type.Array(Type.String()));
  // The real-time bus (ADR 0061): `local` (one instance), `redis` or `postgres`, and whether its
  // subscriber is connected; while it is not, `realtime-bus` is degraded: chat is live on this instance only.
  const realtime = Type.Optional(
    Type.Object({
      backend: Type.Union([Type.Literal('local'), Type.Literal('redis'), Type.Literal('postgres')]),
      connected: Type.Boolean(),
    }),
  );
  const health = {
    200: Type.Object({ status: Type.String(), degraded, realtime }),
    503: Type.Object({ status: Type.String(), degraded, realtime }),
  };

  app.get(
    '/healthz',
    { config: { policy: policies.anyone }, schema: { summary: 'The process is up', response: health } },
    async () => ({
      status: 'ok',
    }),
  );

  app.get(
    '/readyz',
    {
      config: { policy: policies.anyone },
      schema: {
        summary: 'The database answers and (on SQLite) no write failed for lack of storage in the last 30 s',
        response: health,
      },
    },
    async (_request, reply) => {
      const failedAt = ctx.storageFailedAt();
      const ok = (failedAt === null || ctx.now() - failedAt > storageFailureWindow) && (await isReachable(ctx.db));
      const live = realtimeState(ctx);
      const degraded = [
        ...(ctx.limits.degraded ? ['rate-limit-store'] : []),
        ...(live && !live.connected ? ['realtime-bus'] : []),
      ];
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'unavailable',
        ...(degraded.length ? { degraded } : {}),
        ...(live ? { realtime: live } : {}),
      });
    },
  );
}

/**
 * A click on our own page, or an address typed or bookmarked: Fetch Metadata says `same-origin` or
 * `none`. Browsers too old to send it (before 2020, Safari before 16.4) still get a working quick
 * exit, because a person in danger may be using one; for them a Referer naming another host marks a
 * link from elsewhere (our pages send no Referer at all).
 */
export function isOwnNavigation(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const referer = request.headers.referer;
  if (!referer) return true;
  try {
    return new URL(referer).origin === new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return false;
  }
}
