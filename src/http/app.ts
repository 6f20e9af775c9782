import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { VNode } from 'preact';
import type { AppContext } from '../app-context.js';
import type { Config } from '../config.js';
import { serviceContext } from '../app-context.js';
import { formatDate, formatDateTime, formatNumber, translator, type Translate } from '../i18n/index.js';
import { directionOf, isLocale, negotiateLocale, type Locale } from '../i18n/locales.js';
import { visitor, type Actor, type Member } from '../security/actor.js';
import type { RoutePolicy } from '../security/policy.js';
import { constantTimeEqual, newToken } from '../security/tokens.js';
import { hmac } from '../security/secret-key.js';
import { resolveSession } from '../security/sessions.js';
import { assetsDir, assetUrl } from '../web/assets.js';
import type { ViewContext } from '../views/context.js';
import { renderPage } from './render.js';
import { cookieName, cookies, clearCookie, readCookie, setCookie } from './cookies.js';
import { AppError } from '../platform/errors.js';
import { ErrorRef, ErrorResponse } from './schemas.js';
import { containsNul } from './nul.js';
import { handleError, handleNotFound } from './error-handler.js';
import { securityHeaders } from './security-headers.js';
import { refuseFrozenWrite } from './frozen.js';
import { registerContentLimits } from './content-limits.js';
import { deferKeptDenial, keepDeniedSubmission } from './kept.js';
import { loadModules, navigationOf, registerFeatures } from '../platform/modules.js';
import type { NavigationLink } from '../platform/module.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /**
     * The signed-in member, on routes whose policy lets no visitor in. Reading it anywhere else
     * is a programming error and throws, rather than handing a visitor to a service as a member.
     */
    readonly member: Member;
    locale: Locale;
    t: Translate;
    /** How the actor was authenticated: bearer tokens need no CSRF token, cookies do. */
    authVia: 'cookie' | 'bearer' | null;
    isApi: boolean;
    /** Counts the page's chrome shows, by name, set by page value providers (the unread notifications). */
    pageCounts?: Record<string, number>;
    csrfToken(): string;
    view(): ViewContext;
  }
  interface FastifyReply {
    page(title: string, body: VNode, status?: number): FastifyReply;
  }
  interface FastifyInstance {
    /**
     * Adds something every signed-in HTML page shows (the notifications module: the unread count
     * in the navigation). Providers run in one hook before the handler, in the order added.
     */
    addPageValues(provider: PageValues): void;
  }
  interface FastifyContextConfig {
    /** Required on every route: who may call it at all. */
    policy?: RoutePolicy;
    /** Skip the CSRF check when nobody is signed in: there is nothing to forge (sign-out after expiry). */
    csrfOnlyWhenSignedIn?: boolean;
    /** Set at start-up for routes whose body schema is `Type.Optional(…)`: no body at all means `{}`. */
    bodyOptional?: boolean;
    /** A write a frozen account may still make: ending its own session (src/http/frozen.ts). */
    allowWhileFrozen?: boolean;
    /**
     * Content types an API route takes besides JSON (the HSDS import: `application/zip`). None may be
     * one a form on another site can send without the browser asking first (ADR 0057).
     */
    apiMediaTypes?: readonly string[];
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Sets fields of the request that the layout shows, for a signed-in member's HTML page. */
export type PageValues = (request: FastifyRequest, member: Member) => Promise<void>;

type RequestBodyDoc = {
  required?: boolean;
  content?: Record<string, { schema?: { type?: string; properties?: object; required?: string[] } }>;
};

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const bodyLimit = 64 * 1024;
const requestTimeoutMs = 30_000;

/**
 * Fastify refuses a bare hop count (it cannot check the immediate peer), so hops become a function:
 * the socket peer and the next `hops - 1` entries from the right of the forwarded-for header are proxies,
 * and the entry before them is the client. Entries further left were written by the client.
 */
function trustedProxies(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}

/** `logStream` lets tests read what is logged; by default logs go to standard output. */
export async function buildApp(ctx: AppContext, options: { logStream?: NodeJS.WritableStream } = {}): Promise<App> {
  const app: App = Fastify({
    logger: {
      level: ctx.config.logLevel,
      // Logs carry no request data beyond what onResponse writes below.
      base: null,
      serializers: { req: () => ({}), res: () => ({}) },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustedProxies(ctx.config.trustProxy),
    bodyLimit,
    // A client that sends half a request and goes quiet is cut off instead of holding its connection open.
    requestTimeout: requestTimeoutMs,
    // Validation errors are reported by key, in the requester's language, never as raw text.
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Outages of the shared rate-limit store are logged once each, with no request data.
  ctx.limits.useLogger({ warn: (message) => app.log.warn(message), info: (message) => app.log.info(message) });

  app.decorateRequest('actor', null as never);
  app.decorateRequest('member', {
    getter(this: FastifyRequest): Member {
      return memberOf(this);
    },
  });
  app.decorateRequest('locale', null as never);
  app.decorateRequest('t', null as never);
  app.decorateRequest('authVia', null);
  app.decorateRequest('isApi', false);
  app.decorateRequest('csrfToken', function (this: FastifyRequest) {
    return csrfTokenFor(ctx, this, currentReply.get(this));
  });
  // Filled once the modules are registered, before the app serves anything.
  const navigation: NavigationLink[] = [];
  app.decorateRequest('view', function (this: FastifyRequest) {
    return viewFor(this, navigation);
  });
  const pageValues: PageValues[] = [];
  app.decorate('addPageValues', (provider: PageValues) => {
    pageValues.push(provider);
  });
  app.decorateReply('page', function (this: FastifyReply, title: string, body: VNode, status = 200) {
    const html = renderPage(this.request.view(), title, body);
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });

  // Cookies carry their own HMACs where they need one (CSRF anchor, device marker), so no signing secret here.
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit });
  // An empty JSON body is no body: routes whose body is optional take it as `{}` (see bodyOptional).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) =>
    body === '' ? done(null, undefined) : parseJson(request, body as string, done),
  );
  const optionalBodies = new Set<string>();
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  app.addSchema(ErrorResponse);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sanad API',
        version: '1',
        description:
          'The JSON API of Sanad. Errors have one shape, the `Error` component: { "error": { "code", "message", "fields"? } }.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    // Shared schemas (the error shape) appear under their own names in components.schemas.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
    // The generator marks every request body required; say so only where the route needs one.
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      const { openapiObject } = document;
      for (const [path, methods] of Object.entries(openapiObject.paths ?? {})) {
        for (const [method, operation] of Object.entries(methods ?? {})) {
          const requestBody = (operation as { requestBody?: RequestBodyDoc }).requestBody;
          if (requestBody && optionalBodies.has(`${method.toUpperCase()} ${path}`)) requestBody.required = false;
          // Every request body says which fields it requires, even when that is none (ADR 0029).
          const schema = requestBody?.content?.['application/json']?.schema;
          if (schema?.type === 'object' && schema.properties && !schema.required) schema.required = [];
        }
      }
      return openapiObject;
    },
  });

  // Deny by default: a route without a policy is a programming error caught at start-up.
  app.addHook('onRoute', (route) => {
    const isDocumented = route.url.startsWith('/api/v1') || route.url === '/healthz' || route.url === '/readyz';
    if (!isDocumented) route.schema = { ...(route.schema ?? {}), hide: true };
    // A route that takes a body can refuse it field by field: its 422 is documented with its other errors.
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (route.schema?.body && response && !response[422]) route.schema.response = { ...response, 422: ErrorRef };
    if ((route.schema?.body as { '~optional'?: boolean } | undefined)?.['~optional']) {
      route.config = { ...(route.config ?? {}), bodyOptional: true };
      for (const method of [route.method].flat())
        optionalBodies.add(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    }
    if (route.method === 'HEAD') return;
    if (!route.config?.policy && !route.url.startsWith('/assets') && route.url !== '/api/v1/openapi.json') {
      throw new Error(`Route ${route.method} ${route.url} declares no policy`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    currentReply.set(request, reply);
    request.isApi = request.url.startsWith('/api/');
    request.locale = localeOf(ctx, request);
    request.t = translator(request.locale);
    request.actor = visitor;
    if (request.url.startsWith('/assets/')) return;

    // The address feeds only an in-memory keyed hash for rate limits; it is never stored or logged.
    await ctx.limits.consume('request', ctx.limits.addressKey(request.ip));

    const authorization = request.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const member = match ? await resolveSession(serviceContext(ctx), match[1]!) : null;
      if (!member) throw new AppError('unauthenticated', 'error.badToken');
      request.actor = member;
      request.authVia = 'bearer';
    } else {
      const token = readCookie(request, cookies.session);
      if (token) {
        const member = await resolveSession(serviceContext(ctx), token);
        if (member) {
          request.actor = member;
          request.authVia = 'cookie';
        } else {
          clearCookie(request, reply, cookies.session);
        }
      }
    }

    // Members are addressed as they chose (ADR 0037); everyone else in the plural/neutral form.
    if (request.actor.kind === 'user') request.t = translator(request.locale, request.actor.address);

    const policy = request.routeOptions.config.policy;
    // A member's words sent after their session ended are kept once the body is read (ADR 0041).
    if (policy && !policy(request.actor) && !deferKeptDenial(request)) throw deniedError(request);
    refuseFrozenWrite(request);
  });

  app.addHook('preHandler', async (request) => {
    if (request.isApi || request.actor.kind !== 'user' || request.url.startsWith('/assets/')) return;
    for (const provide of pageValues) await provide(request, request.actor);
  });

  // One check for every route, before any schema or service sees the input (see src/http/nul.ts).
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.routeOptions.config.bodyOptional) request.body = {};
    if (containsNul(request.params) || containsNul(request.query) || containsNul(request.body)) {
      throw new AppError('bad_request', 'error.nulCharacter');
    }
  });

  // A denied form whose words are worth keeping: kept, then answered 401 (src/http/kept.ts).
  app.addHook('preValidation', (request, reply) => keepDeniedSubmission(ctx, request, reply));

  registerContentLimits(app, ctx);

  // Cookie-authenticated changes, and every HTML form, must carry the CSRF token.
  app.addHook('preValidation', async (request) => {
    if (safeMethods.has(request.method)) return;
    // The API takes JSON only: a form on another site cannot send it without the browser asking first.
    const contentType = request.headers['content-type'];
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    const alsoTaken = request.routeOptions.config.apiMediaTypes ?? [];
    if (
      request.isApi &&
      contentType &&
      !/^application\/json\b/i.test(contentType) &&
      !alsoTaken.includes(mediaType ?? '')
    ) {
      throw new AppError('unsupported_media_type', 'error.mediaType');
    }
    if (request.authVia === 'bearer') return;
    if (request.isApi && request.authVia !== 'cookie') return; // JSON only, no ambient credentials
    if (request.routeOptions.config.csrfOnlyWhenSignedIn && request.actor.kind === 'visitor') return;
    const body = request.body as Record<string, unknown> | undefined;
    const sent = (typeof body?._csrf === 'string' && body._csrf) || request.headers['x-csrf-token'];
    const expected = expectedCsrfToken(ctx, request);
    if (typeof sent !== 'string' || !expected || !constantTimeEqual(sent, expected)) {
      throw new AppError('csrf_failed', 'error.csrf');
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    securityHeaders(request, reply);
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    // Method, route pattern, status and duration only: no URL, address, agent or identity.
    request.log.info({
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });

  app.setErrorHandler((error, request, reply) => handleError(error, request, reply));
  app.setNotFoundHandler((request, reply) => handleNotFound(request, reply));

  await app.register(fastifyStatic, {
    root: assetsDir,
    prefix: '/assets/',
    cacheControl: false,
    setHeaders(res, _path) {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerFeatures(app, ctx);
  navigation.push(...navigationOf(await loadModules()));
  return app;
}

const currentReply = new WeakMap<FastifyRequest, FastifyReply>();

/** See FastifyRequest.member. */
export function memberOf(request: FastifyRequest): Member {
  const policy = request.routeOptions.config.policy;
  if (!policy || policy(visitor)) {
    throw new Error(`request.member on ${request.routeOptions.url ?? 'a route'} whose policy lets visitors in`);
  }
  if (request.actor.kind !== 'user') throw new AppError('unauthenticated', 'error.unauthenticated');
  return request.actor;
}

function deniedError(request: FastifyRequest): AppError {
  if (request.actor.kind === 'visitor') return new AppError('unauthenticated', 'error.unauthenticated');
  // A denied read looks exactly like a missing page.
  return safeMethods.has(request.method)
    ? new AppError('not_found', 'error.notFound')
    : new AppError('forbidden', 'error.forbidden');
}

function localeOf(ctx: AppContext, request: FastifyRequest): Locale {
  const chosen = readCookie(request, cookies.locale);
  if (isLocale(chosen)) return chosen;
  return negotiateLocale(request.headers['accept-language']) ?? ctx.config.defaultLocale;
}

/** The CSRF token is an HMAC of the session id, or of a random pre-session cookie for visitors. */
function expectedCsrfToken(ctx: AppContext, request: FastifyRequest): string | undefined {
  if (request.actor.kind === 'user' && request.actor.sessionId)
    return hmac(ctx.keys.csrf, `session:${request.actor.sessionId}`);
  const anchor = readCookie(request, cookies.preSession);
  return anchor ? hmac(ctx.keys.csrf, `visitor:${anchor}`) : undefined;
}

function csrfTokenFor(ctx: AppContext, request: FastifyRequest, reply: FastifyReply | undefined): string {
  const existing = expectedCsrfToken(ctx, request);
  if (existing) return existing;
  const anchor = newToken();
  if (reply) setCookie(request, reply, cookies.preSession, anchor);
  // Later calls in the same request must see the same anchor.
  request.cookies[cookieName(request, cookies.preSession)] = anchor;
  return hmac(ctx.keys.csrf, `visitor:${anchor}`);
}

function viewFor(request: FastifyRequest, navigation: readonly NavigationLink[]): ViewContext {
  const locale = request.locale;
  // A page can hold a hundred small forms (reactions, moderation): one HMAC is enough for all of them.
  let csrf: string | undefined;
  return {
    t: request.t,
    locale,
    dir: directionOf(locale),
    actor: request.actor,
    currentPath: request.url,
    csrfToken: () => (csrf ??= request.csrfToken()),
    asset: assetUrl,
    formatNumber: (value) => formatNumber(locale, value),
    formatDate: (ms) => formatDate(locale, ms),
    formatDateTime: (ms) => formatDateTime(locale, ms),
    navigation,
    counts: request.pageCounts ?? {},
  };
}
