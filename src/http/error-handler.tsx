import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type FieldError } from '../platform/errors.js';
import type { MessageKey } from '../i18n/index.js';
import { ErrorPage, type KeptForm } from '../views/error-page.js';
import { SignedOutPage } from '../views/kept.js';
import { fromOwnPage } from './kept.js';

/** Fastify's own errors (parsing, limits, validation), mapped to our codes and messages. */
function fromFramework(error: FastifyError, request: FastifyRequest): AppError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'error.tooLarge');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('unsupported_media_type', 'error.mediaType');
    default:
      break;
  }
  if (error.validation) return request.isApi ? fromSchema(error) : new AppError('bad_request', 'error.badRequest');
  const status = error.statusCode ?? 500;
  if (status === 404) return new AppError('not_found', 'error.notFound');
  if (status === 413) return new AppError('payload_too_large', 'error.tooLarge');
  if (status === 415) return new AppError('unsupported_media_type', 'error.mediaType');
  if (status === 429) return new AppError('rate_limited', 'error.rateLimited');
  if (status >= 400 && status < 500) return new AppError('bad_request', 'error.badRequest');
  return new AppError('internal', 'error.internal');
}

type SchemaProblem = {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
};

/**
 * An API body that breaks its route's schema is answered exactly as a service's validation error is:
 * 422 `validation_failed` with the field and a localised message (ADR 0029). What has no field to
 * point at (no body at all, a malformed path or query) stays a plain 400.
 */
function fromSchema(error: FastifyError): AppError {
  const problems = (error.validation ?? []) as SchemaProblem[];
  if (error.validationContext !== 'body') return new AppError('bad_request', 'error.badRequest');
  for (const problem of problems) {
    const field = fieldOf(problem);
    if (field) return new AppError('validation_failed', 'error.validation', [{ field, ...messageOf(problem) }]);
  }
  return new AppError('bad_request', 'error.badRequest');
}

function fieldOf(problem: SchemaProblem): string | undefined {
  const [first] = problem.instancePath.split('/').filter(Boolean);
  if (first) return first;
  const named = problem.params.missingProperty ?? problem.params.additionalProperty;
  return typeof named === 'string' ? named : undefined;
}

function messageOf(problem: SchemaProblem): Pick<FieldError, 'message' | 'values'> {
  const limit = Number(problem.params.limit);
  switch (problem.keyword) {
    case 'required':
      return { message: 'validation.required' };
    case 'additionalProperties':
      return { message: 'validation.unknownField' };
    case 'maxLength':
      return { message: 'validation.tooLong', values: { max: limit } };
    case 'minLength':
      return limit <= 1
        ? { message: 'validation.required' }
        : { message: 'validation.tooShort', values: { min: limit } };
    case 'maxItems':
      return { message: 'validation.tooMany', values: { max: limit } };
    case 'minItems':
      return { message: 'validation.tooFew', values: { min: limit } };
    default:
      return { message: 'validation.invalid' };
  }
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = error instanceof AppError ? error : fromFramework(error as FastifyError, request);
  if (appError.status >= 500) {
    // The error's own text and stack only: never the request, its body or its URL.
    const e = error as Error;
    request.log.error({ err: { type: e?.name, message: e?.message, stack: e?.stack } }, 'request failed');
  }
  // The request may have failed before the locale and actor were resolved.
  request.t ??= (key: MessageKey) => key;
  if (appError.retryAfterSeconds) reply.header('Retry-After', String(appError.retryAfterSeconds));
  return send(request, reply, appError);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(request, reply, new AppError('not_found', 'error.notFound'));
}

function send(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const message = request.t(error.messageKey);
  if (request.isApi || !request.locale || wantsJson(request)) {
    const body: { error: { code: ErrorCode; message: string; fields?: { field: string; message: string }[] } } = {
      error: { code: error.code, message },
    };
    if (error.fields.length && request.locale) {
      body.error.fields = error.fields.map((f) => ({ field: f.field, message: request.t(f.message, f.values) }));
    }
    return reply.code(error.status).type('application/json; charset=utf-8').send(body);
  }
  if (error.code === 'unauthenticated' && request.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  if (error.code === 'unauthenticated') {
    // A form sent without a session: sign-in leads back to its form, with the words if they were kept (ADR 0041).
    const answer = request.keptAnswer;
    const signInHref = answer ? `/login?next=${encodeURIComponent(answer.resume)}` : '/login';
    return reply.page(
      request.t(answer ? 'kept.title' : 'error.unauthenticated'),
      <SignedOutPage
        words={answer ? (answer.kept ? 'kept' : 'notKept') : 'none'}
        signInHref={signInHref}
        fields={answer?.fields ?? []}
      />,
      error.status,
    );
  }
  return reply.page(
    request.t('error.title'),
    <ErrorPage status={error.status} message={message} kept={keptForm(request, error)} />,
    error.status,
  );
}

/**
 * A form refused by a content limit is offered again with what the member wrote (ADR 0023); so is
 * a member's form whose CSRF token went stale (signed out and in again in another tab: ADR 0041).
 */
function keptForm(request: FastifyRequest, error: AppError): KeptForm | undefined {
  const keep = request.routeOptions.config?.keep;
  if (error.code === 'csrf_failed') {
    if (!keep || request.actor?.kind !== 'user' || request.method !== 'POST' || !fromOwnPage(request)) return undefined;
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return undefined;
    const fields = keep.fields.flatMap((name): [string, string][] => {
      const raw = body[name];
      const value = Array.isArray(raw) ? raw[0] : raw;
      return typeof value === 'string' && value ? [[name, value]] : [];
    });
    return fields.length ? { action: request.url, fields, note: 'error.csrfKept' } : undefined;
  }
  const limit = request.routeOptions.config?.limit;
  // A passphrase is never written back into a page.
  if (error.code !== 'rate_limited' || !limit || limit === 'passphrase' || request.method !== 'POST') return undefined;
  const body = request.body as Record<string, string | string[]> | undefined;
  if (!body || typeof body !== 'object') return undefined;
  const fields = Object.entries(body).flatMap(([name, value]) =>
    name === '_csrf' ? [] : (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, String(v)]),
  );
  return { action: request.url, fields };
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
