import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { serviceContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { formFields, Id, NoContent, responses } from '../../http/schemas.js';
import { invalid, type FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import type { Member } from '../../security/actor.js';
import { policies } from '../../security/policy.js';
import { canChangeThresholds, canVouch, trustLevels } from './policy.js';
import { thresholdNames, type TrustThresholds } from './rules.js';
import {
  findAccount,
  giveVouch,
  listVouches,
  reasonMax,
  setTrustLevel,
  trustProgress,
  withdrawVouch,
} from './service.js';
import { getThresholds, setThresholds } from './thresholds.js';
import { TrustAdminPage, TrustPage, type TrustNotice } from './views.js';

const tags = ['trust'];
const signedIn = { policy: policies.signedIn };
const moderator = { policy: policies.moderator };
const notices: readonly TrustNotice[] = ['vouched', 'withdrawn', 'set', 'thresholds'];
const noticeOf = (done: string | undefined) => notices.find((n) => n === done);
const doneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const UserIdParams = Type.Object({ userId: Id });

const Level = Type.Union(trustLevels.map((level) => Type.Literal(level)));
const VouchSchema = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  createdAt: Type.Integer({ description: 'When the vouch was given, epoch milliseconds' }),
});
const VouchesSchema = Type.Object({ given: Type.Array(VouchSchema), received: Type.Array(VouchSchema) });
const Counts = Type.Integer({ minimum: 0 });
const ThresholdsSchema = Type.Object(
  Object.fromEntries(thresholdNames.map((name) => [name, Counts])) as {
    [K in keyof TrustThresholds]: typeof Counts;
  },
);

export async function trustRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // The member's own page: their level, what the next needs, vouching ---------------------------

  async function showTrust(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      notice?: TrustNotice | undefined;
      values?: { username?: string | undefined };
      errors?: FieldError[];
      general?: MessageKey | undefined;
    } = {},
    status = 200,
  ) {
    const member = request.member;
    const progress = await trustProgress(sctx(), member);
    const vouches = await listVouches(sctx(), member);
    return reply.page(
      request.t('trust.page.title'),
      <TrustPage progress={progress} vouches={vouches} canVouch={canVouch(member)} {...extra} />,
      status,
    );
  }

  app.get('/account/trust', { config: signedIn, schema: { querystring: doneQuery } }, (request, reply) =>
    showTrust(request, reply, { notice: noticeOf(request.query.done) }),
  );

  app.post('/account/trust/vouches', { config: signedIn, schema: { body: formFields('username') } }, (request, reply) =>
    formRoute(reply, {
      run: () => giveVouch(sctx(), request.member, { username: request.body.username }),
      done: () => '/account/trust?done=vouched',
      again: (problem) =>
        showTrust(
          request,
          reply,
          { values: { username: request.body.username }, errors: problem.errors, general: problem.general },
          problem.status,
        ),
    }),
  );

  app.post(
    '/account/trust/vouches/:userId/withdraw',
    { config: signedIn, schema: { params: UserIdParams, body: formFields() } },
    async (request, reply) => {
      await withdrawVouch(sctx(), request.member, request.params.userId);
      return reply.redirect('/account/trust?done=withdrawn', 303);
    },
  );

  // The instance moderators' page: look an account up, set its level; administrators set thresholds

  async function showAdmin(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Omit<Parameters<typeof TrustAdminPage>[0], 'thresholds' | 'canChangeThresholds'> = {},
    status = 200,
  ) {
    return reply.page(
      request.t('trust.admin.title'),
      <TrustAdminPage
        thresholds={await getThresholds(ctx.db)}
        canChangeThresholds={canChangeThresholds(request.member)}
        {...extra}
      />,
      status,
    );
  }

  async function reviewed(member: Member, username: string | undefined) {
    const account = await findAccount(sctx(), { username }, { includeFrozen: true });
    return account && { ...account, vouches: await listVouches(sctx(), member, account.id) };
  }

  app.get(
    '/admin/trust',
    {
      config: moderator,
      schema: {
        querystring: Type.Object({
          username: Type.Optional(Type.String({ maxLength: 100 })),
          done: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) =>
      showAdmin(request, reply, {
        account: await reviewed(request.member, request.query.username),
        notice: noticeOf(request.query.done),
      }),
  );

  app.post(
    '/admin/trust/level',
    { config: moderator, schema: { body: formFields('username', 'level', 'reason', 'hold') } },
    (request, reply) => {
      const form = request.body;
      return formRoute(reply, {
        run: async () => {
          const account = await findAccount(sctx(), { username: form.username }, { includeFrozen: true });
          if (!account) throw invalid([{ field: 'username', message: 'trust.vouch.notFound' }]);
          return setTrustLevel(sctx(), request.member, account.id, {
            level: form.level,
            reason: form.reason,
            hold: form.hold === 'on',
          });
        },
        done: (user) => `/admin/trust?username=${encodeURIComponent(user.username)}&done=set`,
        again: (problem) =>
          showAdmin(
            request,
            reply,
            { levelForm: { values: form, errors: problem.errors, general: problem.general } },
            problem.status,
          ),
      });
    },
  );

  app.post(
    '/admin/trust/thresholds',
    { config: moderator, schema: { body: formFields(...thresholdNames) } },
    (request, reply) =>
      formRoute(reply, {
        run: () => setThresholds(sctx(), request.member, request.body),
        done: () => '/admin/trust?done=thresholds',
        again: (problem) =>
          showAdmin(
            request,
            reply,
            { thresholdForm: { values: request.body, errors: problem.errors } },
            problem.status,
          ),
      }),
  );

  // API ----------------------------------------------------------------------------------------

  app.get(
    '/api/v1/me/trust',
    {
      config: signedIn,
      schema: {
        summary: 'Your trust level, what the rules count and the thresholds of the next level',
        tags,
        response: responses(
          {
            200: Type.Object({
              level: Level,
              held: Type.Boolean({ description: 'A moderator set the level; the automatic rules leave it alone' }),
              record: Type.Object({ days: Counts, posts: Counts, reads: Counts, vouches: Counts }),
              thresholds: ThresholdsSchema,
            }),
          },
          401,
        ),
      },
    },
    async (request) => trustProgress(sctx(), request.member),
  );

  app.get(
    '/api/v1/vouches',
    {
      config: signedIn,
      schema: {
        summary: 'Vouches given and received',
        description:
          "Your own; instance moderators may ask for any account's with `userId`. Anyone else's answers 404: a " +
          'vouch is seen only by the two people concerned and the instance moderators.',
        tags,
        querystring: Type.Object({ userId: Type.Optional(Id) }),
        response: responses({ 200: VouchesSchema }, 401, 404),
      },
    },
    async (request) => listVouches(sctx(), request.member, request.query.userId ?? request.member.id),
  );

  app.post(
    '/api/v1/vouches',
    {
      config: signedIn,
      schema: {
        summary: 'Vouch for a member you know (trusted members and moderators)',
        description:
          'Name them by `userId` or `username`. Vouching again for the same member changes nothing. Their level is ' +
          'checked against the rules at once.',
        tags,
        body: Type.Object({
          userId: Type.Optional(Id),
          username: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        }),
        response: responses({ 201: Type.Object({ vouch: VouchSchema }) }, 401, 403, 422),
      },
    },
    async (request, reply) => {
      const vouch = await giveVouch(sctx(), request.member, request.body);
      return reply.code(201).send({ vouch });
    },
  );

  app.delete(
    '/api/v1/vouches/:userId',
    {
      config: signedIn,
      schema: {
        summary: 'Withdraw your vouch for a member',
        description: 'A level the vouch helped earn stays; moderators may withdraw levels.',
        tags,
        params: UserIdParams,
        response: responses({ 204: NoContent }, 401, 404),
      },
    },
    async (request, reply) => {
      await withdrawVouch(sctx(), request.member, request.params.userId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/users/:id/trust',
    {
      config: moderator,
      schema: {
        summary: "Grant or withdraw a member's trust level (instance moderators)",
        description:
          'Logged in the moderation log with the reason. By default the level then holds against the automatic ' +
          'rules; `hold: false` leaves them free to raise it again.',
        tags,
        params: Type.Object({ id: Id }),
        body: Type.Object({
          level: Level,
          reason: Type.String({ minLength: 1, maxLength: reasonMax }),
          hold: Type.Optional(Type.Boolean()),
        }),
        response: responses(
          {
            200: Type.Object({
              user: Type.Object({
                id: Type.String(),
                username: Type.String(),
                trustLevel: Level,
                held: Type.Boolean(),
              }),
            }),
          },
          401,
          403,
          404,
          422,
        ),
      },
    },
    async (request) => {
      const user = await setTrustLevel(sctx(), request.member, request.params.id, request.body);
      return { user: { id: user.id, username: user.username, trustLevel: user.level, held: user.held } };
    },
  );
}
