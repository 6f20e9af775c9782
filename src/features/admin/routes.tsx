import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { AppError } from '../../platform/errors.js';
import { formRoute } from '../../http/forms.js';
import { formFields } from '../../http/schemas.js';
import { isRole } from '../../security/actor.js';
import { policies } from '../../security/policy.js';
import { registrationModes, type RegistrationMode } from '../../config.js';
import { beginSession } from '../sessions/public.js';
import { RecoveryCodesPage } from '../auth/public.js';
import { createInvite, listInvites, registerInviteUrl, revokeInvite } from '../invites/public.js';
import { publicOrigin } from '../../http/public-url.js';
import {
  approveResetRequest,
  declineResetRequest,
  listResetRequests,
  requestResetCode,
  type IssuedResetCode,
} from './reset-codes.js';
import { getApplicationQuestions, getRegistrationMode } from '../../platform/settings.js';
import { setApplicationQuestions, setRegistrationMode } from './settings-service.js';
import { assertSetupOpen, completeSetup } from './setup-service.js';
import { changeRole, listUsers } from './users-service.js';
import { AdminPage, SetupPage, UsersPage, type AdminPageProps } from './views.js';

const admin = { policy: policies.admin };
const idParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const doneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const notices = {
  mode: 'admin.registration.saved',
  questions: 'admin.questions.saved',
  revoked: 'admin.invites.revoked',
  role: 'admin.users.roleSaved',
  requested: 'admin.users.resetRequested',
  declined: 'admin.users.resetDeclined',
} as const;

type AdminNotice = (typeof notices)[keyof typeof notices];
type ResetCodeShown = IssuedResetCode & { username: string };

function noticeFor(done: string | undefined): AdminNotice | undefined {
  return done && done in notices ? notices[done as keyof typeof notices] : undefined;
}

/** Parses a whole number from a form field; anything else becomes NaN for the service to reject. */
function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : Number.NaN;
}

export async function adminRoutes(app: App, ctx: AppContext): Promise<void> {
  async function showAdmin(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<AdminPageProps> = {},
    status = 200,
  ) {
    const sctx = serviceContext(ctx);
    const props: AdminPageProps = {
      mode: await getRegistrationMode(sctx),
      modeFromEnv: ctx.config.registrationOverride !== undefined,
      invites: await listInvites(sctx, request.member, { all: true }),
      questions: await getApplicationQuestions(sctx),
      ...extra,
    };
    return reply.page(request.t('admin.title'), <AdminPage {...props} />, status);
  }

  app.get('/admin', { config: admin, schema: { querystring: doneQuery } }, async (request, reply) =>
    showAdmin(request, reply, { notice: noticeFor(request.query.done) }),
  );

  app.post(
    '/admin/settings/registration',
    { config: admin, schema: { body: formFields('mode') } },
    async (request, reply) => {
      const mode = request.body.mode;
      if (!registrationModes.includes(mode as RegistrationMode)) throw new AppError('bad_request', 'error.badRequest');
      await setRegistrationMode(serviceContext(ctx), request.member, mode as RegistrationMode);
      return reply.redirect('/admin?done=mode', 303);
    },
  );

  app.post(
    '/admin/settings/questions',
    { config: admin, schema: { body: formFields('question1', 'question2', 'question3') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          setApplicationQuestions(serviceContext(ctx), request.member, [
            request.body.question1,
            request.body.question2,
            request.body.question3,
          ]),
        done: () => '/admin?done=questions',
        again: (problem) => showAdmin(request, reply, { errors: problem.errors }, problem.status),
      }),
  );

  app.post(
    '/admin/invites',
    { config: { ...admin, limit: 'invite' }, schema: { body: formFields('uses', 'days') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          createInvite(serviceContext(ctx), request.member, {
            uses: wholeNumber(request.body.uses),
            days: wholeNumber(request.body.days),
          }),
        done: (invite) =>
          showAdmin(request, reply, {
            newInvite: { ...invite, url: registerInviteUrl(publicOrigin(ctx.config, request), invite.code) },
          }),
        again: (problem) => showAdmin(request, reply, { errors: problem.errors }, problem.status),
      }),
  );

  app.post(
    '/admin/invites/:id/revoke',
    { config: admin, schema: { params: idParams, body: formFields() } },
    async (request, reply) => {
      await revokeInvite(serviceContext(ctx), request.member, request.params.id);
      return reply.redirect('/admin?done=revoked', 303);
    },
  );

  const usersQuery = Type.Object({
    q: Type.Optional(Type.String({ maxLength: 100 })),
    after: Type.Optional(Type.String({ maxLength: 200 })),
    done: Type.Optional(Type.String({ maxLength: 20 })),
  });

  async function showUsers(
    request: FastifyRequest,
    reply: FastifyReply,
    props: { q?: string | undefined; after?: string | undefined; notice?: AdminNotice; resetCode?: ResetCodeShown },
  ) {
    const sctx = serviceContext(ctx);
    const listing = await listUsers(sctx, request.member, { q: props.q, after: props.after });
    const requests = await listResetRequests(sctx, request.member);
    return reply.page(
      request.t('admin.users.title'),
      <UsersPage
        listing={listing}
        q={props.q ?? ''}
        notice={props.notice}
        resetCode={props.resetCode}
        resetRequests={requests}
      />,
    );
  }

  async function showResetCode(request: FastifyRequest, reply: FastifyReply, userId: string, reset: IssuedResetCode) {
    const target = await ctx.db
      .selectFrom('users')
      .select('username')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return showUsers(request, reply, { resetCode: { username: target.username, ...reset } });
  }

  app.get('/admin/users', { config: admin, schema: { querystring: usersQuery } }, async (request, reply) =>
    showUsers(request, reply, {
      q: request.query.q,
      after: request.query.after,
      notice: noticeFor(request.query.done),
    }),
  );

  app.post(
    '/admin/users/:id/role',
    { config: admin, schema: { params: idParams, body: formFields('role') } },
    async (request, reply) => {
      const role = request.body.role;
      if (!isRole(role)) throw new AppError('bad_request', 'error.badRequest');
      await changeRole(serviceContext(ctx), request.member, request.params.id, role);
      return reply.redirect('/admin/users?done=role', 303);
    },
  );

  // With more than one administrator, a reset code is asked for by one and approved by another (ADR 0019).
  app.post(
    '/admin/users/:id/reset-code',
    { config: admin, schema: { params: idParams, body: formFields() } },
    async (request, reply) => {
      const outcome = await requestResetCode(serviceContext(ctx), request.member, request.params.id);
      if (outcome.kind === 'requested') return reply.redirect('/admin/users?done=requested', 303);
      return showResetCode(request, reply, request.params.id, outcome);
    },
  );

  app.post(
    '/admin/reset-requests/:id/approve',
    { config: admin, schema: { params: idParams, body: formFields() } },
    async (request, reply) => {
      const { userId, ...reset } = await approveResetRequest(serviceContext(ctx), request.member, request.params.id);
      return showResetCode(request, reply, userId, reset);
    },
  );

  app.post(
    '/admin/reset-requests/:id/decline',
    { config: admin, schema: { params: idParams, body: formFields() } },
    async (request, reply) => {
      await declineResetRequest(serviceContext(ctx), request.member, request.params.id);
      return reply.redirect('/admin/users?done=declined', 303);
    },
  );

  // First-run setup ---------------------------------------------------------------------------

  const tokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });

  app.get(
    '/setup/:token',
    { config: { policy: policies.anyone }, schema: { params: tokenParams } },
    async (request, reply) => {
      await assertSetupOpen(serviceContext(ctx), request.params.token);
      return reply.page(request.t('setup.title'), <SetupPage token={request.params.token} />);
    },
  );

  app.post(
    '/setup/:token',
    {
      config: { policy: policies.anyone },
      schema: { params: tokenParams, body: formFields('username', 'passphrase') },
    },
    (request, reply) => {
      const { token } = request.params;
      const form = request.body;
      return formRoute(reply, {
        run: async () => {
          const account = await completeSetup(serviceContext(ctx), token, {
            username: form.username ?? '',
            passphrase: form.passphrase ?? '',
          });
          await beginSession(ctx, request, reply, account.user.id);
          return account;
        },
        done: (account) => {
          const title = request.t('setup.doneTitle');
          return reply.page(
            title,
            <RecoveryCodesPage codes={account.recoveryCodes} title={title} continueHref="/admin" />,
          );
        },
        again: (problem) =>
          reply.page(
            request.t('setup.title'),
            <SetupPage
              token={token}
              values={{ username: form.username }}
              errors={problem.errors}
              general={problem.general}
            />,
            problem.status,
          ),
      });
    },
  );
}
