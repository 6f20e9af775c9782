import type { FastifyReply } from 'fastify';
import { AppError, type FieldError } from '../platform/errors.js';
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

/** The steps of an HTML form's POST (see formRoute). */
export interface FormSteps<T> {
  /** Hands what the form sent to the service (and whatever else must succeed with it). */
  run(): Promise<T>;
  /** After it worked: a local path to redirect to (303, POST/redirect/GET), or a page already sent. */
  done(result: T): string | FastifyReply | Promise<string | FastifyReply>;
  /**
   * After a refusal: the same form again, with the problems beside each field and what the member
   * wrote kept (it is in `request.body`), answered with `problem.status`.
   */
  again(problem: FormProblem): FastifyReply | Promise<FastifyReply>;
}

/**
 * The one shape of every HTML form route: POST → service → redirect (or a result page), or the
 * form again with field problems and the kept input. Errors that are not a refusal of the input
 * (a bug, a database failure, a missing record) go to the error handler, as formProblem says.
 *
 *     app.post('/groups', options, (request, reply) =>
 *       formRoute(reply, {
 *         run: () => createGroup(ctx, request.member, formToInput(request.body)),
 *         done: (group) => `/groups/${group.id}?done=created`,
 *         again: (problem) => reply.page(title, <GroupFormPage … errors={problem.errors} />, problem.status),
 *       }));
 */
export async function formRoute<T>(reply: FastifyReply, steps: FormSteps<T>): Promise<FastifyReply> {
  let result: T;
  try {
    result = await steps.run();
  } catch (error) {
    return steps.again(formProblem(error, reply));
  }
  const next = await steps.done(result);
  return typeof next === 'string' ? reply.redirect(next, 303) : next;
}
