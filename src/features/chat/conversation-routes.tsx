import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { Cursor, formFields, Id, NoContent, responses } from '../../http/schemas.js';
import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import type { Member } from '../../security/actor.js';
import { policies } from '../../security/policy.js';
import {
  ConversationsPage,
  conversationNoticeOf,
  LeaveConversationPage,
  MessagingPage,
  NewConversationPage,
  type StartValues,
} from './conversation-views.js';
import { chatLimits, MessageSchema, type MessageJson } from './schemas.js';
import {
  acceptRequest,
  declineRequest,
  getConversation,
  getMessagingPolicy,
  leaveConversation,
  listConversations,
  listRequests,
  messagingPolicies,
  setMessagingPolicy,
  startConversation,
  type ConversationRequest,
  type ConversationSummary,
} from './services/conversations.js';
import { findLiveMessage, loadDetails, presentMessage } from './service.js';

// Private conversations (ADR 0063): the API and the pages for starting one, answering requests,
// leaving, and choosing who may write. The conversation's own page (`GET /conversations/{id}`) is
// the chat page, shared with rooms.

const tags = ['conversations'];
const signedIn = { policy: policies.signedIn };
const IdParams = Type.Object({ id: Id });

const PersonSchema = Type.Object({ id: Id, username: Type.String() });

/** A conversation as one participant sees it: never another's state, so a sender learns nothing of a request. */
export const ConversationSchema = Type.Object({
  id: Id,
  participants: Type.Array(PersonSchema, { description: 'Everyone else it names; the reader is left out' }),
  state: Type.Union([Type.Literal('active'), Type.Literal('requested')], {
    description: 'The reader’s own place: taking part, or asked to accept its first message',
  }),
  timer: Type.Union([Type.Integer(), Type.Null()], { description: 'Seconds after which new messages disappear' }),
  unread: Type.Integer({ description: 'Messages by others the reader has not seen (up to 100 counted)' }),
  lastMessageAt: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds' }),
});

export const RequestSchema = Type.Object({
  id: Id,
  from: Type.Union([PersonSchema, Type.Null()], { description: 'Who wrote the first message' }),
  participants: Type.Array(PersonSchema),
  excerpt: Type.Union([Type.String(), Type.Null()], {
    description: 'The first message as plain text, up to 200 characters; null once it disappeared',
  }),
  receivedAt: Type.Integer({ description: 'Epoch milliseconds' }),
});

const MessagingSchema = Type.Union(
  messagingPolicies.map((p) => Type.Literal(p)),
  { description: 'Who may start a private conversation with you; shared_group by default' },
);

const StartSchema = Type.Object(
  {
    usernames: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems: 1,
      maxItems: chatLimits.conversationMax - 1,
      description: 'The people to write to (20 at most with you)',
    }),
    body: Type.String({ minLength: 1, maxLength: chatLimits.bodyMax, description: 'Markdown' }),
    warning: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    warningText: Type.Optional(Type.Union([Type.String({ maxLength: chatLimits.warningTextMax }), Type.Null()])),
  },
  { additionalProperties: false },
);

/** Exactly the fields that leave. */
const present = (c: ConversationSummary) => ({
  id: c.id,
  participants: c.participants,
  state: c.state,
  timer: c.timer,
  unread: c.unread,
  lastMessageAt: c.lastMessageAt,
});
const presentRequest = (r: ConversationRequest) => ({
  id: r.id,
  from: r.from,
  participants: r.participants,
  excerpt: r.excerpt,
  receivedAt: r.receivedAt,
});

/** Names typed in one box, separated by commas (Latin or Arabic), semicolons or spaces. */
export const splitNames = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/[\s,،;؛]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export async function conversationRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  async function messageFor(actor: Member, messageId: string): Promise<MessageJson> {
    const s = sctx();
    const row = await findLiveMessage(s.db, s.now, messageId);
    if (!row) throw new Error('the message just posted is missing');
    const details = await loadDetails(s, [row]);
    // Conversations hold no anonymous messages, so no pseudonym is ever named.
    return presentMessage(details, row, { actor, keys: ctx.keys, pseudonymName: () => '' });
  }

  // The API.
  app.get(
    '/api/v1/conversations',
    {
      config: signedIn,
      schema: {
        summary: 'Your private conversations',
        description:
          'Those you take part in, newest activity first, 50 a page (`after`: the `next` of the previous page). ' +
          'Requests waiting for you are listed by `GET /api/v1/conversation-requests`.',
        tags,
        querystring: Type.Object({ after: Type.Optional(Cursor) }),
        response: responses(
          {
            200: Type.Object({
              conversations: Type.Array(ConversationSchema),
              next: Type.Union([Cursor, Type.Null()]),
            }),
          },
          401,
        ),
      },
    },
    async (request) => {
      const page = await listConversations(sctx(), request.member, { after: request.query.after });
      return { conversations: page.conversations.map(present), next: page.next };
    },
  );

  app.post(
    '/api/v1/conversations',
    {
      config: { ...signedIn, limit: 'chat' },
      schema: {
        summary: 'Start a private conversation',
        description:
          'Writes the first message to 1 to 19 people. Someone you may not write to (their choice, a block, no ' +
          'group shared) or no such account is refused alike, with one problem beside `usernames` that does not ' +
          'say why. People you have not talked with yet receive it as a request. With one person you are already ' +
          'in a conversation with, the message goes there.',
        tags,
        body: StartSchema,
        response: responses(
          { 201: Type.Object({ conversation: ConversationSchema, message: MessageSchema }) },
          401,
          403,
          422,
        ),
      },
    },
    async (request, reply) => {
      const started = await startConversation(sctx(), request.member, request.body);
      const conversation = await getConversation(sctx(), request.member, started.conversationId);
      return reply
        .code(201)
        .send({ conversation: present(conversation), message: await messageFor(request.member, started.messageId) });
    },
  );

  app.get(
    '/api/v1/conversations/:id',
    {
      config: signedIn,
      schema: {
        summary: 'One private conversation',
        description: 'Only its participants see it; anyone else, administrators included, gets 404.',
        tags,
        params: IdParams,
        response: responses({ 200: Type.Object({ conversation: ConversationSchema }) }, 401, 404),
      },
    },
    async (request) => ({
      conversation: present(await getConversation(sctx(), request.member, request.params.id)),
    }),
  );

  app.post(
    '/api/v1/conversations/:id/leave',
    {
      config: signedIn,
      schema: {
        summary: 'Leave a private conversation',
        description:
          'Final. The last one to leave deletes it with its messages. Leaving one you were only asked to ' +
          'accept declines it.',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401, 404),
      },
    },
    async (request, reply) => {
      await leaveConversation(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/conversation-requests',
    {
      config: signedIn,
      schema: {
        summary: 'Conversations waiting for you to accept',
        description: 'First messages from people you have not talked with yet, newest first, with their words.',
        tags,
        response: responses({ 200: Type.Object({ requests: Type.Array(RequestSchema) }) }, 401),
      },
    },
    async (request) => ({ requests: (await listRequests(sctx(), request.member)).map(presentRequest) }),
  );

  app.post(
    '/api/v1/conversation-requests/:id/accept',
    {
      config: signedIn,
      schema: {
        summary: 'Accept a conversation request',
        tags,
        params: IdParams,
        response: responses({ 200: Type.Object({ conversation: ConversationSchema }) }, 401, 404),
      },
    },
    async (request) => ({
      conversation: present(await acceptRequest(sctx(), request.member, request.params.id)),
    }),
  );

  app.post(
    '/api/v1/conversation-requests/:id/decline',
    {
      config: signedIn,
      schema: {
        summary: 'Decline a conversation request',
        description:
          'Takes you out of the conversation. The sender is not told, and cannot tell a decline from a request ' +
          'not read yet. With `block`, the sender is blocked too.',
        tags,
        params: IdParams,
        body: Type.Object({ block: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: responses({ 204: NoContent }, 401, 404),
      },
    },
    async (request, reply) => {
      await declineRequest(sctx(), request.member, request.params.id, { block: request.body?.block === true });
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/v1/me/messaging',
    {
      config: signedIn,
      schema: {
        summary: 'Choose who may start a private conversation with you',
        description:
          '`anyone` signed in, members of a group you share (`shared_group`, the default) or `nobody`. ' +
          'Conversations already started are not affected. Newcomers write only to people they share a group with.',
        tags,
        body: Type.Object({ messaging: MessagingSchema }, { additionalProperties: false }),
        response: responses({ 200: Type.Object({ messaging: MessagingSchema }) }, 401, 422),
      },
    },
    async (request) => ({ messaging: await setMessagingPolicy(sctx(), request.member, request.body.messaging) }),
  );

  // The pages.
  const Query = Type.Object({
    after: Type.Optional(Cursor),
    done: Type.Optional(Type.String({ maxLength: 20 })),
  });
  app.get('/conversations', { config: signedIn, schema: { querystring: Query } }, async (request, reply) => {
    const [requests, page] = await Promise.all([
      request.query.after ? Promise.resolve([]) : listRequests(sctx(), request.member),
      listConversations(sctx(), request.member, { after: request.query.after }),
    ]);
    return reply.page(
      request.t('chat.conversations.title'),
      <ConversationsPage
        requests={requests}
        conversations={page.conversations}
        next={page.next}
        notice={conversationNoticeOf(request.query.done)}
      />,
    );
  });

  const showNew = (
    request: FastifyRequest,
    reply: FastifyReply,
    values: StartValues,
    errors: FieldError[] = [],
    general?: MessageKey,
    status = 200,
  ) =>
    reply.page(
      request.t('chat.conversations.new.title'),
      <NewConversationPage values={values} errors={errors} general={general} />,
      status,
    );

  app.get(
    '/conversations/new',
    { config: signedIn, schema: { querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 100 })) }) } },
    (request, reply) => showNew(request, reply, { usernames: request.query.to ?? '', body: '' }),
  );

  app.post(
    '/conversations',
    { config: { ...signedIn, limit: 'chat' }, schema: { body: formFields('usernames', 'body') } },
    (request, reply) =>
      formRoute(reply, {
        run: () =>
          startConversation(sctx(), request.member, {
            usernames: splitNames(request.body.usernames),
            body: request.body.body ?? '',
          }),
        done: (started) => `/conversations/${encodeURIComponent(started.conversationId)}`,
        again: (problem) =>
          showNew(
            request,
            reply,
            { usernames: request.body.usernames ?? '', body: request.body.body ?? '' },
            problem.errors,
            problem.general,
            problem.status,
          ),
      }),
  );

  app.post(
    '/conversations/:id/accept',
    { config: signedIn, schema: { params: IdParams, body: formFields() } },
    async (request, reply) => {
      await acceptRequest(sctx(), request.member, request.params.id);
      return reply.redirect(`/conversations/${encodeURIComponent(request.params.id)}`, 303);
    },
  );

  app.post(
    '/conversations/:id/decline',
    { config: signedIn, schema: { params: IdParams, body: formFields('block') } },
    async (request, reply) => {
      await declineRequest(sctx(), request.member, request.params.id, {
        block: request.body.block === 'on' || request.body.block === '1',
      });
      return reply.redirect('/conversations?done=declined', 303);
    },
  );

  app.get('/conversations/:id/leave', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const conversation = await getConversation(sctx(), request.member, request.params.id);
    return reply.page(
      request.t('chat.conversations.leave.title'),
      <LeaveConversationPage conversation={conversation} />,
    );
  });

  app.post(
    '/conversations/:id/leave',
    { config: signedIn, schema: { params: IdParams, body: formFields() } },
    async (request, reply) => {
      await leaveConversation(sctx(), request.member, request.params.id);
      return reply.redirect('/conversations?done=left', 303);
    },
  );

  const showMessaging = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldError[] = [],
    status = 200,
  ) => {
    const chosen = await getMessagingPolicy(sctx(), request.member);
    const done = conversationNoticeOf((request.query as { done?: string } | undefined)?.done);
    return reply.page(
      request.t('chat.conversations.messaging.title'),
      <MessagingPage chosen={chosen} notice={done} errors={errors} />,
      status,
    );
  };
  app.get(
    '/account/messaging',
    { config: signedIn, schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } },
    (request, reply) => showMessaging(request, reply),
  );
  app.post('/account/messaging', { config: signedIn, schema: { body: formFields('messaging') } }, (request, reply) =>
    formRoute(reply, {
      run: () => setMessagingPolicy(sctx(), request.member, request.body.messaging),
      done: () => '/account/messaging?done=saved',
      again: (problem) => showMessaging(request, reply, problem.errors, problem.status),
    }),
  );
}
