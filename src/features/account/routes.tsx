import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formProblem } from '../../http/forms.js';
import { formFields, NoContent, responses, Role } from '../../http/schemas.js';
import { passphraseLength } from '../../security/passphrase.js';
import { policies } from '../../security/policy.js';
import { finishSession } from '../sessions/cookie.js';
import { RecoveryCodesPage } from '../auth/views.js';
import {
  changePassphrase,
  deleteAccount,
  eraseAnonymousPosts,
  getProfile,
  regenerateRecoveryCodes,
} from './service.js';
import { AccountDeletedPage, AccountPage, type AccountForm } from './views.js';

const tags = ['account'];
const doneNotices = { passphrase: 'account.passphrase.done', anonymous: 'account.anonymous.done' } as const;
const signedIn = { policy: policies.signedIn };
/** Pages that ask for the current passphrase count each try against the account's limit (ADR 0023). */
const passphraseChecked = { ...signedIn, limit: 'passphrase' as const };

export async function accountRoutes(app: App, ctx: AppContext): Promise<void> {
  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Parameters<typeof AccountPage>[0]> = {},
    status = 200,
  ) {
    const profile = await getProfile(serviceContext(ctx), request.member);
    return reply.page(request.t('account.title'), <AccountPage profile={profile} {...extra} />, status);
  }

  async function failedForm(request: FastifyRequest, reply: FastifyReply, form: AccountForm, error: unknown) {
    const problem = formProblem(error, reply);
    return showAccount(
      request,
      reply,
      { failed: { form, errors: problem.errors, general: problem.general } },
      problem.status,
    );
  }

  app.get(
    '/account',
    { config: signedIn, schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } },
    async (request, reply) =>
      showAccount(request, reply, { notice: doneNotices[request.query.done as keyof typeof doneNotices] }),
  );

  app.post(
    '/account/anonymous-posts/erase',
    { config: passphraseChecked, schema: { body: formFields('current', 'confirm') } },
    async (request, reply) => {
      try {
        await eraseAnonymousPosts(serviceContext(ctx), request.member, {
          current: request.body.current ?? '',
          confirm: request.body.confirm === 'on',
        });
        return reply.redirect('/account?done=anonymous', 303);
      } catch (error) {
        return failedForm(request, reply, 'anonymous', error);
      }
    },
  );

  app.post(
    '/account/passphrase',
    { config: passphraseChecked, schema: { body: formFields('current', 'passphrase', 'endOtherSessions') } },
    async (request, reply) => {
      const form = request.body;
      try {
        await changePassphrase(serviceContext(ctx), request.member, {
          current: form.current ?? '',
          passphrase: form.passphrase ?? '',
          endOtherSessions: form.endOtherSessions === 'on',
        });
        return reply.redirect('/account?done=passphrase', 303);
      } catch (error) {
        return failedForm(request, reply, 'passphrase', error);
      }
    },
  );

  app.post(
    '/account/recovery-codes',
    { config: passphraseChecked, schema: { body: formFields('current') } },
    async (request, reply) => {
      try {
        const codes = await regenerateRecoveryCodes(serviceContext(ctx), request.member, {
          current: request.body.current ?? '',
        });
        const title = request.t('auth.codes.regeneratedTitle');
        return reply.page(title, <RecoveryCodesPage codes={codes} title={title} continueHref="/account" />);
      } catch (error) {
        return failedForm(request, reply, 'recovery', error);
      }
    },
  );

  app.post(
    '/account/delete',
    { config: passphraseChecked, schema: { body: formFields('current', 'confirm') } },
    async (request, reply) => {
      try {
        await deleteAccount(serviceContext(ctx), request.member, {
          current: request.body.current ?? '',
          confirm: request.body.confirm === 'on',
        });
      } catch (error) {
        return failedForm(request, reply, 'delete', error);
      }
      await finishSession(ctx, request, reply);
      reply.header('Clear-Site-Data', '"cache", "cookies", "storage"');
      return reply.page(request.t('account.deleted.title'), <AccountDeletedPage />);
    },
  );

  // API ---------------------------------------------------------------------------------------

  app.get(
    '/api/v1/me',
    {
      config: signedIn,
      schema: {
        summary: 'The signed-in account',
        description: 'For cookie sessions, also the CSRF token that state-changing requests must send as x-csrf-token.',
        tags,
        response: responses(
          {
            200: Type.Object({
              user: Type.Object({ id: Type.String(), username: Type.String(), role: Role, createdAt: Type.Integer() }),
              csrfToken: Type.Optional(Type.String()),
            }),
          },
          401,
        ),
      },
    },
    async (request) => {
      const profile = await getProfile(serviceContext(ctx), request.member);
      const user = { id: profile.id, username: profile.username, role: profile.role, createdAt: profile.createdAt };
      return request.authVia === 'cookie' ? { user, csrfToken: request.csrfToken() } : { user };
    },
  );

  const current = Type.String({ maxLength: 5000 });

  app.post(
    '/api/v1/me/passphrase',
    {
      config: passphraseChecked,
      schema: {
        summary: 'Change the passphrase',
        tags,
        body: Type.Object(
          {
            current,
            passphrase: Type.String({ minLength: 1, maxLength: passphraseLength.max }),
            endOtherSessions: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 204: NoContent }, 401, 422),
      },
    },
    async (request, reply) => {
      await changePassphrase(serviceContext(ctx), request.member, {
        ...request.body,
        endOtherSessions: request.body.endOtherSessions ?? true,
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/me/recovery-codes',
    {
      config: passphraseChecked,
      schema: {
        summary: 'Replace all recovery codes with new ones',
        tags,
        body: Type.Object({ current }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) }, 401, 422),
      },
    },
    async (request) => ({
      recoveryCodes: await regenerateRecoveryCodes(serviceContext(ctx), request.member, request.body),
    }),
  );

  app.delete(
    '/api/v1/me/anonymous-posts',
    {
      config: passphraseChecked,
      schema: {
        summary: 'Erase all your anonymous posts, and only those',
        description:
          'Deleting the account removes named and anonymous posts at the same moment, which can link them: erase anonymous posts first, some time before.',
        tags,
        body: Type.Object({ current }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ erased: Type.Integer() }) }, 401, 422),
      },
    },
    async (request) => ({
      erased: await eraseAnonymousPosts(serviceContext(ctx), request.member, {
        current: request.body.current,
        confirm: true,
      }),
    }),
  );

  app.delete(
    '/api/v1/me',
    {
      config: passphraseChecked,
      schema: {
        summary: 'Delete the account and everything tied to it, at once',
        tags,
        body: Type.Object({ current }, { additionalProperties: false }),
        response: responses({ 204: NoContent }, 401, 409, 422),
      },
    },
    async (request, reply) => {
      await deleteAccount(serviceContext(ctx), request.member, { current: request.body.current, confirm: true });
      return reply.code(204).send();
    },
  );
}
