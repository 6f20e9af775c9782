import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { formRoute } from '../../http/forms.js';
import { takeKeptFor, type KeepSpec } from '../../http/kept.js';
import { FreeForm, Id, one, type FreeFormBody } from '../../http/schemas.js';
import type { MessageKey } from '../../i18n/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { policies } from '../../security/policy.js';
import { ChatPageView, chatHref, EditMessagePage, UnsendMessagePage, type ChatComposerState } from './chat-views.js';
import { loadReadableChat } from './queries.js';
import { pseudonymNamer } from './presenters.js';
import { chatReactionKinds, type ChatReactionKind } from './schemas.js';
import { editMessage, postMessage, setReaction, unsendMessage } from './service.js';
import {
  chatAddress,
  messageInReadableChat,
  messageToEdit,
  openChatPage,
  type ChatPageRequest,
} from './services/chat-page.js';

const signedIn = { policy: policies.signedIn };
const IdParams = Type.Object({ id: Id });
/** A position in a chat's history: query strings are text, and the API does not coerce types. */
const Position = Type.String({ pattern: '^[0-9]{1,15}$' });
const ChatQuery = Type.Object({
  before: Type.Optional(Position),
  from: Type.Optional(Position),
  reply: Type.Optional(Id),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});

const composerFields = ['body', 'warning', 'warningText', 'anonymous', 'replyToId'] as const;
/** Words sent after the session ended are kept, and offered again on the chat page after signing in (ADR 0041). */
const keepMessage: KeepSpec = {
  fields: composerFields,
  action: (p) => `/chats/${p.id}/messages`,
  resume: (p) => `/chats/${p.id}`,
};
const keepEdit: KeepSpec = { fields: ['body', 'warning', 'warningText'], resume: (p) => `/messages/${p.id}/edit` };

function composerValues(body: FreeFormBody): ChatComposerState['values'] {
  return {
    body: one(body, 'body') ?? '',
    warning: one(body, 'warning') ?? '',
    warningText: one(body, 'warningText') ?? '',
    anonymous: one(body, 'anonymous') === 'on',
  };
}

const isReactionKind = (value: string | undefined): value is ChatReactionKind =>
  (chatReactionKinds as readonly string[]).includes(value ?? '');

const chatNotices: Record<string, MessageKey> = { unsent: 'chat.rooms.notice.unsent' };

export async function chatRoutes(app: App, ctx: AppContext): Promise<void> {
  const sctx = () => serviceContext(ctx);

  /** How an anonymous author is named to this reader: "Anonymous member (Olive 2)", in their language. */
  const pseudonymName = (request: FastifyRequest) => pseudonymNamer(request.t, request.locale);

  async function showChat(
    request: FastifyRequest,
    reply: FastifyReply,
    chatId: string,
    kind: 'room' | 'conversation',
    options: ChatPageRequest & { composer?: ChatComposerState; notice?: MessageKey | undefined } = {},
    status = 200,
  ) {
    const page = await openChatPage(sctx(), request.member, chatId, {
      kind,
      before: options.before,
      from: options.from,
      reply: options.reply,
      pseudonymName: pseudonymName(request),
    });
    // A conversation's title names nobody: titles stay in the browser's history and tabs, where
    // whoever holds the phone would read who its owner talks to. The page itself says who is in it.
    const title = kind === 'room' ? (page.chat.name ?? '') : request.t('chat.rooms.chat.conversationTitle');
    return reply.page(
      title,
      <ChatPageView page={page} composer={options.composer ?? { values: {}, errors: [] }} notice={options.notice} />,
      status,
    );
  }

  for (const kind of ['room', 'conversation'] as const) {
    app.get(
      kind === 'room' ? '/rooms/:id' : '/conversations/:id',
      { config: signedIn, schema: { params: IdParams, querystring: ChatQuery } },
      async (request, reply) => {
        const { id } = request.params;
        const q = request.query;
        const kept = await takeKeptFor(ctx, request, reply, `/chats/${id}/messages`);
        return showChat(request, reply, id, kind, {
          before: q.before === undefined ? undefined : Number(q.before),
          from: q.from === undefined ? undefined : Number(q.from),
          reply: q.reply ?? (kept ? one(kept, 'replyToId') || undefined : undefined),
          ...(kept
            ? { composer: { values: composerValues(kept), errors: [] }, notice: 'discussions.kept.restored' }
            : {}),
          ...(q.done && q.done in chatNotices ? { notice: chatNotices[q.done] } : {}),
        });
      },
    );
  }

  /** A chat's address, whichever kind it is: where kept words lead back after signing in. */
  app.get('/chats/:id', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const { chat } = await loadReadableChat(sctx(), request.member, request.params.id);
    return reply.redirect(chatHref(chat), 303);
  });

  app.post(
    '/chats/:id/messages',
    {
      // The messages part adds a `chat` limit of its own; until then messages count as posts.
      config: { ...signedIn, limit: 'chat', keep: keepMessage },
      schema: { params: IdParams, body: FreeForm },
    },
    (request, reply) => {
      const id = request.params.id;
      const body = request.body;
      return formRoute(reply, {
        run: () =>
          postMessage(sctx(), request.member, id, {
            body: one(body, 'body') ?? '',
            warning: one(body, 'warning') || null,
            warningText: one(body, 'warningText') || null,
            anonymous: one(body, 'anonymous') === 'on',
            replyToId: one(body, 'replyToId') || null,
          }),
        done: async ({ messageId }) => chatAddress(sctx(), id, messageId),
        again: async (problem) => {
          const { chat } = await loadReadableChat(sctx(), request.member, id);
          return showChat(
            request,
            reply,
            id,
            chat.kind,
            {
              reply: one(body, 'replyToId') || undefined,
              composer: { values: composerValues(body), errors: problem.errors, general: problem.general },
            },
            problem.status,
          );
        },
      });
    },
  );

  const back = async (request: FastifyRequest, messageId: string) => {
    const { message } = await messageInReadableChat(sctx(), request.member, messageId, pseudonymName(request));
    return chatAddress(sctx(), message.chatId, message.id);
  };

  app.get('/messages/:id/edit', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const kept = await takeKeptFor(ctx, request, reply, `/messages/${request.params.id}/edit`);
    const { message } = await messageToEdit(sctx(), request.member, request.params.id, pseudonymName(request));
    const values = kept
      ? composerValues(kept)
      : { body: message.body ?? '', warning: message.warning?.kind ?? '', warningText: message.warning?.text ?? '' };
    return reply.page(
      request.t('chat.rooms.edit.title'),
      <EditMessagePage
        messageId={message.id}
        back={await chatAddress(sctx(), message.chatId, message.id)}
        state={{ values, errors: [] }}
      />,
    );
  });

  app.post(
    '/messages/:id/edit',
    { config: { ...signedIn, keep: keepEdit }, schema: { params: IdParams, body: FreeForm } },
    (request, reply) => {
      const id = request.params.id;
      const body = request.body;
      return formRoute(reply, {
        run: () =>
          editMessage(sctx(), request.member, id, {
            body: one(body, 'body') ?? '',
            warning: one(body, 'warning') || null,
            warningText: one(body, 'warningText') || null,
          }),
        done: ({ chatId }) => chatAddress(sctx(), chatId, id),
        again: async (problem) => {
          const { message } = await messageToEdit(sctx(), request.member, id, pseudonymName(request));
          return reply.page(
            request.t('chat.rooms.edit.title'),
            <EditMessagePage
              messageId={id}
              back={await chatAddress(sctx(), message.chatId, id)}
              state={{ values: composerValues(body), errors: problem.errors, general: problem.general }}
            />,
            problem.status,
          );
        },
      });
    },
  );

  /** Unsending is asked first (WCAG 3.3.4): the message's words and a button; 404 for whoever may not unsend it. */
  app.get('/messages/:id/unsend', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const { message } = await messageInReadableChat(sctx(), request.member, request.params.id, pseudonymName(request));
    if (!message.canUnsend) throw notFound();
    return reply.page(
      request.t('chat.rooms.unsend.title'),
      <UnsendMessagePage message={message} back={await chatAddress(sctx(), message.chatId, message.id)} />,
    );
  });

  /** Unsending: the author's own action (or a moderator's), from the message's menu; its words leave for everyone. */
  app.post('/messages/:id/unsend', { config: signedIn, schema: { params: IdParams } }, async (request, reply) => {
    const { chatId } = await unsendMessage(sctx(), request.member, request.params.id);
    const address = await chatAddress(sctx(), chatId);
    return reply.redirect(`${address}?done=unsent`, 303);
  });

  /**
   * Reacting from the page: one form per message, the button pressed names what it does (`add` or
   * `remove`) and its value the reaction. A body naming neither, both, or no known reaction is refused.
   */
  app.post(
    '/messages/:id/reactions',
    { config: { ...signedIn, limit: 'reaction' }, schema: { params: IdParams, body: FreeForm } },
    async (request, reply) => {
      const { id } = request.params;
      const add = one(request.body, 'add');
      const remove = one(request.body, 'remove');
      const kind = add ?? remove;
      if ((add === undefined) === (remove === undefined) || !isReactionKind(kind))
        throw new AppError('bad_request', 'error.badRequest');
      const address = await back(request, id).catch(() => {
        throw notFound();
      });
      await setReaction(sctx(), request.member, id, kind, add !== undefined);
      return reply.redirect(address, 303);
    },
  );
}
