import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { formFields, NoContent, responses } from '../../http/schemas.js';
import type { MessageKey } from '../../i18n/index.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import { decideApplication, decisionMessageMax, listApplications, type Decision } from './applications.js';
import { freezeLimits, reviewAccount, setAccountFrozen } from './freeze.js';
import { AccountReviewPage, ApplicationsPage } from './views.js';

const tags = ['moderation'];
const moderators = { policy: policies.moderator };
const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const doneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const notices: Record<string, MessageKey> = {
  approve: 'vetting.applications.approved',
  decline: 'vetting.applications.declined',
  frozen: 'vetting.freeze.done',
  unfrozen: 'vetting.freeze.undone',
};
const isDecision = (value: unknown): value is Decision => value === 'approve' || value === 'decline';

export async function vettingRoutes(app: App, ctx: AppContext): Promise<void> {
  // Applications (approval mode) ------------------------------------------------------------

  async function showApplications(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: MessageKey | undefined; general?: MessageKey | undefined } = {},
    status = 200,
  ) {
    const applications = await listApplications(serviceContext(ctx), request.member);
    return reply.page(
      request.t('vetting.applications.title'),
      <ApplicationsPage applications={applications} {...extra} />,
      status,
    );
  }

  app.get('/moderation/applications', { config: moderators, schema: { querystring: doneQuery } }, (request, reply) =>
    showApplications(request, reply, { notice: notices[request.query.done ?? ''] }),
  );

  app.post(
    '/moderation/applications/:id/decision',
    { config: moderators, schema: { params: idParams, body: formFields('decision', 'message') } },
    (request, reply) => {
      const decision = request.body.decision;
      if (!isDecision(decision)) throw new AppError('bad_request', 'error.badRequest');
      return formRoute(reply, {
        run: () =>
          decideApplication(serviceContext(ctx), request.member, {
            id: request.params.id,
            decision,
            message: request.body.message,
          }),
        done: () => `/moderation/applications?done=${decision}`,
        again: (problem) =>
          showApplications(request, reply, { general: problem.general ?? 'error.badRequest' }, problem.status),
      });
    },
  );

  const Application = Type.Object({
    id: Type.String(),
    username: Type.String(),
    createdAt: Type.Integer(),
    answers: Type.Array(Type.Object({ question: Type.String(), answer: Type.String() })),
  });

  app.get(
    '/api/v1/admin/applications',
    {
      config: moderators,
      schema: {
        summary: 'Applicants waiting for a decision, oldest first (instance moderators)',
        tags,
        response: responses({ 200: Type.Object({ applications: Type.Array(Application) }) }, 401, 404),
      },
    },
    async (request) => ({
      applications: (await listApplications(serviceContext(ctx), request.member)).map((a) => ({
        id: a.id,
        username: a.username,
        createdAt: a.createdAt,
        answers: a.answers,
      })),
    }),
  );

  app.post(
    '/api/v1/admin/applications/:id/decision',
    {
      config: moderators,
      schema: {
        summary: 'Admit or decline an applicant (instance moderators)',
        description:
          'The answers are deleted either way. A declined applicant reads the message at their next sign-in, and their account is then deleted.',
        tags,
        params: idParams,
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
            message: Type.Optional(Type.String({ maxLength: decisionMessageMax })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 204: NoContent }, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await decideApplication(serviceContext(ctx), request.member, { id: request.params.id, ...request.body });
      return reply.code(204).send();
    },
  );

  // Frozen accounts --------------------------------------------------------------------------

  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      notice?: MessageKey | undefined;
      errors?: FieldError[];
      general?: MessageKey | undefined;
    } = {},
    status = 200,
  ) {
    const account = await reviewAccount(serviceContext(ctx), request.member, id);
    return reply.page(account.username, <AccountReviewPage account={account} {...extra} />, status);
  }

  app.get(
    '/moderation/accounts/:id',
    { config: moderators, schema: { params: idParams, querystring: doneQuery } },
    (request, reply) => showAccount(request, reply, request.params.id, { notice: notices[request.query.done ?? ''] }),
  );

  for (const frozen of [true, false]) {
    const verb = frozen ? 'freeze' : 'unfreeze';
    app.post(
      `/moderation/accounts/:id/${verb}`,
      { config: moderators, schema: { params: idParams, body: formFields('reason') } },
      (request, reply) =>
        formRoute(reply, {
          run: () =>
            setAccountFrozen(serviceContext(ctx), request.member, {
              userId: request.params.id,
              frozen,
              reason: request.body.reason,
            }),
          done: () => `/moderation/accounts/${request.params.id}?done=${frozen ? 'frozen' : 'unfrozen'}`,
          again: (problem) =>
            showAccount(
              request,
              reply,
              request.params.id,
              { errors: problem.errors, general: problem.general },
              problem.status,
            ),
        }),
    );

    app.post(
      `/api/v1/users/:id/${verb}`,
      {
        config: moderators,
        schema: {
          summary: frozen
            ? 'Freeze an account as a suspected infiltrator or taken over (instance moderators)'
            : 'Unfreeze an account (instance moderators)',
          description: frozen
            ? 'The account may still read, but every write is refused and others no longer see it. A case opens in the moderation queue. The account is not told.'
            : 'The case about the account is resolved.',
          tags,
          params: idParams,
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: freezeLimits.reasonMax }) },
            { additionalProperties: false },
          ),
          response: responses({ 204: NoContent }, 401, 403, 404),
        },
      },
      async (request, reply) => {
        await setAccountFrozen(serviceContext(ctx), request.member, {
          userId: request.params.id,
          frozen,
          reason: request.body.reason,
        });
        return reply.code(204).send();
      },
    );
  }
}
