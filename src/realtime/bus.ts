import { Redis } from 'ioredis';
import pg from 'pg';
import { sql } from 'kysely';
import type { Db, Engine } from '../db/database.js';
import { newId } from '../security/tokens.js';
import type { RealtimeSignals } from './signal.js';

/**
 * How instances tell each other what changed (ADR 0061): small JSON messages, ids and numbers only.
 * A message is a hint to read the database, never the only copy: an instance that missed some
 * (Redis restarted, its PostgreSQL connection dropped) hears `resubscribed` and catches up from
 * the database. Each instance tags what it publishes with its own id and ignores its own echoes;
 * it delivers its own changes at once, without the bus.
 *
 * - `local`: one instance (SQLite): nothing to publish to.
 * - `redis`: publish/subscribe when REDIS_URL is set, the subscriber on a connection of its own.
 * - `postgres`: LISTEN/NOTIFY on the database when REDIS_URL is not set, the listener on a
 *   dedicated client, NOTIFY through the pool.
 */
export type BusMessage =
  | ({ type: 'change' } & RealtimeSignals['change'])
  | ({ type: 'recheck' } & RealtimeSignals['recheck']);

export type BusBackend = 'local' | 'redis' | 'postgres';

export interface BusState {
  backend: BusBackend;
  /** The subscriber is connected: other instances' changes arrive. Always true for `local`. */
  connected: boolean;
}

export interface BusLog {
  warn(message: string): void;
  info(message: string): void;
}

export interface RealtimeBus {
  /** This instance's tag on what it publishes. */
  readonly id: string;
  readonly backend: BusBackend;
  /** Starts listening; resolves once connected, or after a short wait when the backend is down. */
  start(): Promise<void>;
  /** Sends to the other instances; never throws and never waits for the backend. */
  publish(message: BusMessage): void;
  /** Messages published by other instances. */
  onMessage(listener: (message: BusMessage) => void): void;
  /** The subscriber came back after losing its connection: what was published meanwhile is lost. */
  onResubscribed(listener: () => void): void;
  state(): BusState;
  close(): Promise<void>;
}

export interface BusOptions {
  engine: Engine;
  db: Db;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** The channel's name (config.realtimeChannel): instances that share it meet. */
  channel: string;
  log: BusLog;
}

/** Chooses the bus as the issue asks: Redis when configured, else PostgreSQL's, else none. */
export function createBus(options: BusOptions): RealtimeBus {
  if (options.redisUrl) return new RedisBus(options.redisUrl, options.channel, options.log);
  if (options.engine === 'postgres' && options.databaseUrl)
    return new PostgresBus(options.db, options.databaseUrl, options.channel, options.log);
  return new LocalBus();
}

/** A message from the wire, checked field by field: anything else is dropped. */
export function parseWire(text: string, ownId: string): BusMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const { o, m } = parsed as { o?: unknown; m?: unknown };
  if (typeof o !== 'string' || o === ownId || !m || typeof m !== 'object') return null;
  const message = m as Record<string, unknown>;
  const strings = (value: unknown): value is string[] =>
    Array.isArray(value) && value.length <= 10_000 && value.every((v) => typeof v === 'string' && v.length <= 100);
  if (
    message.type === 'change' &&
    typeof message.chatId === 'string' &&
    message.chatId.length <= 100 &&
    Number.isSafeInteger(message.seq)
  )
    return { type: 'change', chatId: message.chatId, seq: message.seq as number };
  if (message.type === 'recheck' && strings(message.userIds) && strings(message.sessionIds))
    return { type: 'recheck', userIds: message.userIds, sessionIds: message.sessionIds };
  return null;
}

/**
 * Splits a message into wire texts of at most `max` bytes (NOTIFY takes under 8000): a recheck
 * naming many sessions goes as several.
 */
export function wireTexts(id: string, message: BusMessage, max = 7_000): string[] {
  const text = JSON.stringify({ o: id, m: message });
  if (Buffer.byteLength(text) <= max || message.type !== 'recheck') return [text];
  const ids = [...message.userIds.map((v) => ['u', v] as const), ...message.sessionIds.map((v) => ['s', v] as const)];
  const perText = Math.max(1, Math.floor(max / 60));
  const texts: string[] = [];
  for (let i = 0; i < ids.length; i += perText) {
    const part = ids.slice(i, i + perText);
    const userIds = part.filter(([k]) => k === 'u').map(([, v]) => v);
    const sessionIds = part.filter(([k]) => k === 's').map(([, v]) => v);
    texts.push(JSON.stringify({ o: id, m: { type: 'recheck', userIds, sessionIds } }));
  }
  return texts;
}

abstract class BaseBus {
  readonly id = newId();
  protected readonly listeners: ((message: BusMessage) => void)[] = [];
  protected readonly resubscribers: (() => void)[] = [];
  onMessage(listener: (message: BusMessage) => void): void {
    this.listeners.push(listener);
  }
  onResubscribed(listener: () => void): void {
    this.resubscribers.push(listener);
  }
  protected deliver(text: string): void {
    const message = parseWire(text, this.id);
    if (!message) return;
    for (const listener of this.listeners) listener(message);
  }
  protected resubscribed(): void {
    for (const listener of this.resubscribers) listener();
  }
}

/** One instance: its own changes are delivered at once by its hub; nobody else to tell. */
class LocalBus extends BaseBus implements RealtimeBus {
  readonly backend = 'local' as const;
  async start(): Promise<void> {}
  publish(_message: BusMessage): void {}
  state(): BusState {
    return { backend: 'local', connected: true };
  }
  async close(): Promise<void> {}
}

/**
 * Remembers that the bus is down, and says so once in the log (not once per message), and once
 * again when it is back. Meanwhile chat keeps working on this instance.
 */
class Outage {
  private reported = false;
  constructor(
    private readonly log: BusLog,
    private readonly name: string,
  ) {}
  down(): void {
    if (this.reported) return;
    this.reported = true;
    this.log.warn(
      `Real-time bus (${this.name}) unreachable: chat is delivered live on this instance only until it is back`,
    );
  }
  up(): void {
    if (!this.reported) return;
    this.reported = false;
    this.log.info(`Real-time bus (${this.name}) reachable again: instances deliver to each other again`);
  }
}

/** Changes kept while the publisher is down (one per chat, the highest number), sent once it is back. */
const pendingCap = 10_000;

class RedisBus extends BaseBus implements RealtimeBus {
  readonly backend = 'redis' as const;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly outage: Outage;
  private subscribed = false;
  private everSubscribed = false;
  private closing = false;
  private readonly pending = new Map<string, BusMessage>();

  constructor(url: string, channel: string, log: BusLog) {
    super();
    this.channel = `${channel}:live`;
    this.outage = new Outage(log, 'Redis');
    const options = {
      // Nothing waits for Redis: a publish while it is down is kept below and sent when it is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      lazyConnect: true,
      autoResubscribe: false,
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', () => this.closing || this.outage.down());
      connection.on('close', () => this.closing || this.outage.down());
    }
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    // Subscribes on every (re)connection and waits for Redis to confirm before catching up, so
    // nothing published after the catch-up's read can slip between the two.
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscribed = true;
          if (this.publisher.status === 'ready') this.outage.up();
          if (this.everSubscribed) this.resubscribed();
          this.everSubscribed = true;
        },
        () => this.outage.down(),
      );
    });
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.deliver(text);
    });
    this.publisher.on('ready', () => {
      if (this.subscribed) this.outage.up();
      this.flush();
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.publisher.connect().catch(() => {}), this.subscriber.connect().catch(() => {})]);
    // Give the subscription a moment to be confirmed, so the first changes already cross instances.
    const until = Date.now() + 2000;
    while (!this.subscribed && this.subscriber.status === 'ready' && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }

  publish(message: BusMessage): void {
    if (this.closing) return;
    if (this.publisher.status !== 'ready') {
      this.keep(message);
      return;
    }
    for (const text of wireTexts(this.id, message))
      this.publisher.publish(this.channel, text).catch(() => {
        this.outage.down();
        this.keep(message);
      });
  }

  /**
   * Kept while the publisher is down. Rechecks are kept too: a session ended while Redis was down
   * still closes its connections elsewhere once it is back (and the sweep each minute ends what is left).
   */
  private keep(message: BusMessage): void {
    const key = message.type === 'change' ? `c:${message.chatId}` : `r:${this.pending.size}`;
    if (this.pending.size >= pendingCap && !this.pending.has(key)) return;
    const previous = this.pending.get(key);
    if (!(previous?.type === 'change' && message.type === 'change' && previous.seq > message.seq))
      this.pending.set(key, message);
  }

  private flush(): void {
    const kept = [...this.pending.values()];
    this.pending.clear();
    for (const message of kept) this.publish(message);
  }

  state(): BusState {
    return { backend: 'redis', connected: this.subscribed && this.subscriber.status === 'ready' };
  }

  async close(): Promise<void> {
    this.closing = true;
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}

class PostgresBus extends BaseBus implements RealtimeBus {
  readonly backend = 'postgres' as const;
  private client: pg.Client | null = null;
  private connected = false;
  private everConnected = false;
  private closing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private readonly outage: Outage;

  constructor(
    private readonly db: Db,
    private readonly url: string,
    private readonly channel: string,
    log: BusLog,
  ) {
    super();
    this.outage = new Outage(log, 'PostgreSQL LISTEN/NOTIFY');
  }

  async start(): Promise<void> {
    await this.connect();
  }

  /** A dedicated client (not the pool's): LISTEN belongs to one connection for as long as it lives. */
  private async connect(): Promise<void> {
    if (this.closing) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2000 });
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.connected = false;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (this.closing) return;
      this.outage.down();
      this.retry();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (note) => {
      if (note.channel === this.channel && note.payload) this.deliver(note.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      if (this.client !== client) return;
      this.connected = true;
      this.attempts = 0;
      this.outage.up();
      if (this.everConnected) this.resubscribed();
      this.everConnected = true;
    } catch {
      lost();
    }
  }

  private retry(): void {
    if (this.retryTimer || this.closing) return;
    this.attempts += 1;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        void this.connect();
      },
      Math.min(this.attempts * 200, 2000),
    );
    this.retryTimer.unref();
  }

  publish(message: BusMessage): void {
    if (this.closing) return;
    for (const text of wireTexts(this.id, message))
      sql`select pg_notify(${this.channel}, ${text})`.execute(this.db).catch(() => this.outage.down());
  }

  state(): BusState {
    return { backend: 'postgres', connected: this.connected };
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.connected = false;
    await client?.end().catch(() => {});
  }
}

/** The bus this runtime's configuration asks for. */
export function busFor(
  ctx: {
    engine: Engine;
    db: Db;
    config: { databaseUrl: string | undefined; redisUrl: string | undefined; realtimeChannel: string };
  },
  log: BusLog,
): RealtimeBus {
  return createBus({
    engine: ctx.engine,
    db: ctx.db,
    databaseUrl: ctx.config.databaseUrl,
    redisUrl: ctx.config.redisUrl,
    channel: ctx.config.realtimeChannel,
    log,
  });
}
