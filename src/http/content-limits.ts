import type { AppContext } from '../app-context.js';
import type { MessageKey } from '../i18n/index.js';
import type { LimitName, RateLimits } from '../security/rate-limit.js';
import { mentionedNames } from '../security/mentions.js';
import { isNewcomer } from '../security/policy.js';
import type { App } from './app.js';
import { AppError } from '../platform/errors.js';
import { one, type FreeFormBody } from './schemas.js';

/**
 * Per-account limits on making content (ADR 0023). A route opts in with `config.limit`; this one
 * hook counts the request before its handler runs, so services stay free of HTTP and the HTML
 * page and the API answer alike: 429, `Retry-After` and a message in the member's language.
 */
export const contentLimits = {
  /** Threads and replies. Their @mentions also count against `mentionHour`. */
  post: ['postBurst', 'postHour'],
  /** A new thread and a reply: posts, which new accounts may also make only a few of a day (`newcomerLimits`). */
  thread: ['postBurst', 'postHour'],
  reply: ['postBurst', 'postHour'],
  group: ['groupDay'],
  reaction: ['reactionMinute'],
  invite: ['inviteHour'],
  search: ['searchMinute'],
  join: ['joinHour'],
  /** Reports to the moderators (ADR 0048): many an hour for someone meeting a flood, not a flood of their own. */
  report: ['reportHour'],
  /** Not content, but counted the same way: the account pages that ask for the current passphrase. */
  passphrase: ['passphraseCheck'],
  /** Chat messages (ADR 0065): a burst of ten in ten seconds, three hundred an hour; @mentions as for posts. */
  chat: ['chatBurst', 'chatHour'],
} as const satisfies Record<string, readonly LimitName[]>;

export type ContentLimit = keyof typeof contentLimits;

/**
 * What new accounts (trust level `new`, ADR 0050) are held to on top, counted first so the member
 * is told the newcomer's limit rather than the burst's.
 */
export const newcomerLimits: Partial<Record<ContentLimit, LimitName>> = {
  thread: 'newcomerThreadDay',
  reply: 'newcomerReplyDay',
};

/** The limits that count posts (and their @mentions). */
const postLimits: ReadonlySet<ContentLimit> = new Set(['post', 'thread', 'reply', 'chat']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which per-account content limit this route counts against. */
    limit?: ContentLimit;
  }
}

const messages: Record<ContentLimit | 'mention' | 'newcomerThread' | 'newcomerReply', MessageKey> = {
  post: 'limit.post',
  thread: 'limit.post',
  reply: 'limit.post',
  newcomerThread: 'limit.newcomerThread',
  newcomerReply: 'limit.newcomerReply',
  mention: 'limit.mention',
  group: 'limit.group',
  reaction: 'limit.reaction',
  invite: 'limit.invite',
  search: 'limit.search',
  join: 'limit.join',
  report: 'limit.report',
  passphrase: 'limit.passphrase',
  chat: 'chat.messages.limit',
};

export function registerContentLimits(app: App, ctx: AppContext): void {
  app.addHook('preHandler', async (request) => {
    const limit = request.routeOptions.config.limit;
    if (!limit) return;
    const query = request.query as { q?: string } | undefined;
    // Opening the search page, or browsing the directory, without words searches nothing.
    if (limit === 'search' && !query?.q?.trim()) return;
    const key = request.actor.kind === 'user' ? request.actor.id : ctx.limits.addressKey(request.ip);
    const newcomerLimit = newcomerLimits[limit];
    if (newcomerLimit && isNewcomer(request.actor)) {
      await counted(limit === 'thread' ? 'newcomerThread' : 'newcomerReply', () =>
        ctx.limits.consume(newcomerLimit, key),
      );
      newcomerCounted.set(request, { name: newcomerLimit, key });
    }
    await counted(limit, async () => {
      for (const name of contentLimits[limit]) await ctx.limits.consume(name, key);
    });
    if (postLimits.has(limit)) {
      const body = request.body as FreeFormBody | undefined;
      const mentions = mentionedNames(body ? (one(body, 'body') ?? '') : '').length;
      if (mentions > 0) await counted('mention', () => ctx.limits.consume('mentionHour', key, mentions));
    }
  });
  // A new account's few posts a day are for posts made: one refused (a link, a title too long, the
  // burst limit) is given back. The burst and hourly limits still count refusals (ADR 0023).
  app.addHook('onResponse', async (request, reply) => {
    const spent = newcomerCounted.get(request);
    if (spent && reply.statusCode >= 400) await ctx.limits.refund(spent.name, spent.key);
  });
}

/**
 * Counts one chat message sent outside an HTTP route (a live connection's `send`) exactly as the
 * `chat` limit counts a route's: throws the same localised 429 (`rate_limited`, with the wait).
 */
export async function countChatMessage(limits: RateLimits, memberId: string, body: string): Promise<void> {
  await counted('chat', async () => {
    for (const name of contentLimits.chat) await limits.consume(name, memberId);
  });
  const mentions = mentionedNames(body).length;
  if (mentions > 0) await counted('mention', () => limits.consume('mentionHour', memberId, mentions));
}

/** Which newcomer allowance a request spent, to give back if its post was refused. */
const newcomerCounted = new WeakMap<object, { name: LimitName; key: string }>();

/** The rate limiter's generic 429, said in words that tell the member what to wait for. */
async function counted(limit: keyof typeof messages, consume: () => Promise<void>): Promise<void> {
  try {
    await consume();
  } catch (error) {
    if (error instanceof AppError && error.code === 'rate_limited') {
      throw new AppError('rate_limited', messages[limit], [], error.retryAfterSeconds);
    }
    throw error;
  }
}
