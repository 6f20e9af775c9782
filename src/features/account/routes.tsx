import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute, type FormProblem } from '../../http/forms.js';
import { formFields, NoContent, responses } from '../../http/schemas.js';
import { AddressFormSchema, Me } from './schemas.js';
import { passphraseLength } from '../../security/passphrase.js';
import { policies } from '../../security/policy.js';
import { finishSession } from '../sessions/public.js';
import { RecoveryCodesPage } from '../auth/public.js';
import {
  changePassphrase,
  deleteAccount,
  eraseAnonymousPosts,
  getProfile,
  regenerateRecoveryCodes,
  setAddressForm,
  type Profile,
} from './service.js';
import { AccountDeletedPage, AccountPage, type AccountForm } from './views.js';
import { canMakeInvites } from '../invites/public.js';

const tags = ['account'];
const doneNotices = {
  passphrase: 'account.passphrase.done',
  anonymous: 'account.anonymous.done',
  address: 'account.address.done',
} as const;
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
    return reply.page(
      request.t('account.title'),
      <AccountPage profile={profile} canInvite={canMakeInvites(request.member)} {...extra} />,
      status,
    );
  }

  /** The account page again, with the refused form's problems (see formRoute). */
  function again(request: FastifyRequest, reply: FastifyReply, form: AccountForm) {
    return (problem: FormProblem) =>
      showAccount(
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
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          eraseAnonymousPosts(serviceContext(ctx), request.member, {
            current: request.body.current ?? '',
            confirm: request.body.confirm === 'on',
          }),
        done: () => '/account?done=anonymous',
        again: again(request, reply, 'anonymous'),
      }),
  );

  app.post('/account/address', { config: signedIn, schema: { body: formFields('address') } }, (request, reply) =>
    formRoute(reply, {
      run: () => setAddressForm(serviceContext(ctx), request.member, { address: request.body.address ?? '' }),
      done: () => '/account?done=address',
      again: again(request, reply, 'address'),
    }),
  );

  app.post(
    '/account/passphrase',
    { config: passphraseChecked, schema: { body: formFields('current', 'passphrase', 'endOtherSessions') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          changePassphrase(serviceContext(ctx), request.member, {
            current: request.body.current ?? '',
            passphrase: request.body.passphrase ?? '',
            endOtherSessions: request.body.endOtherSessions === 'on',
          }),
        done: () => '/account?done=passphrase',
        again: again(request, reply, 'passphrase'),
      }),
  );

  app.post(
    '/account/recovery-codes',
    { config: passphraseChecked, schema: { body: formFields('current') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          regenerateRecoveryCodes(serviceContext(ctx), request.member, { current: request.body.current ?? '' }),
        done: (codes) => {
          const title = request.t('auth.codes.regeneratedTitle');
          return reply.page(title, <RecoveryCodesPage codes={codes} title={title} continueHref="/account" />);
        },
        again: again(request, reply, 'recovery'),
      }),
  );

  app.post(
    '/account/delete',
    { config: passphraseChecked, schema: { body: formFields('current', 'confirm') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          deleteAccount(serviceContext(ctx), request.member, {
            current: request.body.current ?? '',
            confirm: request.body.confirm === 'on',
          }),
        done: async () => {
          await finishSession(ctx, request, reply);
          reply.header('Clear-Site-Data', '"cache", "cookies", "storage"');
          return reply.page(request.t('account.deleted.title'), <AccountDeletedPage />);
        },
        again: again(request, reply, 'delete'),
      }),
  );

  // API ---------------------------------------------------------------------------------------

  const me = (profile: Profile) => ({
    id: profile.id,
    username: profile.username,
    role: profile.role,
    createdAt: profile.createdAt,
    address: profile.address,
  });

  app.get(
    '/api/v1/me',
    {
      config: signedIn,
      schema: {
        summary: 'The signed-in account',
        description: 'For cookie sessions, also the CSRF token that state-changing requests must send as x-csrf-token.',
        tags,
        response: responses({ 200: Type.Object({ user: Me, csrfToken: Type.Optional(Type.String()) }) }, 401),
      },
    },
    async (request) => {
      const user = me(await getProfile(serviceContext(ctx), request.member));
      return request.authVia === 'cookie' ? { user, csrfToken: request.csrfToken() } : { user };
    },
  );

  app.patch(
    '/api/v1/me',
    {
      config: signedIn,
      schema: {
        summary: 'Change how the interface addresses you',
        description: 'Takes effect from the next request. Nobody else ever sees it.',
        tags,
        body: Type.Object({ address: AddressFormSchema }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ user: Me }) }, 401, 422),
      },
    },
    async (request) => {
      await setAddressForm(serviceContext(ctx), request.member, request.body);
      return { user: me(await getProfile(serviceContext(ctx), request.member)) };
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
