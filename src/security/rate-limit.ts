import net from 'node:net';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../platform/errors.js';
import { deriveKey, hmac } from './secret-key.js';

/**
 * Limits, each counting events per key over a window. Keys are an account id, a keyed hash of the
 * client address (see `addressKey`), a device nonce, or a combination; the address itself is never
 * stored anywhere. How sign-in uses them is ADR 0016.
 */
const definitions = {
  /** Every request from one address: blunts floods without touching normal use. */
  request: { points: 600, duration: 60 },
  /** Sign-ins from one address without a device cookie, across all accounts. */
  loginAddress: { points: 30, duration: 15 * 60 },
  /** Sign-ins on one account from one address without a device cookie: slows that address only. */
  loginAccountAddress: { points: 10, duration: 60 * 60 },
  /**
   * Sign-ins on one account from every address without a device cookie. Never refuses anyone:
   * once spent, the account is under attack and `loginUnderAttack` applies to each address.
   */
  loginAccount: { points: 30, duration: 60 * 60 },
  /** While an account is under attack: one attempt per address per quarter hour (a delay, not a block). */
  loginUnderAttack: { points: 1, duration: 15 * 60 },
  /** Sign-ins from one browser (its device cookie) on one username, whatever the address. */
  loginDevice: { points: 10, duration: 15 * 60 },
  /** Registrations from one address without a usable invite (ADR 0044). */
  register: { points: 10, duration: 60 * 60 },
  /**
   * Registrations with one invite, from any address: its uses bound them, and this paces a code that
   * leaked, so whoever made it has time to revoke it. A whole Tor exit or NAT may share one invite.
   */
  registerInvite: { points: 60, duration: 60 * 60 },
  /** Recovery codes are ~98 bits, so a per-address limit is enough and nobody can block an account's recovery. */
  recoveryAddress: { points: 10, duration: 60 * 60 },
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
  /**
   * Passphrase confirmations on the account pages (change it, new recovery codes, erase anonymous
   * posts, delete the account), per account: someone holding a stolen session cannot guess on.
   */
  passphraseCheck: { points: 10, duration: 15 * 60 },
  /** Text kept after a session ended (ADR 0041), per address: visitors' forms cannot fill the disk. */
  keptAddress: { points: 20, duration: 60 * 60 },
  /** Joining or asking to join groups: each request tells every moderator, and can be withdrawn and sent again. */
  joinHour: { points: 30, duration: 60 * 60 },
  /** New accounts (trust level `new`, ADR 0050): a few threads and replies a day, whatever else they may. */
  newcomerThreadDay: { points: 3, duration: 24 * 60 * 60 },
  newcomerReplyDay: { points: 10, duration: 24 * 60 * 60 },
  /** Reports to the moderators, per account (ADR 0048). */
  reportHour: { points: 30, duration: 60 * 60 },
  /** Chat messages, per account, over the API, the forms and live connections alike (ADR 0065). */
  chatBurst: { points: 10, duration: 10 },
  chatHour: { points: 300, duration: 60 * 60 },
} as const;

export type LimitName = keyof typeof definitions;

type Limiters = Record<LimitName, RateLimiterAbstract>;

/** How long a dead or hung Redis is left alone before one request probes it again. */
const storeCooldownMs = 10_000;
/** A Redis command slower than this counts as a failure: limits must never slow a request down. */
const storeDeadlineMs = 250;

/**
 * Rejects when the operation has not settled by the deadline. The verdict waits one turn of the
 * event loop after the timer, so a reply that already arrived while this process was busy is read
 * first: only a slow store trips the circuit, never a busy instance.
 */
function withinDeadline<T>(operation: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const timer = setTimeout(
      () => setImmediate(() => settle(() => reject(new Error('Rate-limit store timed out')))),
      ms,
    );
    operation.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

export interface StoreLogger {
  warn(message: string): void;
  info(message: string): void;
}

/**
 * Remembers whether the shared store works. After a failure it stops asking for `storeCooldownMs`,
 * then lets a single request probe; the outage is logged once, and so is the recovery.
 */
class StoreCircuit {
  down = false;
  private reopensAt = 0;
  private probing = false;
  private reported = false;
  private logger: StoreLogger | undefined;

  useLogger(logger: StoreLogger): void {
    this.logger = logger;
    if (this.down) this.reportOutage();
  }

  /** Whether this call may use the store (false while it is known to be down, except for one probe). */
  allows(now = Date.now()): boolean {
    if (!this.down) return true;
    if (this.probing || now < this.reopensAt) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.probing = false;
    if (!this.down) return;
    this.down = false;
    if (this.reported) this.logger?.info('Rate-limit store reachable again: limits are shared again');
    this.reported = false;
  }

  failed(now = Date.now()): void {
    this.probing = false;
    this.reopensAt = now + storeCooldownMs;
    if (this.down) return;
    this.down = true;
    this.reportOutage();
  }

  private reportOutage(): void {
    if (this.reported || !this.logger) return;
    this.reported = true;
    this.logger.warn('Rate-limit store unreachable: this instance counts limits in memory until it is back');
  }
}

function limiters(
  make: (name: LimitName, points: number, duration: number) => RateLimiterAbstract,
  requestsPerMinute: number,
): Limiters {
  return Object.fromEntries(
    Object.entries(definitions).map(([name, { points, duration }]) => [
      name,
      make(name as LimitName, name === 'request' ? requestsPerMinute : points, duration),
    ]),
  ) as Limiters;
}

/**
 * The part of an address that identifies one subscriber: an IPv4 address, or the /64 prefix of an
 * IPv6 address (one home or phone is handed a whole /64, so single IPv6 addresses cost nothing).
 */
export function addressGroup(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(plain)) return plain;
  let text = plain;
  const ipv4Tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (ipv4Tail) {
    const [a, b, c, d] = ipv4Tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, ipv4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

export class RateLimits {
  private readonly memory: Limiters;
  private readonly shared: Limiters | undefined;
  private readonly circuit = new StoreCircuit();
  private readonly addressKeyBase: Buffer;
  private closing = false;

  constructor(
    secret: Buffer,
    private readonly redis?: Redis,
    requestsPerMinute: number = definitions.request.points,
  ) {
    this.addressKeyBase = deriveKey(secret, 'rate-limit-address');
    this.memory = limiters(
      (name, points, duration) => new RateLimiterMemory({ points, duration, keyPrefix: name }),
      requestsPerMinute,
    );
    this.shared = redis
      ? limiters(
          (name, points, duration) =>
            new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix: `sanad:rl:${name}` }),
          requestsPerMinute,
        )
      : undefined;
    if (redis) {
      // Connection trouble opens the circuit at once; a working connection closes it.
      redis.on('error', () => this.closing || this.circuit.failed());
      redis.on('close', () => this.closing || this.circuit.failed());
      redis.on('ready', () => this.circuit.succeeded());
    }
  }

  static create(secret: Buffer, redisUrl: string | undefined, requestsPerMinute?: number): RateLimits {
    if (!redisUrl) return new RateLimits(secret, undefined, requestsPerMinute);
    const redis = new Redis(redisUrl, {
      // Nothing waits for Redis: no queue while disconnected, no retries; `run` applies the deadline,
      // and this timeout only keeps commands to a hung server from piling up.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 4 * storeDeadlineMs,
      connectTimeout: 1000,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
    return new RateLimits(secret, redis, requestsPerMinute);
  }

  /** Waits (briefly) for the shared store at start, so the first requests already share limits. */
  async connected(timeoutMs = 2000): Promise<boolean> {
    const redis = this.redis;
    if (!redis) return false;
    if (redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        redis.off('error', onError);
        resolve(ok);
      };
      const onReady = () => done(true);
      const onError = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      redis.on('ready', onReady);
      redis.on('error', onError);
    });
  }

  /** Where outages of the shared store are reported (once each, without any request data). */
  useLogger(logger: StoreLogger): void {
    this.circuit.useLogger(logger);
  }

  /** True while limits are counted in this instance's memory although a shared store is configured. */
  get degraded(): boolean {
    return this.redis !== undefined && (this.circuit.down || this.redis.status !== 'ready');
  }

  /** Runs an operation on the shared store when it works, otherwise (and when it fails) in memory. */
  private async run<T>(name: LimitName, operation: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    if (this.shared && this.redis?.status === 'ready' && this.circuit.allows()) {
      try {
        const result = await withinDeadline(operation(this.shared[name]), storeDeadlineMs);
        this.circuit.succeeded();
        return result;
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          this.circuit.succeeded();
          throw error;
        }
        this.circuit.failed();
      }
    }
    return operation(this.memory[name]);
  }

  /**
   * A keyed hash of the client address (IPv6 by /64). The key changes each UTC day, so counts stored
   * in Redis cannot be linked from one day to the next, and without the instance key they reveal nothing.
   */
  addressKey(address: string, now = Date.now()): string {
    const day = Math.floor(now / 86_400_000);
    return hmac(this.addressKeyBase, `${day}:${addressGroup(address)}`).slice(0, 32);
  }

  /**
   * Counts one event atomically (in memory and in Redis alike) and answers 0 when it is within the
   * limit, or the seconds to wait when it is not. Concurrent callers can never all slip under a limit.
   */
  async attempt(name: LimitName, key: string, points = 1): Promise<number> {
    try {
      await this.run(name, (limiter) => limiter.consume(key, points));
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      return 0; // Even memory failed: let the request through rather than lock people out.
    }
  }

  /** Counts one event (or `points` of them); throws a localised 429 when the limit is reached. */
  async consume(name: LimitName, key: string, points = 1): Promise<void> {
    const retryAfter = await this.attempt(name, key, points);
    if (retryAfter) throw new AppError('rate_limited', 'error.rateLimited', [], retryAfter);
  }

  /** Gives back the event counted by `attempt`, for attempts that turned out legitimate. */
  async refund(name: LimitName, key: string): Promise<void> {
    await this.run(name, (limiter) => limiter.reward(key, 1)).catch(() => {});
  }

  /** True when the key has already used up its allowance (checked before doing costly work). */
  async isBlocked(name: LimitName, key: string): Promise<number | false> {
    try {
      const res = await this.run(name, (limiter) => limiter.get(key));
      if (res && res.consumedPoints >= this.memory[name].points) return Math.ceil(res.msBeforeNext / 1000);
    } catch {
      // Store failure: not blocked.
    }
    return false;
  }

  async reset(name: LimitName, key: string): Promise<void> {
    // Nothing to do on failure: the count expires on its own.
    await this.run(name, (limiter) => limiter.delete(key)).catch(() => {});
  }

  async close(): Promise<void> {
    this.closing = true;
    this.redis?.disconnect();
  }
}
