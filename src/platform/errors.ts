import type { MessageKey } from '../i18n/index.js';

export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'rate_limited'
  | 'csrf_failed'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  csrf_failed: 403,
  internal: 500,
};

/** A field-level problem shown next to the input that caused it. */
export interface FieldError {
  field: string;
  message: MessageKey;
  values?: Record<string, string | number>;
}

/**
 * The one error type services throw. It carries a message key, never text, so the
 * HTTP layer can say it in the requester's language, as JSON or as a page.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: MessageKey,
    readonly fields: FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(code);
    this.status = statusOf[code];
  }
}

export const notFound = () => new AppError('not_found', 'error.notFound');
export const forbidden = () => new AppError('forbidden', 'error.forbidden');
export const unauthenticated = () => new AppError('unauthenticated', 'error.unauthenticated');
export const invalid = (fields: FieldError[]) => new AppError('validation_failed', 'error.validation', fields);
