import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { ModerationTargetType } from '../../db/schema.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { FreeForm, Id, NoContent, one, responses } from '../../http/schemas.js';
import { notFound } from '../../platform/errors.js';
import { moderationTargetTypes, reportReasons } from '../../platform/moderation.js';
import { policies } from '../../security/policy.js';
import { moderationActions } from './policy.js';
import { act } from './services/act.js';
import { listQueue, usesQueue, type QueueItem } from './services/queue.js';
import { fileReport, reportableTarget } from './services/report.js';
import { moderationLimits } from './services/validate.js';
import {
  QueuePage,
  ReportPage,
  ReportSentPage,
  reportedHref,
  reportTitleKey,
  type QueueFormState,
  type ReportFormState,
} from './views.js';

const tags = ['moderation'];
const signedIn = { policy: policies.signedIn };

const TargetType = Type.Union(
  moderationTargetTypes.map((t) => Type.Literal(t)),
  {
    description:
      '`resource` is a listing of the directory, `resource_note` a member’s note on one; `message` is not yet in Sanad: it answers 404',
  },
);
const isTargetType = (value: unknown): value is ModerationTargetType =>
  (moderationTargetTypes as readonly unknown[]).includes(value);

const QueueItemSchema = Type.Object({
  id: Type.String({ description: 'The case: every open report about one thing, merged' }),
  targetType: TargetType,
  targetId: Type.String(),
  groupId: Type.Union([Type.String(), Type.Null()], {
    description: 'The group it lies in; null for an account or a whole group (the instance moderators’ alone)',
  }),
  groupName: Type.Union([Type.String(), Type.Null()]),
  priority: Type.Integer({ description: '0 first: outing and self-harm; then 1: minors, infiltration; 2: the rest' }),
  reasons: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  reportCount: Type.Integer(),
  notes: Type.Array(Type.String(), { description: 'What reporters wrote; never who they are' }),
  openedAt: Type.Integer(),
  excerpt: Type.Union([Type.String(), Type.Null()], {
    description: 'A few words of the post or the thread’s title, only where the caller may read it',
  }),
  threadId: Type.Union([Type.String(), Type.Null()], { description: 'The thread to read it in, if the caller may' }),
  href: Type.Union([Type.String(), Type.Null()], {
    description: 'Where to read it (a post, a discussion, a listing, a note), if the caller may',
  }),
  hidden: Type.Union([Type.Boolean(), Type.Null()], { description: 'Hidden from readers (or held for approval)' }),
  actions: Type.Array(Type.Union(moderationActions.map((a) => Type.Literal(a))), {
    description: 'What the caller may do about it',
  }),
});

const ReportQuery = Type.Object({
  targetType: Type.String({ maxLength: 20 }),
  targetId: Id,
});

export async function moderationRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // The queue's link in the navigation, for those who moderate anything (src/views/layout.tsx).
  app.addPageValues(async (request, member) => {
    if (await usesQueue(serviceContext(ctx), member)) request.pageCounts = { ...request.pageCounts, moderates: 1 };
  });

  // Reports -------------------------------------------------------------------------------------

  app.get('/reports/new', { config: signedIn, schema: { querystring: ReportQuery } }, async (request, reply) => {
    const { targetType, targetId } = request.query;
    if (!isTargetType(targetType)) throw notFound();
    await reportableTarget(sctx(), request.member, targetType, targetId);
    return showReport(request, reply, targetType, targetId, { values: { reason: '', note: '' }, errors: [] });
  });

  app.post('/reports', { config: { ...signedIn, limit: 'report' }, schema: { body: FreeForm } }, (request, reply) => {
    const targetType = one(request.body, 'targetType') ?? '';
    const targetId = one(request.body, 'targetId') ?? '';
    if (!isTargetType(targetType)) throw notFound();
    const values = { reason: one(request.body, 'reason') ?? '', note: one(request.body, 'note') ?? '' };
    return formRoute(reply, {
      run: () => fileReport(sctx(), request.member, { targetType, targetId, ...values }),
      done: () => `/reports/sent?targetType=${targetType}&targetId=${encodeURIComponent(targetId)}`,
      again: (problem) =>
        showReport(
          request,
          reply,
          targetType,
          targetId,
          { values, errors: problem.errors, general: problem.general },
          problem.status,
        ),
    });
  });

  app.get(
    '/reports/sent',
    {
      config: signedIn,
      schema: {
        querystring: Type.Object({
          targetType: Type.Optional(Type.String({ maxLength: 20 })),
          targetId: Type.Optional(Id),
        }),
      },
    },
    async (request, reply) => {
      const { targetType, targetId } = request.query;
      const back = isTargetType(targetType) && targetId ? reportedHref(targetType, targetId) : '/';
      return reply.page(request.t('moderation.report.sentTitle'), <ReportSentPage back={back} />);
    },
  );

  app.post(
    '/api/v1/reports',
    {
      config: { ...signedIn, limit: 'report' },
      schema: {
        summary: 'Report a post, a discussion, an account, a group, a resource or a note on one to the moderators',
        description:
          'The report joins the one open case about its target (the moderation queue). The reporter must be able to ' +
          'read the target (404 otherwise); `other` needs a `note`. Nobody is ever shown who reported. A second ' +
          'report by the same member on the same open case changes nothing.',
        tags,
        body: Type.Object(
          {
            targetType: TargetType,
            targetId: Id,
            reason: Type.Union(reportReasons.map((r) => Type.Literal(r))),
            note: Type.Optional(Type.String({ maxLength: moderationLimits.noteMax * 2 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 204: NoContent }, 401, 404, 422),
      },
    },
    async (request, reply) => {
      await fileReport(sctx(), request.member, request.body);
      return reply.code(204).send();
    },
  );

  // The queue and actions -----------------------------------------------------------------------

  app.get(
    '/moderation',
    { config: signedIn, schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }) } },
    async (request, reply) => showQueue(request, reply, request.query.done === 'acted'),
  );

  app.post('/moderation/actions', { config: signedIn, schema: { body: FreeForm } }, (request, reply) => {
    const targetType = one(request.body, 'targetType') ?? '';
    if (!isTargetType(targetType)) throw notFound();
    const caseId = one(request.body, 'caseId') ?? '';
    const values = {
      action: one(request.body, 'action') ?? '',
      reason: one(request.body, 'reason') ?? '',
      hours: one(request.body, 'hours') ?? '',
    };
    const hours = /^\d{1,6}$/.test(values.hours.trim()) ? Number(values.hours.trim()) : undefined;
    return formRoute(reply, {
      run: () =>
        act(sctx(), request.member, {
          action: values.action,
          targetType,
          targetId: one(request.body, 'targetId') ?? '',
          reason: values.reason,
          ...(caseId ? { reportId: caseId } : {}),
          ...(hours !== undefined ? { hours } : {}),
        }),
      done: () => '/moderation?done=acted',
      again: (problem) =>
        showQueue(
          request,
          reply,
          false,
          { caseId, values, errors: problem.errors, general: problem.general },
          problem.status,
        ),
    });
  });

  app.get(
    '/api/v1/moderation/queue',
    {
      config: signedIn,
      schema: {
        summary: 'The open cases the caller moderates, most urgent first',
        description:
          'Instance moderators and administrators see every case; a group’s owner and moderators see the cases in ' +
          'their groups. Others have no queue (404). Up to 100 cases, by priority then the oldest first. Excerpts ' +
          'only where the caller may read the post (ADR 0032: instance moderators do not read hidden groups).',
        tags,
        response: responses({ 200: Type.Object({ cases: Type.Array(QueueItemSchema) }) }, 401, 404),
      },
    },
    async (request) => ({ cases: await listQueue(sctx(), request.member) }),
  );

  app.post(
    '/api/v1/moderation/actions',
    {
      config: signedIn,
      schema: {
        summary: 'Act on a reported (or any) post, discussion, account or case',
        description:
          'Always with a reason (1–500 characters), kept in the moderation log with the action in one transaction; ' +
          'the open case about the target (and the case named by `reportId`, a case or report id) is closed. ' +
          '`hours` is required for `mute` and `suspend`. Group moderators hide, delete, approve, warn, ban from ' +
          'their group and dismiss within their groups; `mute`, `suspend` and `ban` are for instance moderators and ' +
          'administrators. Nobody acts on someone who outranks them. 404 for what the caller cannot see, 403 for ' +
          'what they see but may not act on, 422 for an action that does not fit its target.',
        tags,
        body: Type.Object(
          {
            action: Type.Union(moderationActions.map((a) => Type.Literal(a))),
            targetType: TargetType,
            targetId: Id,
            reason: Type.String({ maxLength: moderationLimits.reasonMax * 4 }),
            reportId: Type.Optional(Id),
            hours: Type.Optional(Type.Integer({ minimum: 1, maximum: moderationLimits.hoursMax })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 204: NoContent }, 401, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      await act(sctx(), request.member, request.body);
      return reply.code(204).send();
    },
  );

  async function showReport(
    request: FastifyRequest,
    reply: FastifyReply,
    targetType: ModerationTargetType,
    targetId: string,
    state: ReportFormState,
    status = 200,
  ) {
    return reply.page(
      request.t(reportTitleKey(targetType)),
      <ReportPage targetType={targetType} targetId={targetId} state={state} />,
      status,
    );
  }

  async function showQueue(
    request: FastifyRequest,
    reply: FastifyReply,
    acted: boolean,
    form?: QueueFormState,
    status = 200,
  ) {
    const items: QueueItem[] = await listQueue(sctx(), request.member);
    return reply.page(
      request.t('moderation.queue.title'),
      <QueuePage items={items} acted={acted} form={form} />,
      status,
    );
  }
}
