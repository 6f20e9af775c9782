import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { Id, NoContent, responses } from '../../http/schemas.js';
import { notFound } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import type { ChatKind } from '../../db/schema-chat.js';
import { presentMessages, readerOf } from './presenters.js';
import { chatReactionKinds, MessageEditSchema, MessageInputSchema, MessageSchema } from './schemas.js';
import { editMessage, findLiveMessage, postMessage, setReaction, unsendMessage } from './service.js';
import { loadChatOfKind } from './queries.js';
import { messageAddress, readHistory } from './services/history.js';

const tags = ['chat'];
const signedIn = { policy: policies.signedIn };
const IdParams = Type.Object({ id: Id });
const HistoryQuery = Type.Object(
  {
    before: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,15}$',
        description: 'A `position`: the page of messages posted before it (`olderBefore` of the page after)',
      }),
    ),
  },
  { additionalProperties: false },
);
const HistoryResponse = Type.Object({
  /** Oldest first. */
  messages: Type.Array(MessageSchema),
  olderBefore: Type.Union([Type.Integer(), Type.Null()], {
    description: '`before` for the page of older messages; null at the beginning',
  }),
  seq: Type.Integer({ description: 'The chat’s change number when read: subscribe from it to miss nothing' }),
});
const MessageResponse = Type.Object({ message: MessageSchema });

/**
 * The messages API (ADR 0065): history by keyset cursor, posting, editing, unsending and reactions,
 * for rooms and private conversations alike. A chat or message one cannot read answers 404 (a
 * hidden group's room, a conversation one is not in, administrators included); one read but not
 * written in, 403. Every message leaves through `MessageSchema`, presented for the reader.
 */
export async function messageRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);
  const reader = (request: Parameters<typeof readerOf>[0]) => readerOf(request, ctx.keys);
  /** One message as the caller now receives it (after a change). */
  const messageFor = async (request: Parameters<typeof readerOf>[0], messageId: string) => {
    const service = sctx();
    const row = await findLiveMessage(service.db, service.now, messageId);
    if (!row) throw notFound();
    const [message] = await presentMessages(service, reader(request), [row]);
    return { message: message! };
  };

  for (const [kind, plural, what] of [
    ['room', 'rooms', 'a room'],
    ['conversation', 'conversations', 'a private conversation'],
  ] as const satisfies readonly (readonly [ChatKind, string, string])[]) {
    app.get(
      `/api/v1/${plural}/:id/messages`,
      {
        config: signedIn,
        schema: {
          summary: `Read ${what}: its latest ${50} messages, or the page before \`before\``,
          description:
            'Oldest first. Expired messages are never served; messages by someone in a block with the caller come ' +
            'as `withheld`, without author or words. Reading the latest page marks it read.',
          tags,
          params: IdParams,
          querystring: HistoryQuery,
          response: responses({ 200: HistoryResponse }, 401, 404),
        },
      },
      async (request) => {
        const before = request.query.before === undefined ? null : Number(request.query.before);
        const page = await readHistory(sctx(), request.member, request.params.id, kind, before);
        return {
          messages: await presentMessages(sctx(), reader(request), page.rows),
          olderBefore: page.olderBefore,
          seq: page.seq,
        };
      },
    );

    app.post(
      `/api/v1/${plural}/:id/messages`,
      {
        config: { ...signedIn, limit: 'chat' },
        schema: {
          summary: `Post a message in ${what}`,
          description:
            'Markdown, up to 4,000 characters, through the one sanitiser. `@name` notifies members who may read ' +
            'the chat, without the words. Anonymous messages only where the group allows anonymous posts.',
          tags,
          params: IdParams,
          body: MessageInputSchema,
          response: responses({ 201: MessageResponse }, 401, 403, 404, 422),
        },
      },
      async (request, reply) => {
        await loadChatOfKind(sctx(), request.member, request.params.id, kind);
        const { messageId } = await postMessage(sctx(), request.member, request.params.id, request.body);
        return reply.code(201).send(await messageFor(request, messageId));
      },
    );
  }

  app.patch(
    '/api/v1/messages/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Edit your own message; it shows as edited',
        description: 'Fields left out stay as they were.',
        tags,
        params: IdParams,
        body: MessageEditSchema,
        response: responses({ 200: MessageResponse }, 401, 403, 404, 422),
      },
    },
    async (request) => {
      await editMessage(sctx(), request.member, request.params.id, request.body);
      return messageFor(request, request.params.id);
    },
  );

  app.delete(
    '/api/v1/messages/:id',
    {
      config: signedIn,
      schema: {
        summary: 'Unsend a message for everyone: yours, or any in a room you moderate',
        description:
          'Its words, reactions, search entry and notifications leave the database in one transaction; a ' +
          'moderator’s unsend is in the moderation log.',
        tags,
        params: IdParams,
        response: responses({ 204: NoContent }, 401, 403, 404),
      },
    },
    async (request, reply) => {
      await unsendMessage(sctx(), request.member, request.params.id);
      return reply.code(204).send();
    },
  );

  const ReactionParams = Type.Object({ id: Id, kind: Type.Enum(chatReactionKinds) });
  for (const [method, on] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/api/v1/messages/:id/reactions/:kind',
      {
        config: { ...signedIn, limit: 'reaction' },
        schema: {
          summary: on ? 'React to a message' : 'Take back a reaction',
          description: 'Only counts are ever shown, never who reacted. Saying it twice changes nothing.',
          tags,
          params: ReactionParams,
          response: responses({ 200: MessageResponse }, 401, 403, 404),
        },
      },
      async (request) => {
        await setReaction(sctx(), request.member, request.params.id, request.params.kind, on);
        return messageFor(request, request.params.id);
      },
    );
  }

  // A message's address, for search results and notifications: its chat's page, at the message.
  app.get('/messages/:id', { config: signedIn, schema: { params: IdParams } }, async (request, reply) =>
    reply.redirect(await messageAddress(sctx(), request.member, request.params.id), 303),
  );
}
