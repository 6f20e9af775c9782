import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { serviceContext } from '../app-context.js';
import { AppError } from '../platform/errors.js';
import { dropKept, keepSubmission, keptLifetimeMs, peekKept, takeKept, type KeptSubmission } from '../security/kept.js';
import { clearCookie, cookies, readCookie, setCookie } from './cookies.js';
import { safeLocalPath } from './redirects.js';

/**
 * Text sent after its session had ended is not lost (ADR 0041). A form route that writes a member's
 * words declares `config.keep`; when its POST arrives from our own page with no valid session, the
 * words are kept server-side, sealed under a random token the browser holds in a cookie, and the
 * answer is a 401 page that says so and links to sign-in. Signing in leads back to the composer,
 * whose page takes the words once and fills them in if the member may still post there.
 */
export interface KeepSpec {
  /** The fields worth keeping (the words and the choices around them). */
  fields: readonly string[];
  /**
   * The form the words belong to, from the route's params (`/threads/:id/posts`): a composer's
   * other buttons (preview, save a draft) keep them for its main form. The request's path if left out.
   */
  action?(params: Record<string, string>): string;
  /** The composer's page for this action, from the route's params: where the member writes again. */
  resume(params: Record<string, string>): string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Keep what this HTML form sent when the session has ended (see src/http/kept.ts). */
    keep?: KeepSpec;
  }
  interface FastifyRequest {
    /** Set when a visitor's POST to a `keep` route is denied: decided once the body has been read. */
    keepDenied?: boolean;
    /** What the 401 page says and shows: where to sign in to, the words, and whether they were kept. */
    keptAnswer?: KeptAnswer;
  }
}

export interface KeptAnswer {
  kept: boolean;
  /** Where sign-in leads: the composer's page. */
  resume: string;
  /** The words sent, shown again on the 401 page to copy (the member's own browser, which just sent them). */
  fields: [name: string, value: string][];
}

const maxField = 25_000;

/** Deferred to after the body is read: onRequest runs before it, and the words are in the body. */
export function deferKeptDenial(request: FastifyRequest): boolean {
  const keep = request.routeOptions.config.keep;
  if (!keep || request.isApi || request.method !== 'POST' || request.actor.kind !== 'visitor') return false;
  request.keepDenied = true;
  return true;
}

/**
 * Only a form on our own pages: Fetch Metadata says `same-origin`. A form on another site would
 * otherwise plant words in a member's composer. Browsers too old to send Fetch Metadata are
 * trusted unless `Origin` or `Referer` names another host (our pages send `Origin: null` and no
 * Referer on a form, so those browsers keep their text); see ADR 0041 for what that leaves open.
 */
export function fromOwnPage(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const own = `${request.protocol}://${request.host}`;
  for (const header of [request.headers.origin, request.headers.referer]) {
    if (!header || header === 'null') continue;
    try {
      if (new URL(header).origin !== new URL(own).origin) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The fields a keep route names, as sent (first values, bounded). */
function keptFields(request: FastifyRequest, spec: KeepSpec): Record<string, string> {
  const body = request.body as Record<string, unknown> | undefined;
  const fields: Record<string, string> = {};
  if (!body || typeof body !== 'object') return fields;
  for (const name of spec.fields) {
    const raw = body[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value === 'string' && value.length > 0) fields[name] = value.slice(0, maxField);
  }
  return fields;
}

/** Runs as the first step after the body is read: keeps the words, then answers 401. */
export async function keepDeniedSubmission(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  if (!request.keepDenied) return;
  const spec = request.routeOptions.config.keep!;
  const resume = safeLocalPath(spec.resume(request.params as Record<string, string>));
  const fields = keptFields(request, spec);
  const words = Boolean(fields.body?.trim() || fields.title?.trim());
  if (!words || !fromOwnPage(request)) {
    request.keptAnswer = { kept: false, resume, fields: [] };
    throw new AppError('unauthenticated', 'error.unauthenticated');
  }
  // Past the per-address limit the words are shown back to copy, but not stored.
  if (await ctx.limits.attempt('keptAddress', ctx.limits.addressKey(request.ip))) {
    request.keptAnswer = { kept: false, resume, fields: Object.entries(fields) };
    throw new AppError('unauthenticated', 'error.unauthenticated');
  }
  const sctx = serviceContext(ctx);
  // One kept text per browser: a newer one replaces the older, which is deleted rather than left behind.
  const previous = readCookie(request, cookies.kept);
  if (previous) await dropKept(sctx, previous);
  const params = request.params as Record<string, string>;
  const kept: KeptSubmission = { action: spec.action?.(params) ?? actionOf(request), resume, fields };
  const token = await keepSubmission(sctx, kept);
  setCookie(request, reply, cookies.kept, token, { maxAgeSeconds: keptLifetimeMs / 1000 });
  request.keptAnswer = { kept: true, resume, fields: Object.entries(fields) };
  throw new AppError('unauthenticated', 'error.unauthenticated');
}

/** The form's action: the request's path, without a query. */
function actionOf(request: FastifyRequest): string {
  return request.url.split('?')[0]!;
}

/**
 * After sign-in: where the browser's kept text is written again, if it holds one still kept.
 * Reading it uses nothing up; the composer's page takes it.
 */
export async function keptResume(ctx: AppContext, request: FastifyRequest): Promise<string | undefined> {
  const token = readCookie(request, cookies.kept);
  if (!token) return undefined;
  const kept = await peekKept(serviceContext(ctx), token);
  return kept ? safeLocalPath(kept.resume) : undefined;
}

/**
 * A composer's page takes the text kept for its form's action, once: the row is deleted and the
 * cookie cleared. Text kept for another form stays for that form's page. The page then decides,
 * with the member's rights now, whether the words go into its composer or are only shown.
 */
export async function takeKeptFor(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  action: string,
): Promise<Record<string, string> | undefined> {
  const token = readCookie(request, cookies.kept);
  if (!token || request.actor.kind !== 'user') return undefined;
  const kept = await takeKept(serviceContext(ctx), token, action);
  if (!kept) {
    // A token whose row is gone (used, expired or purged) is of no use to keep sending.
    if (!(await peekKept(serviceContext(ctx), token))) clearCookie(request, reply, cookies.kept);
    return undefined;
  }
  clearCookie(request, reply, cookies.kept);
  return kept.fields;
}

/** Sign-out forgets the browser's kept text too: nothing of it is left for whoever comes next. */
export async function forgetKept(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = readCookie(request, cookies.kept);
  if (!token) return;
  await dropKept(serviceContext(ctx), token);
  clearCookie(request, reply, cookies.kept);
}
