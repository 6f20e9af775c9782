import fastifyWebsocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { App } from '../../http/app.js';
import { countChatMessage } from '../../http/content-limits.js';
import type { Translate } from '../../i18n/index.js';
import { AppError } from '../../platform/errors.js';
import { busFor } from '../../realtime/bus.js';
import { closeCodes, Hub, type LiveConnection } from '../../realtime/hub.js';
import { reportRealtimeState } from '../../realtime/status.js';
import type { Member } from '../../security/actor.js';
import { policies } from '../../security/policy.js';
import { liveFeed, readerOf } from './live-feed.js';
import { loadReadableChat } from './queries.js';
import { postMessage, type Reader } from './service.js';

/** The real-time protocol's limits (docs/REALTIME.md). */
export const liveLimits = {
  /** Bytes in one frame; a bigger one closes the connection with 1009. */
  maxFrame: 16 * 1024,
  /** Frames of one connection waiting their turn; beyond it `send` answers rate_limited at once. */
  queue: 100,
  /** Chats one connection follows at once. */
  subscriptions: 200,
  refMax: 100,
} as const;

const idPattern = /^[\w-]{1,64}$/;

type Frame =
  | { type: 'subscribe'; chatId: string; since: number | undefined }
  | { type: 'unsubscribe'; chatId: string }
  | {
      type: 'send';
      chatId: string;
      ref: string;
      body: string;
      replyToId?: string | null;
      warning?: string | null;
      warningText?: string | null;
      anonymous?: boolean;
    };

const frameFields: Record<Frame['type'], ReadonlySet<string>> = {
  subscribe: new Set(['type', 'chatId', 'since']),
  unsubscribe: new Set(['type', 'chatId']),
  send: new Set(['type', 'chatId', 'ref', 'body', 'replyToId', 'warning', 'warningText', 'anonymous']),
};

const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);
const text = (max: number) => (v: unknown) => typeof v === 'string' && v.length <= max;
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);

/** A frame exactly as the protocol writes it, or null (the connection then closes with 1007). */
export function parseFrame(raw: string): Frame | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const frame = value as Record<string, unknown>;
  const type = frame.type;
  if (type !== 'subscribe' && type !== 'unsubscribe' && type !== 'send') return null;
  if (Object.keys(frame).some((key) => !frameFields[type].has(key))) return null;
  if (typeof frame.chatId !== 'string' || !idPattern.test(frame.chatId)) return null;
  if (type === 'unsubscribe') return { type, chatId: frame.chatId };
  if (type === 'subscribe') {
    if (!optional(frame.since, (v) => Number.isSafeInteger(v) && (v as number) >= 0)) return null;
    return { type, chatId: frame.chatId, since: frame.since as number | undefined };
  }
  if (
    typeof frame.ref !== 'string' ||
    frame.ref.length === 0 ||
    frame.ref.length > liveLimits.refMax ||
    typeof frame.body !== 'string' ||
    !optional(
      frame.replyToId,
      orNull((v) => typeof v === 'string' && idPattern.test(v)),
    ) ||
    !optional(frame.warning, orNull(text(40))) ||
    !optional(frame.warningText, orNull(text(1000))) ||
    !optional(frame.anonymous, (v) => typeof v === 'boolean')
  )
    return null;
  return frame as Frame;
}

/**
 * With cookie authentication, the browser's `Origin` must be this server's own: another site's
 * page could otherwise open a connection with the member's cookie (cross-site WebSocket hijacking).
 */
function sameOrigin(ctx: AppContext, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    const claimed = new URL(origin).origin;
    const own = ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
    return claimed !== 'null' && claimed === new URL(own).origin;
  } catch {
    return false;
  }
}

const hubs = new WeakMap<AppContext, Hub<Reader>>();

/** The hub serving this runtime's connections, once its app is built (tests run its sweep at once). */
export function liveHubOf(ctx: AppContext): Hub<Reader> | undefined {
  return hubs.get(ctx);
}

/**
 * `GET /api/v1/live`: the real-time connection (docs/REALTIME.md, ADR 0061). The app's hooks
 * authenticate the upgrade request (cookie or bearer token) and run the policy before it is
 * upgraded: a visitor gets 401 and no socket.
 */
export async function liveRoutes(app: App, ctx: AppContext): Promise<void> {
  const log = { warn: (message: string) => app.log.warn(message), info: (message: string) => app.log.info(message) };
  const bus = busFor(ctx, log);
  await bus.start();
  reportRealtimeState(ctx, () => bus.state());
  const hub = new Hub<Reader>(ctx.signals, bus, liveFeed(ctx), log);
  hub.start();
  hubs.set(ctx, hub);

  await app.register(fastifyWebsocket, {
    // One frame per turn of the event loop: a burst of frames never holds it for long.
    options: { maxPayload: liveLimits.maxFrame, allowSynchronousEvents: false },
    // A frame too big (1009) or not UTF-8 (1007): the socket library closes with its code already;
    // cutting the connection here would lose that code. An error in a handler never reaches here.
    errorHandler() {},
    // Shutdown: every socket closes with 1001, clients reconnect (to another instance) and resume.
    preClose(done) {
      void hub.stop().finally(() => app.websocketServer.close(() => done()));
    },
  });

  // An upgrade refused before the socket library took it (401, 403, any other answer) leaves a raw
  // socket nobody reads from: end it once the answer is written, or each refusal would hold a socket.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade === undefined) return;
    const socket = request.raw.socket;
    if (!socket || socket.destroyed) return;
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  });

  app.get(
    '/api/v1/live',
    {
      websocket: true,
      config: { policy: policies.signedIn },
      onRequest: async (request) => {
        if (request.authVia === 'cookie' && !sameOrigin(ctx, request))
          throw new AppError('forbidden', 'error.forbidden');
      },
    },
    (socket, request) => {
      const actor = request.member;
      const connection = hub.attach(socket, {
        userId: actor.id,
        sessionId: actor.sessionId ?? null,
        viewer: readerOf(ctx, actor, request.t, request.locale),
      });
      serve(ctx, hub, connection, actor, request.t);
    },
  );
}

/** One connection's frames, handled one at a time in arrival order. */
function serve(ctx: AppContext, hub: Hub<Reader>, connection: LiveConnection<Reader>, actor: Member, t: Translate) {
  const socket: WebSocket = connection.socket;
  const queue: Frame[] = [];
  let busy = false;

  const error = (code: string, message: string, extra: Record<string, unknown> = {}) =>
    hub.send(connection, { type: 'error', code, message, ...extra });

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (connection.closed) return;
    if (isBinary) return hub.close(connection, closeCodes.binary);
    const frame = parseFrame(data.toString());
    if (!frame) return hub.close(connection, closeCodes.malformed);
    // A burst (10,000 messages pasted at once) waits in a short queue; beyond it, sends are refused
    // at once, without touching the database, and the connection stays open.
    if (queue.length >= liveLimits.queue) {
      if (frame.type === 'send')
        error('rate_limited', t('chat.live.rateLimited', { seconds: 1 }), { ref: frame.ref, retryAfter: 1 });
      return;
    }
    queue.push(frame);
    if (!busy) void drain();
  });

  async function drain() {
    busy = true;
    while (queue.length && !connection.closed) {
      const frame = queue.shift()!;
      try {
        await handle(frame);
      } catch (failure) {
        refuse(frame, failure);
      }
    }
    busy = false;
  }

  async function handle(frame: Frame) {
    const service = serviceContext(ctx);
    if (frame.type === 'unsubscribe') return hub.unsubscribe(connection, frame.chatId);
    if (frame.type === 'subscribe') {
      if (!connection.chats.has(frame.chatId) && connection.chats.size >= liveLimits.subscriptions)
        return error('rate_limited', t('chat.live.rateLimited', { seconds: 1 }), {
          chatId: frame.chatId,
          retryAfter: 1,
        });
      const { chat } = await loadReadableChat(service, actor, frame.chatId);
      const last = Number(chat.last_seq);
      if (frame.since !== undefined && frame.since < Number(chat.purged_seq))
        return hub.send(connection, { type: 'reset', chatId: frame.chatId });
      const since = Math.min(frame.since ?? last, last);
      const seq = await hub.subscribe(connection, frame.chatId, since);
      return hub.send(connection, { type: 'subscribed', chatId: frame.chatId, seq: Math.max(seq, since) });
    }
    // The per-account limit on messages (and their @mentions), counted as the HTTP API counts them:
    // a refusal is an error frame with the wait, never a closed connection.
    await countChatMessage(ctx.limits, actor.id, typeof frame.body === 'string' ? frame.body : '');
    const { ref, chatId, type: _type, ...input } = frame;
    const sent = await postMessage(service, actor, chatId, input);
    hub.send(connection, { type: 'sent', ref, messageId: sent.messageId, seq: sent.seq });
  }

  /** A refusal as the HTTP API words it, in the connection's language; never a crash. */
  function refuse(frame: Frame, failure: unknown) {
    const about = frame.type === 'send' ? { ref: frame.ref, chatId: frame.chatId } : { chatId: frame.chatId };
    if (!(failure instanceof AppError)) return error('internal', t('chat.live.internal'), about);
    if (failure.code === 'not_found') return error('not_found', t('chat.live.notFound'), about);
    const fields = failure.fields.length
      ? { fields: failure.fields.map((f) => ({ field: f.field, message: t(f.message, f.values) })) }
      : {};
    const retry = failure.retryAfterSeconds ? { retryAfter: failure.retryAfterSeconds } : {};
    return error(failure.code, t(failure.messageKey), { ...about, ...fields, ...retry });
  }
}
