import type { FastifyReply } from 'fastify';
import { AppError, type FieldError } from './errors.js';
import type { MessageKey } from '../i18n/index.js';

export interface FormProblem {
  status: number;
  errors: FieldError[];
  general: MessageKey | undefined;
}

/**
 * Turns a service's refusal into what a form page shows: errors beside fields, or one message
 * for the whole form. Anything else (a bug, a database failure) is rethrown to the error handler.
 */
export function formProblem(error: unknown, reply: FastifyReply): FormProblem {
  if (!(error instanceof AppError) || error.status >= 500 || error.code === 'not_found') throw error;
  if (error.retryAfterSeconds) reply.header('Retry-After', String(error.retryAfterSeconds));
  return {
    status: error.status,
    errors: error.fields,
    general: error.fields.length ? undefined : error.messageKey,
  };
}
