import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppError } from '../http/errors.js';
import { deriveKey, hmac } from './secret-key.js';

/**
 * Limits, each counting events per key over a window. Keys are either an account id or a keyed
 * hash of the client address (see `addressKey`); the address itself is never stored anywhere.
 */
const definitions = {
  /** Every request from one address: blunts floods without touching normal use. */
  request: { points: 600, duration: 60 },
  /** Failed sign-ins from one address, across all accounts. */
  loginAddress: { points: 30, duration: 15 * 60 },
  /**
   * Failed sign-ins against one account from browsers it has never signed in from. Browsers that
   * hold a device cookie for the account count separately (`loginDevice`), so a stranger
   * hammering an account never locks out its owner.
   */
  loginAccount: { points: 10, duration: 60 * 60 },
  loginDevice: { points: 10, duration: 15 * 60 },
  register: { points: 10, duration: 60 * 60 },
  recoveryAddress: { points: 10, duration: 60 * 60 },
  recoveryAccount: { points: 10, duration: 60 * 60 },
  // Content, per account (ADR 0023): generous for a member in a heated thread, far below a flood.
  postBurst: { points: 10, duration: 60 },
  postHour: { points: 150, duration: 60 * 60 },
  /** People named with @ across all posts, the ten a post may notify included. */
  mentionHour: { points: 60, duration: 60 * 60 },
  groupDay: { points: 10, duration: 24 * 60 * 60 },
  reactionMinute: { points: 60, duration: 60 },
  /** Site invites and group invite links together. */
  inviteHour: { points: 20, duration: 60 * 60 },
  searchMinute: { points: 30, duration: 60 },
} as const;

export type LimitName = keyof typeof definitions;

export class RateLimits {
  private readonly limiters: Record<LimitName, RateLimiterAbstract>;
  private readonly addressKeyBase: Buffer;

  constructor(secret: Buffer, private readonly redis?: Redis, requestsPerMinute: number = definitions.request.points) {
    this.addressKeyBase = deriveKey(secret, 'rate-limit-address');
    this.limiters = Object.fromEntries(
      Object.entries(definitions).map(([name, definition]) => {
        const duration = definition.duration;
        const points = name === 'request' ? requestsPerMinute : definition.points;
        const memory = new RateLimiterMemory({ points, duration, keyPrefix: name });
        const limiter = redis
          ? new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix: `sanad:rl:${name}`, insuranceLimiter: memory })
          : memory;
        return [name, limiter];
      }),
    ) as unknown as Record<LimitName, RateLimiterAbstract>;
  }

  static create(secret: Buffer, redisUrl: string | undefined, requestsPerMinute?: number): RateLimits {
    if (!redisUrl) return new RateLimits(secret, undefined, requestsPerMinute);
    // Commands wait in the offline queue while connecting; one retry, then the in-memory insurance limiter answers.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    // Redis trouble falls back to in-memory limits (the insurance limiter); it never crashes a request.
    redis.on('error', () => {});
    return new RateLimits(secret, redis, requestsPerMinute);
  }

  /**
   * A keyed hash of the client address. The key changes each UTC day, so counts stored in Redis
   * cannot be linked from one day to the next, and without the instance key they reveal nothing.
   */
  addressKey(address: string, now = Date.now()): string {
    const day = Math.floor(now / 86_400_000);
    return hmac(this.addressKeyBase, `${day}:${address}`).slice(0, 32);
  }

  /** Counts one event (or `points` of them); throws a localised 429 when the limit is reached. */
  async consume(name: LimitName, key: string, points = 1): Promise<void> {
    try {
      await this.limiters[name].consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new AppError('rate_limited', 'error.rateLimited', [], Math.ceil(rejection.msBeforeNext / 1000));
      }
      // The store itself failed: let the request through rather than lock people out.
    }
  }

  /** True when the key has already used up its allowance (checked before doing costly work). */
  async isBlocked(name: LimitName, key: string): Promise<number | false> {
    try {
      const res = await this.limiters[name].get(key);
      if (res && res.consumedPoints >= this.limiters[name].points) return Math.ceil(res.msBeforeNext / 1000);
    } catch {
      // Store failure: not blocked.
    }
    return false;
  }

  async reset(name: LimitName, key: string): Promise<void> {
    try {
      await this.limiters[name].delete(key);
    } catch {
      // Nothing to do: the count expires on its own.
    }
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}
