import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { formFields, Id, responses } from '../../http/schemas.js';
import { forbidden, notFound, type FieldError } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import type { ChatKind } from '../../db/schema-chat.js';
import { canSetTimer } from './policy.js';
import { findChat, loadReadableChat } from './queries.js';
import { Timer } from './schemas.js';
import { getChatLimits, retentionDaysMax, setChatLimits } from './services/limits.js';
import { groupRoomTimer, setGroupRoomTimer, setTimer } from './services/timers.js';
import { ChatLimitsPage, GroupRoomTimerPage, TimerPage, timerFromForm } from './timer-views.js';

const tags = ['chat'];
const signedIn = { policy: policies.signedIn };
const admin = { policy: policies.admin };
const IdParams = Type.Object({ id: Id });
const TimerBody = Type.Object({ timer: Timer }, { additionalProperties: false });
const TimerAnswer = Type.Object({ timer: Type.Union([Type.Integer(), Type.Null()]) });
const ChatLimitsSchema = Type.Object({
  maxTimerSeconds: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The longest timer any chat may have, in seconds; null: none',
  }),
  retentionDays: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Every chat message is deleted this many days after it was sent; null: kept until its timer',
  }),
});
const ChatLimitsBody = Type.Object(
  {
    maxTimerSeconds: Timer,
    retentionDays: Type.Union([Type.Integer({ minimum: 1, maximum: retentionDaysMax }), Type.Null()]),
  },
  { additionalProperties: false },
);
const savedQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });

/** Where a chat is read: a room's page or a conversation's. */
const chatPath = (kind: ChatKind, id: string) =>
  `/${kind === 'room' ? 'rooms' : 'conversations'}/${encodeURIComponent(id)}`;

/**
 * Disappearing messages (ADR 0062): a chat's timer through the API and by form, a group owner's
 * default for new rooms, and the administrators' limits.
 */
export async function timerRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  // A chat's timer ---------------------------------------------------------------------------------

  for (const kind of ['room', 'conversation'] as const) {
    const plural = kind === 'room' ? 'rooms' : 'conversations';
    app.put(
      `/api/v1/${plural}/:id/timer`,
      {
        config: signedIn,
        schema: {
          summary:
            kind === 'room'
              ? "Set a room's disappearing-message timer (those who manage its rooms)"
              : "Set a conversation's disappearing-message timer (any participant)",
          description:
            'Messages posted afterwards disappear this long after they are posted; earlier messages keep theirs. ' +
            'The chat shows the change as a message of kind `timer`. A timer beyond the instance maximum, or off ' +
            'while there is one, answers 422 naming `timer`.',
          tags,
          params: IdParams,
          body: TimerBody,
          response: responses({ 200: TimerAnswer }, 401, 403, 404, 422),
        },
      },
      async (request) => {
        const chat = await findChat(ctx.db, request.params.id);
        // A chat of the other kind under this address does not exist here.
        if (!chat || chat.kind !== kind) throw notFound();
        await setTimer(sctx(), request.member, chat.id, request.body.timer);
        return { timer: request.body.timer };
      },
    );
  }

  /** The timer's own page, where the form comes back with its problems. */
  async function showTimer(
    request: FastifyRequest,
    reply: FastifyReply,
    chatId: string,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const member = request.member;
    const loaded = await loadReadableChat(sctx(), member, chatId);
    if (!canSetTimer(member, loaded.access)) throw notFound();
    const { chat } = loaded;
    const limits = await getChatLimits(ctx);
    return reply.page(
      request.t('chat.timers.page.title'),
      <TimerPage
        chatId={chat.id}
        kind={chat.kind}
        name={chat.kind === 'room' ? chat.name : null}
        current={chat.timer_seconds}
        max={limits.maxTimerSeconds}
        back={chatPath(chat.kind, chat.id)}
        errors={errors}
      />,
      status,
    );
  }

  app.get('/chats/:id/timer', { config: signedIn, schema: { params: IdParams } }, (request, reply) =>
    showTimer(request, reply, request.params.id),
  );

  app.post(
    '/chats/:id/timer',
    { config: signedIn, schema: { params: IdParams, body: formFields('timer') } },
    (request, reply) =>
      formRoute(reply, {
        run: async () => {
          await setTimer(sctx(), request.member, request.params.id, timerFromForm(request.body.timer));
          return (await findChat(ctx.db, request.params.id))!.kind;
        },
        done: (kind) => chatPath(kind, request.params.id),
        // Refused outright (one who reads the chat but may not set its timer): the error page, not the form.
        again: (problem) =>
          problem.status === 403
            ? Promise.reject(forbidden())
            : showTimer(request, reply, request.params.id, problem.errors, problem.status),
      }),
  );

  // A group's default for new rooms (its owner) -------------------------------------------------------

  app.put(
    '/api/v1/groups/:id/room-timer',
    {
      config: signedIn,
      schema: {
        summary: 'Set the timer new rooms of a group start with (its owner)',
        description: 'Rooms already there keep theirs. Within the instance maximum, as for a room.',
        tags,
        params: IdParams,
        body: TimerBody,
        response: responses({ 200: TimerAnswer }, 401, 403, 404, 422),
      },
    },
    async (request) => setGroupRoomTimer(sctx(), request.member, request.params.id, request.body.timer),
  );

  async function showGroupTimer(
    request: FastifyRequest,
    reply: FastifyReply,
    groupId: string,
    extra: { saved?: boolean; errors?: FieldError[] } = {},
    status = 200,
  ) {
    const setting = await groupRoomTimer(sctx(), request.member, groupId);
    const limits = await getChatLimits(ctx);
    return reply.page(
      request.t('chat.timers.group.title'),
      <GroupRoomTimerPage
        groupId={setting.groupId}
        groupName={setting.groupName}
        current={setting.timer}
        max={limits.maxTimerSeconds}
        {...extra}
      />,
      status,
    );
  }

  app.get(
    '/groups/:id/room-timer',
    { config: signedIn, schema: { params: IdParams, querystring: savedQuery } },
    (request, reply) => showGroupTimer(request, reply, request.params.id, { saved: request.query.done === 'saved' }),
  );

  app.post(
    '/groups/:id/room-timer',
    { config: signedIn, schema: { params: IdParams, body: formFields('timer') } },
    (request, reply) =>
      formRoute(reply, {
        run: () => setGroupRoomTimer(sctx(), request.member, request.params.id, timerFromForm(request.body.timer)),
        done: () => `/groups/${encodeURIComponent(request.params.id)}/room-timer?done=saved`,
        again: (problem) =>
          problem.status === 403
            ? Promise.reject(forbidden())
            : showGroupTimer(request, reply, request.params.id, { errors: problem.errors }, problem.status),
      }),
  );

  // The instance's limits (administrators) ---------------------------------------------------------

  app.get('/admin/chat', { config: admin, schema: { querystring: savedQuery } }, async (request, reply) =>
    reply.page(
      request.t('chat.timers.admin.title'),
      <ChatLimitsPage limits={await getChatLimits(ctx)} saved={request.query.done === 'saved'} />,
    ),
  );

  app.post(
    '/admin/chat',
    { config: admin, schema: { body: formFields('maxTimerSeconds', 'retentionDays') } },
    (request, reply) => {
      const form = request.body;
      const days = (form.retentionDays ?? '').trim();
      return formRoute(reply, {
        run: () =>
          setChatLimits(sctx(), request.member, {
            maxTimerSeconds: form.maxTimerSeconds === 'none' ? null : timerFromForm(form.maxTimerSeconds),
            retentionDays: days === '' ? null : /^\d{1,6}$/.test(days) ? Number(days) : Number.NaN,
          }),
        done: () => '/admin/chat?done=saved',
        again: async (problem) =>
          reply.page(
            request.t('chat.timers.admin.title'),
            <ChatLimitsPage limits={await getChatLimits(ctx)} errors={problem.errors} values={form} />,
            problem.status,
          ),
      });
    },
  );

  app.get(
    '/api/v1/admin/chat-limits',
    {
      config: admin,
      schema: {
        summary: "The instance's chat limits (administrators)",
        tags,
        response: responses({ 200: ChatLimitsSchema }, 401, 403),
      },
    },
    async () => getChatLimits(ctx),
  );

  app.put(
    '/api/v1/admin/chat-limits',
    {
      config: admin,
      schema: {
        summary: "Set the instance's chat limits (administrators)",
        description:
          'A maximum brings every chat whose timer is longer, or off, down to it (each shows a timer event), and ' +
          'shortens the expiry of messages that would outlive it or the retention to their sending time plus the ' +
          'limit, never lengthening one. Messages past it disappear at once and are purged within a minute.',
        tags,
        body: ChatLimitsBody,
        response: responses({ 200: ChatLimitsSchema }, 401, 403, 422),
      },
    },
    async (request) => setChatLimits(sctx(), request.member, request.body),
  );
}
