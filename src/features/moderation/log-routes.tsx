import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formProblem, formRoute } from '../../http/forms.js';
import { Cursor, FreeForm, Id, NoContent, one, responses } from '../../http/schemas.js';
import type { MessageKey } from '../../i18n/index.js';
import { notFound } from '../../platform/errors.js';
import { isolate } from '../../security/bidi.js';
import { policies } from '../../security/policy.js';
import { findGroup } from '../groups/public.js';
import { canRequestReveal } from './log-policy.js';
import { AppealDecisionSchema, NewAppealSchema, NewRevealSchema, RevealDecisionSchema } from './log-schemas.js';
import { AppealsPage, ModerationLogPage, NoticePage, RevealPage, RevealsPage } from './log-views.js';
import { createAppeal, decideAppeal, listAppeals } from './services/appeals.js';
import { listLog } from './services/log.js';
import { loadNotice } from './services/notices.js';
import { decideReveal, listReveals, loadReveal, readReveal, requestReveal } from './services/reveal.js';

const tags = ['moderation'];
const signedIn = { policy: policies.signedIn };
const moderator = { policy: policies.moderator };
const admin = { policy: policies.admin };
const IdParams = Type.Object({ id: Id });
const Page = Type.Object({ after: Type.Optional({ ...Cursor, description: 'The `next` cursor of the page before' }) });
const Done = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 20 })),
  after: Type.Optional(Cursor),
});

const LogEntrySchema = Type.Object({
  id: Type.String(),
  action: Type.String({
    description: 'What was done, as `thing.verb`: `post.hide`, `user.suspend`, `appeal.overturned`, …',
  }),
  label: Type.String({ description: 'The action, in the language the request asked for' }),
  groupId: Type.Union([Type.String(), Type.Null()], { description: 'Null for the instance’s own rows' }),
  targetType: Type.String(),
  targetHref: Type.Union([Type.String(), Type.Null()], {
    description: 'Where the thing acted on is read, when you may read it',
  }),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Integer(),
  actor: Type.Union([Type.String(), Type.Null()], {
    description:
      'The username of who acted: for instance moderators and administrators, and for a group’s moderators about their fellow group moderators; null for everyone else (moderators are exposed to harassment too)',
  }),
  targetUser: Type.Union([Type.String(), Type.Null()], {
    description: 'The account acted on, for moderators, only on rows about an account itself',
  }),
});

const AppealSchema = Type.Object({
  id: Type.String(),
  logId: Type.String(),
  action: Type.String(),
  groupId: Type.Union([Type.String(), Type.Null()]),
  actionReason: Type.Union([Type.String(), Type.Null()]),
  appellant: Type.Union([Type.String(), Type.Null()], {
    description: 'Named only on rows about the account itself, never for an anonymous post',
  }),
  body: Type.String(),
  createdAt: Type.Integer(),
  mayDecide: Type.Boolean({ description: 'False when you acted on it yourself: another moderator decides' }),
});

const RevealSchema = Type.Object({
  id: Type.String(),
  postId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('declined')]),
  reason: Type.String(),
  createdAt: Type.Integer(),
  decidedAt: Type.Union([Type.Integer(), Type.Null()]),
  shown: Type.Boolean({ description: 'The requester was shown the author already' }),
});

export async function moderationLogRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // ---- HTML pages ----

  app.get(
    '/groups/:id/moderation-log',
    { config: signedIn, schema: { params: IdParams, querystring: Page } },
    async (request, reply) => {
      const page = await listLog(sctx(), request.member, { groupId: request.params.id, after: request.query.after });
      const group = await findGroup(ctx.db, request.params.id);
      if (!group) throw notFound();
      return reply.page(
        request.t('moderation.log.title'),
        <ModerationLogPage
          page={page}
          group={{ id: group.id, name: group.name }}
          base={`/groups/${group.id}/moderation-log`}
        />,
      );
    },
  );

  app.get('/moderation/log', { config: moderator, schema: { querystring: Page } }, async (request, reply) => {
    const page = await listLog(sctx(), request.member, { after: request.query.after });
    return reply.page(request.t('moderation.log.title'), <ModerationLogPage page={page} base="/moderation/log" />);
  });

  app.get(
    '/moderation/notices/:id',
    { config: signedIn, schema: { params: IdParams, querystring: Done } },
    async (request, reply) => {
      const notice = await loadNotice(sctx(), request.member, request.params.id);
      return reply.page(request.t('moderation.notice.title'), <NoticePage notice={notice} done={request.query.done} />);
    },
  );

  app.post(
    '/moderation/notices/:id/appeal',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          createAppeal(sctx(), request.member, { logId: request.params.id, body: one(request.body, 'body') ?? '' }),
        done: () => `/moderation/notices/${request.params.id}?done=appealed`,
        again: async (problem) =>
          reply.page(
            request.t('moderation.notice.title'),
            <NoticePage
              notice={await loadNotice(sctx(), request.member, request.params.id)}
              errors={problem.errors}
              general={problem.general}
              body={one(request.body, 'body')}
            />,
            problem.status,
          ),
      }),
  );

  app.get('/moderation/appeals', { config: signedIn, schema: { querystring: Done } }, async (request, reply) => {
    const page = await listAppeals(sctx(), request.member, { after: request.query.after });
    return reply.page(request.t('moderation.appeals.title'), <AppealsPage page={page} done={request.query.done} />);
  });

  app.post(
    '/moderation/appeals/:id/decision',
    { config: signedIn, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      const decision = one(request.body, 'decision') === 'overturned' ? 'overturned' : 'upheld';
      try {
        await decideAppeal(sctx(), request.member, request.params.id, {
          decision,
          reason: one(request.body, 'reason') ?? '',
        });
      } catch (error) {
        // The page of all appeals again, the problem beside this appeal's form.
        const problem = formProblem(error, reply);
        const page = await listAppeals(sctx(), request.member);
        return reply.page(
          request.t('moderation.appeals.title'),
          <AppealsPage
            page={page}
            failed={{ appealId: request.params.id, errors: problem.errors, general: problem.general }}
          />,
          problem.status,
        );
      }
      return reply.redirect('/moderation/appeals?done=decided', 303);
    },
  );

  app.get('/moderation/reveals', { config: moderator }, async (request, reply) =>
    reply.page(
      request.t('moderation.reveal.title'),
      <RevealsPage
        requests={await listReveals(sctx(), request.member)}
        mayRequest={canRequestReveal(request.member)}
      />,
    ),
  );

  app.post('/moderation/reveals', { config: admin, schema: { body: FreeForm } }, (request, reply) => {
    const sent = { postId: one(request.body, 'postId') ?? '', reason: one(request.body, 'reason') ?? '' };
    return formRoute(reply, {
      run: () => requestReveal(sctx(), request.member, sent),
      done: (created) => `/moderation/reveals/${created.id}`,
      again: async (problem) =>
        reply.page(
          request.t('moderation.reveal.title'),
          <RevealsPage
            requests={await listReveals(sctx(), request.member)}
            mayRequest
            errors={problem.errors}
            general={problem.general}
            sent={sent}
          />,
          problem.status,
        ),
    });
  });

  app.get('/moderation/reveals/:id', { config: moderator, schema: { params: IdParams } }, async (request, reply) => {
    // Reading a request does not show the author: that takes the requester's own POST below.
    const reveal = await loadReveal(sctx(), request.member, request.params.id);
    return reply.page(request.t('moderation.reveal.one'), <RevealPage request={reveal} />);
  });

  app.post('/moderation/reveals/:id/show', { config: admin, schema: { params: IdParams } }, async (request, reply) => {
    const { request: revealed, author } = await readReveal(sctx(), request.member, request.params.id);
    return reply.page(request.t('moderation.reveal.one'), <RevealPage request={revealed} author={author} />);
  });

  app.post(
    '/moderation/reveals/:id/decision',
    { config: moderator, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      await decideReveal(sctx(), request.member, request.params.id, one(request.body, 'approve') === 'yes');
      return reply.redirect(`/moderation/reveals/${request.params.id}`, 303);
    },
  );

  // ---- API ----

  app.get(
    '/api/v1/moderation/log',
    {
      config: signedIn,
      schema: {
        summary: 'The moderation log, newest first',
        description:
          'With `groupId`: that group’s log, for its members who may read it and its moderators (anyone else: 404). Without: everything for instance moderators and administrators, the logs of your groups for members. Members never see who acted; nobody sees who reported, nor the author of an anonymous post.',
        tags,
        querystring: Type.Object({ groupId: Type.Optional(Id), after: Type.Optional(Cursor) }),
        response: responses(
          { 200: Type.Object({ entries: Type.Array(LogEntrySchema), next: Type.Union([Type.String(), Type.Null()]) }) },
          401,
          404,
        ),
      },
    },
    async (request) => {
      const page = await listLog(sctx(), request.member, request.query);
      return {
        entries: page.entries.map((e) => ({
          id: e.id,
          action: e.action,
          label: request.t(e.labelKey as MessageKey),
          groupId: e.groupId,
          targetType: e.targetType,
          targetHref: e.targetHref,
          reason: e.reason,
          createdAt: e.createdAt,
          actor: e.acted === 'named' ? e.actorName : null,
          targetUser: e.targetName,
        })),
        next: page.next,
      };
    },
  );

  app.get(
    '/api/v1/moderation/notices/:id',
    {
      config: signedIn,
      schema: {
        summary: 'A moderation action about you: what was done, why, and your appeal',
        description:
          'The `moderation_action` notification links here (its `href` is the page `/moderation/notices/{id}`; the id is the log row’s). Only the member the row is about may read it (anyone else: 404).',
        tags,
        params: IdParams,
        response: responses(
          {
            200: Type.Object({
              notice: Type.Object({
                logId: Type.String(),
                action: Type.String(),
                text: Type.String({ description: 'What was done, in the language the request asked for' }),
                reason: Type.Union([Type.String(), Type.Null()]),
                createdAt: Type.Integer(),
                mayAppeal: Type.Boolean({ description: 'Appealable, and not appealed yet' }),
                appeal: Type.Union([
                  Type.Object({
                    id: Type.String(),
                    status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('overturned')]),
                    decisionReason: Type.Union([Type.String(), Type.Null()]),
                    decidedAt: Type.Union([Type.Integer(), Type.Null()]),
                  }),
                  Type.Null(),
                ]),
              }),
            }),
          },
          401,
          404,
        ),
      },
    },
    async (request) => {
      const n = await loadNotice(sctx(), request.member, request.params.id);
      const names = Object.fromEntries(Object.entries(n.message.names ?? {}).map(([k, v]) => [k, isolate(v)]));
      return {
        notice: {
          logId: n.logId,
          action: n.action,
          text: request.t(n.message.key as MessageKey, { ...n.message.values, ...names }),
          reason: n.reason,
          createdAt: n.createdAt,
          mayAppeal: n.mayAppeal,
          appeal: n.appeal
            ? {
                id: n.appeal.id,
                status: n.appeal.status,
                decisionReason: n.appeal.decisionReason,
                decidedAt: n.appeal.decidedAt,
              }
            : null,
        },
      };
    },
  );

  app.post(
    '/api/v1/appeals',
    {
      config: signedIn,
      schema: {
        summary: 'Appeal a moderation action taken about you (once)',
        description:
          'Only the member the log row was about may appeal it, once (a second appeal: 409). Dismissals, undoings and answers to appeals cannot be appealed (403). Another moderator than the one who acted decides.',
        tags,
        body: NewAppealSchema,
        response: responses(
          { 201: Type.Object({ appeal: Type.Object({ id: Type.String() }) }) },
          401,
          403,
          404,
          409,
          422,
        ),
      },
    },
    async (request, reply) => {
      const appeal = await createAppeal(sctx(), request.member, request.body);
      return reply.code(201).send({ appeal });
    },
  );

  app.get(
    '/api/v1/appeals',
    {
      config: signedIn,
      schema: {
        summary: 'Open appeals you may review, oldest first',
        description:
          'A group’s moderators see appeals of their group’s rows; instance moderators and administrators see all.',
        tags,
        querystring: Page,
        response: responses(
          { 200: Type.Object({ appeals: Type.Array(AppealSchema), next: Type.Union([Type.String(), Type.Null()]) }) },
          401,
        ),
      },
    },
    async (request) => {
      const page = await listAppeals(sctx(), request.member, request.query);
      return {
        appeals: page.appeals.map((a) => ({
          id: a.id,
          logId: a.logId,
          action: a.action,
          groupId: a.groupId,
          actionReason: a.actionReason,
          appellant: a.appellantName,
          body: a.body,
          createdAt: a.createdAt,
          mayDecide: a.mayDecide,
        })),
        next: page.next,
      };
    },
  );

  app.post(
    '/api/v1/appeals/:id/decision',
    {
      config: signedIn,
      schema: {
        summary: 'Uphold or overturn an appeal (a moderator other than the one who acted)',
        description:
          'Overturning undoes what can be undone: a hidden post is shown again, a mute, suspension or group ban is lifted. A deleted post cannot be restored (`reversed: false`). The decision is a row of the log, and the member is told.',
        tags,
        params: IdParams,
        body: AppealDecisionSchema,
        response: responses(
          {
            200: Type.Object({
              decision: Type.Union([Type.Literal('upheld'), Type.Literal('overturned')]),
              reversed: Type.Boolean(),
            }),
          },
          401,
          403,
          404,
          409,
          422,
        ),
      },
    },
    async (request) => decideAppeal(sctx(), request.member, request.params.id, request.body),
  );

  app.post(
    '/api/v1/moderation/reveals',
    {
      config: admin,
      schema: {
        summary: 'Ask to reveal who wrote an anonymous post (administrators)',
        description:
          'Another administrator or an instance moderator must approve it; only then, and only once, is the author shown to you. Every step is in the moderation log, which never names the author.',
        tags,
        body: NewRevealSchema,
        response: responses(
          { 201: Type.Object({ reveal: Type.Object({ id: Type.String() }) }) },
          401,
          403,
          404,
          409,
          422,
        ),
      },
    },
    async (request, reply) => {
      const reveal = await requestReveal(sctx(), request.member, request.body);
      return reply.code(201).send({ reveal });
    },
  );

  app.post(
    '/api/v1/moderation/reveals/:id/decision',
    {
      config: moderator,
      schema: {
        summary: 'Approve or decline a request to reveal an author (not your own request)',
        tags,
        params: IdParams,
        body: RevealDecisionSchema,
        response: responses({ 204: NoContent }, 401, 403, 404, 409),
      },
    },
    async (request, reply) => {
      await decideReveal(sctx(), request.member, request.params.id, request.body.approve);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/moderation/reveals/:id',
    {
      config: moderator,
      schema: {
        summary: 'A request to reveal an author',
        description:
          'Its requester, once it is approved, is shown the author’s username the first time they ask, and never again (`author` is null after; `username` is null when the account is gone).',
        tags,
        params: IdParams,
        response: responses(
          {
            200: Type.Object({
              reveal: RevealSchema,
              author: Type.Union([Type.Object({ username: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
            }),
          },
          401,
          404,
        ),
      },
    },
    async (request) => {
      const { request: r, author } = await readReveal(sctx(), request.member, request.params.id);
      return {
        reveal: {
          id: r.id,
          postId: r.postId,
          status: r.status,
          reason: r.reason,
          createdAt: r.createdAt,
          decidedAt: r.decidedAt,
          shown: r.shown,
        },
        author,
      };
    },
  );
}
