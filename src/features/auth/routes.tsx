import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { cookies, readCookie } from '../../http/cookies.js';
import { keptResume } from '../../http/kept.js';
import { safeLocalPath } from '../../http/redirects.js';
import { formFields, NoContent, responses, User } from '../../http/schemas.js';
import { policies } from '../../security/policy.js';
import { applicationQuestionLimits, getApplicationQuestions, getRegistrationMode } from '../../platform/settings.js';
import { AppError } from '../../platform/errors.js';
import { applicationGate, eraseDeclinedApplicant } from '../vetting/public.js';
import { beginSession, finishSession } from '../sessions/public.js';
import { deviceMatcher, readDeviceCookie, rememberDevice } from './device-cookie.js';
import { admitRegistration, recoverAccount, register, signIn } from './service.js';
import { passphraseLength } from '../../security/passphrase.js';
import { usernameLength } from '../../security/username.js';
import {
  ApplicationStatusPage,
  LoginPage,
  RecoverPage,
  RecoveredPage,
  RecoveryCodesPage,
  RegisterPage,
} from './views.js';

const tags = ['auth'];
const text = (max: number) => Type.String({ maxLength: max });
/** A new account's name and a new passphrase: the limits the checks in src/security enforce. */
const Username = Type.String({ minLength: 1, maxLength: usernameLength.max });
const NewPassphrase = Type.String({ minLength: 1, maxLength: passphraseLength.max });

export async function authRoutes(app: App, ctx: AppContext): Promise<void> {
  const origin = (request: FastifyRequest) => ({
    // The address only ever feeds the keyed hash used by rate limits.
    addressKey: ctx.limits.addressKey(request.ip),
    device: readDeviceCookie(ctx, request),
    deviceMatches: deviceMatcher(ctx),
  });

  // Registration -----------------------------------------------------------------------------

  app.get(
    '/register',
    // An invite link (/register?invite=CODE) fills the code in.
    { config: { policy: policies.anyone }, schema: { querystring: Type.Object({ invite: Type.Optional(text(100)) }) } },
    async (request, reply) => {
      const sctx = serviceContext(ctx);
      const mode = await getRegistrationMode(sctx);
      const invite = request.query.invite?.trim();
      return reply.page(
        request.t('auth.register.title'),
        <RegisterPage
          mode={mode}
          questions={await getApplicationQuestions(sctx)}
          answerMax={applicationQuestionLimits.answerMax}
          {...(invite ? { values: { invite } } : {})}
        />,
      );
    },
  );

  app.post(
    '/register',
    {
      config: { policy: policies.anyone },
      schema: { body: formFields('username', 'passphrase', 'invite', 'answer1', 'answer2', 'answer3') },
    },
    (request, reply) => {
      const form = request.body;
      const sctx = serviceContext(ctx);
      return formRoute(reply, {
        run: async () => {
          const admittedBy = await admitRegistration(sctx, ctx.limits, {
            invite: form.invite,
            addressKey: ctx.limits.addressKey(request.ip),
          });
          const account = await register(sctx, request.actor, {
            username: form.username ?? '',
            passphrase: form.passphrase ?? '',
            invite: form.invite,
            answers: [form.answer1, form.answer2, form.answer3],
            admittedBy,
          });
          // An applicant is not signed in: the account waits for a moderator (ADR 0051).
          if (!account.pending) {
            await beginSession(ctx, request, reply, account.user.id);
            rememberDevice(ctx, request, reply, account.user.id);
          }
          return account;
        },
        done: (account) =>
          reply.page(
            request.t('auth.codes.registeredTitle'),
            <RecoveryCodesPage
              codes={account.recoveryCodes}
              title={request.t('auth.codes.registeredTitle')}
              continueHref={account.pending ? '/login' : '/'}
              pending={account.pending ?? false}
            />,
          ),
        again: async (problem) => {
          const mode = await getRegistrationMode(sctx);
          const values = {
            username: form.username,
            invite: form.invite,
            answer1: form.answer1,
            answer2: form.answer2,
            answer3: form.answer3,
          };
          return reply.page(
            request.t('auth.register.title'),
            <RegisterPage
              mode={mode}
              questions={await getApplicationQuestions(sctx)}
              answerMax={applicationQuestionLimits.answerMax}
              values={values}
              errors={problem.errors}
              general={problem.general}
            />,
            problem.status,
          );
        },
      });
    },
  );

  app.post(
    '/api/v1/auth/register',
    {
      config: { policy: policies.anyone },
      schema: {
        summary: 'Create an account with a username and passphrase',
        tags,
        security: [],
        body: Type.Object(
          {
            username: Username,
            passphrase: NewPassphrase,
            invite: Type.Optional(text(200)),
            answers: Type.Optional(
              Type.Array(Type.String({ maxLength: applicationQuestionLimits.answerMax }), {
                maxItems: applicationQuestionLimits.count,
                description: 'Approval mode: answers to the instance questions, in their order',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: responses(
          {
            201: Type.Object({ user: User, token: Type.String(), recoveryCodes: Type.Array(Type.String()) }),
            202: Type.Object({
              user: User,
              recoveryCodes: Type.Array(Type.String()),
              pending: Type.Literal(true, { description: 'Approval mode: the account waits for a moderator' }),
            }),
          },
          403,
          409,
          422,
        ),
      },
    },
    async (request, reply) => {
      const sctx = serviceContext(ctx);
      const admittedBy = await admitRegistration(sctx, ctx.limits, {
        invite: request.body.invite,
        addressKey: ctx.limits.addressKey(request.ip),
      });
      const account = await register(sctx, request.actor, { ...request.body, admittedBy });
      if (account.pending)
        return reply.code(202).send({ user: account.user, recoveryCodes: account.recoveryCodes, pending: true });
      const session = await beginSession(ctx, request, reply, account.user.id);
      return reply.code(201).send({ user: account.user, token: session.token, recoveryCodes: account.recoveryCodes });
    },
  );

  // Sign-in ----------------------------------------------------------------------------------

  app.get(
    '/login',
    { config: { policy: policies.anyone }, schema: { querystring: Type.Object({ next: Type.Optional(text(2000)) }) } },
    async (request, reply) =>
      reply.page(
        request.t('auth.login.title'),
        <LoginPage next={safeLocalPath(request.query.next)} kept={(await keptResume(ctx, request)) !== undefined} />,
      ),
  );

  app.post(
    '/login',
    { config: { policy: policies.anyone }, schema: { body: formFields('username', 'passphrase', 'next') } },
    (request, reply) => {
      const form = request.body;
      const next = safeLocalPath(form.next);
      return formRoute(reply, {
        run: async () => {
          const user = await signIn(
            serviceContext(ctx),
            ctx.limits,
            { username: form.username ?? '', passphrase: form.passphrase ?? '' },
            origin(request),
          );
          // An applicant learns where their application stands, and is not signed in (ADR 0051).
          const gate = await applicationGate(serviceContext(ctx), user.id);
          if (gate?.status === 'declined') await eraseDeclinedApplicant(serviceContext(ctx), user.id);
          if (gate) return gate;
          await beginSession(ctx, request, reply, user.id);
          rememberDevice(ctx, request, reply, user.id);
          return null;
        },
        // Text kept when the last session ended leads back to its form, wherever sign-in was opened from (ADR 0041).
        done: async (gate) =>
          gate
            ? reply.page(
                request.t(
                  gate.status === 'pending' ? 'auth.application.waitingTitle' : 'auth.application.declinedTitle',
                ),
                <ApplicationStatusPage
                  status={gate.status}
                  message={gate.status === 'declined' ? gate.message : null}
                />,
                403,
              )
            : ((await keptResume(ctx, request)) ?? next),
        again: (problem) =>
          reply.page(
            request.t('auth.login.title'),
            <LoginPage
              next={next}
              kept={Boolean(readCookie(request, cookies.kept))}
              values={{ username: form.username }}
              errors={problem.errors}
              general={problem.general}
            />,
            problem.status,
          ),
      });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { policy: policies.anyone },
      schema: {
        summary: 'Sign in and receive a bearer token',
        tags,
        security: [],
        body: Type.Object({ username: text(200), passphrase: text(5000) }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ user: User, token: Type.String() }) }, 401, 403),
      },
    },
    async (request, reply) => {
      const user = await signIn(serviceContext(ctx), ctx.limits, request.body, origin(request));
      const gate = await applicationGate(serviceContext(ctx), user.id);
      if (gate?.status === 'declined') {
        await eraseDeclinedApplicant(serviceContext(ctx), user.id);
        throw new AppError('forbidden', 'auth.application.declinedApi');
      }
      if (gate) throw new AppError('forbidden', 'auth.application.waitingApi');
      const session = await beginSession(ctx, request, reply, user.id);
      return { user, token: session.token };
    },
  );

  // Sign-out ---------------------------------------------------------------------------------

  app.post(
    '/logout',
    {
      config: { policy: policies.anyone, csrfOnlyWhenSignedIn: true, allowWhileFrozen: true },
      schema: { body: formFields() },
    },
    async (request, reply) => {
      await finishSession(ctx, request, reply);
      return reply.redirect('/', 303);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { policy: policies.signedIn, allowWhileFrozen: true },
      schema: { summary: 'End the current session at once', tags, response: responses({ 204: NoContent }, 401, 403) },
    },
    async (request, reply) => {
      await finishSession(ctx, request, reply);
      return reply.code(204).send();
    },
  );

  // Recovery ---------------------------------------------------------------------------------

  app.get('/recover', { config: { policy: policies.anyone } }, async (request, reply) =>
    reply.page(request.t('auth.recover.title'), <RecoverPage />),
  );

  app.post(
    '/recover',
    { config: { policy: policies.anyone }, schema: { body: formFields('username', 'code', 'passphrase') } },
    (request, reply) => {
      const form = request.body;
      return formRoute(reply, {
        run: async () => {
          const result = await recoverAccount(
            serviceContext(ctx),
            ctx.limits,
            { username: form.username ?? '', code: form.code ?? '', passphrase: form.passphrase ?? '' },
            origin(request),
          );
          await beginSession(ctx, request, reply, result.user.id);
          rememberDevice(ctx, request, reply, result.user.id);
          return result;
        },
        done: (result) =>
          reply.page(request.t('auth.recovered.title'), <RecoveredPage codesLeft={result.recoveryCodesLeft} />),
        again: (problem) =>
          reply.page(
            request.t('auth.recover.title'),
            <RecoverPage values={{ username: form.username }} errors={problem.errors} general={problem.general} />,
            problem.status,
          ),
      });
    },
  );

  app.post(
    '/api/v1/auth/recover',
    {
      config: { policy: policies.anyone },
      schema: {
        summary: 'Set a new passphrase with a recovery code or an administrator reset code',
        description: 'Ends every existing session of the account.',
        tags,
        security: [],
        body: Type.Object(
          { username: text(200), code: text(200), passphrase: NewPassphrase },
          { additionalProperties: false },
        ),
        response: responses(
          { 200: Type.Object({ user: User, token: Type.String(), recoveryCodesLeft: Type.Integer() }) },
          401,
          422,
        ),
      },
    },
    async (request, reply) => {
      const result = await recoverAccount(serviceContext(ctx), ctx.limits, request.body, origin(request));
      const session = await beginSession(ctx, request, reply, result.user.id);
      return { user: result.user, token: session.token, recoveryCodesLeft: result.recoveryCodesLeft };
    },
  );
}
