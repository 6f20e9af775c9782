import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import type { BusLog, RealtimeBus } from './bus.js';
import type { RealtimeSignal, RealtimeSignals } from './signal.js';

/**
 * One instance's live connections (ADR 0061). It knows nothing of chat: the feature gives it a
 * feed that loads a chat's changes once and presents them to each reader.
 *
 * On a change (this instance's signal, or another's through the bus) it reads the chat's changes
 * after the lowest number its local subscribers have, in one load, and sends each connection only
 * what is above its own mark: no gap, no repeat. Authorization is asked when a connection
 * subscribes and cached with it; a recheck (someone left, was removed or blocked, signed out) closes
 * the connections it names, so the next subscribe is asked afresh. Every minute the sessions of all
 * connections are checked in one query, for sessions that ended without an event.
 */

/** One load of a chat's changes, for every reader of it at once. */
export interface FeedBatch<Viewer> {
  /** Each change's number, ascending. */
  seqs: number[];
  /** True when the load stopped at its limit: there is more after the last. */
  more: boolean;
  /** Change `index` as `viewer` receives it (the `message` of a `message` frame). */
  present(index: number, viewer: Viewer): unknown;
}

export interface HubFeed<Viewer> {
  /** The chat's changes after `since`, oldest first; `gone` when the chat is no more. */
  changes(chatId: string, since: number): Promise<FeedBatch<Viewer> | 'gone'>;
  /** Of these sessions, the ones still valid (one query). */
  liveSessions(sessionIds: readonly string[]): Promise<Set<string>>;
}

export interface LiveConnection<Viewer> {
  readonly id: number;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly viewer: Viewer;
  readonly socket: WebSocket;
  /** Subscribed chats, each with the highest change number this connection was sent. */
  readonly chats: Map<string, number>;
  alive: boolean;
  closed: boolean;
}

export const closeCodes = {
  goingAway: 1001,
  binary: 1003,
  malformed: 1007,
  tooBig: 1009,
  /** The client reads more slowly than the server sends: its buffer was full. */
  tooSlow: 1013,
  authorizationChanged: 4001,
  sessionEnded: 4401,
} as const;

export interface HubOptions {
  /** Bytes waiting to be sent to one connection beyond which it is closed (`tooSlow`). */
  maxBuffered: number;
  pingMs: number;
  sweepMs: number;
  /** Connections served between two yields to the event loop while fanning out. */
  fanOutBatch: number;
}

export const hubDefaults: HubOptions = {
  maxBuffered: 1024 * 1024,
  pingMs: 30_000,
  sweepMs: 60_000,
  fanOutBatch: 250,
};

interface ChatState<Viewer> {
  subscribers: Set<LiveConnection<Viewer>>;
  running: Promise<void> | null;
  rerun: Promise<void> | null;
}

export class Hub<Viewer> {
  private readonly options: HubOptions;
  private readonly connections = new Set<LiveConnection<Viewer>>();
  private readonly byUser = new Map<string, Set<LiveConnection<Viewer>>>();
  private readonly bySession = new Map<string, Set<LiveConnection<Viewer>>>();
  private readonly chats = new Map<string, ChatState<Viewer>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unhear: (() => void)[] = [];
  private nextId = 1;
  private failing = false;
  private closed = false;

  constructor(
    private readonly signals: RealtimeSignal,
    readonly bus: RealtimeBus,
    private readonly feed: HubFeed<Viewer>,
    private readonly log: BusLog,
    options: Partial<HubOptions> = {},
  ) {
    this.options = { ...hubDefaults, ...options };
  }

  /** Hears this instance's signals and the bus, and starts the ping and the session sweep. */
  start(): void {
    this.unhear.push(
      this.signals.hear('change', (change) => {
        this.changed(change);
        this.bus.publish({ type: 'change', ...change });
      }),
      this.signals.hear('recheck', (who) => {
        this.recheck(who);
        this.bus.publish({ type: 'recheck', ...who });
      }),
    );
    this.bus.onMessage((message) => {
      if (this.closed) return;
      if (message.type === 'change') this.changed(message);
      else this.recheck(message);
    });
    // Whatever was published while the subscriber was away is read back from the database.
    this.bus.onResubscribed(() => {
      for (const chatId of this.chats.keys()) void this.refresh(chatId);
    });
    const ping = setInterval(() => this.ping(), this.options.pingMs);
    const sweep = setInterval(() => void this.sweep(), this.options.sweepMs);
    ping.unref();
    sweep.unref();
    this.timers.push(ping, sweep);
  }

  get size(): number {
    return this.connections.size;
  }

  attach(socket: WebSocket, who: { userId: string; sessionId: string | null; viewer: Viewer }): LiveConnection<Viewer> {
    const connection: LiveConnection<Viewer> = {
      id: this.nextId++,
      ...who,
      socket,
      chats: new Map(),
      alive: true,
      closed: false,
    };
    this.connections.add(connection);
    index(this.byUser, who.userId, connection);
    if (who.sessionId) index(this.bySession, who.sessionId, connection);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('close', () => this.detach(connection));
    if (this.closed) this.close(connection, closeCodes.goingAway);
    return connection;
  }

  /**
   * Subscribes to a chat the caller has authorized, from change `since`, and sends every change
   * after it. Resolves with the highest number sent (or `since`) once the catch-up is sent.
   */
  async subscribe(connection: LiveConnection<Viewer>, chatId: string, since: number): Promise<number> {
    if (connection.closed) return since;
    if (!connection.chats.has(chatId)) connection.chats.set(chatId, since);
    else connection.chats.set(chatId, Math.min(since, connection.chats.get(chatId)!));
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { subscribers: new Set(), running: null, rerun: null };
      this.chats.set(chatId, chat);
    }
    chat.subscribers.add(connection);
    await this.refresh(chatId);
    return connection.chats.get(chatId) ?? since;
  }

  unsubscribe(connection: LiveConnection<Viewer>, chatId: string): void {
    connection.chats.delete(chatId);
    const chat = this.chats.get(chatId);
    chat?.subscribers.delete(connection);
    if (chat && chat.subscribers.size === 0 && !chat.running) this.chats.delete(chatId);
  }

  /** Sends one frame, or closes a connection that cannot keep up. */
  send(connection: LiveConnection<Viewer>, frame: object): void {
    if (connection.closed) return;
    if (connection.socket.bufferedAmount > this.options.maxBuffered) {
      this.close(connection, closeCodes.tooSlow);
      return;
    }
    connection.socket.send(JSON.stringify(frame));
  }

  close(connection: LiveConnection<Viewer>, code: number): void {
    if (connection.closed) return;
    this.detach(connection);
    connection.socket.close(code);
    // A peer that never answers the close is cut off rather than kept.
    setTimeout(() => connection.socket.terminate(), 5000).unref();
  }

  private detach(connection: LiveConnection<Viewer>): void {
    if (connection.closed) return;
    connection.closed = true;
    this.connections.delete(connection);
    unindex(this.byUser, connection.userId, connection);
    if (connection.sessionId) unindex(this.bySession, connection.sessionId, connection);
    for (const chatId of [...connection.chats.keys()]) this.unsubscribe(connection, chatId);
  }

  /** A chat took change `seq`: load it once if any local subscriber lacks it. */
  private changed({ chatId, seq }: RealtimeSignals['change']): void {
    const chat = this.chats.get(chatId);
    if (!chat) return;
    let behind = false;
    for (const connection of chat.subscribers)
      if ((connection.chats.get(chatId) ?? 0) < seq) {
        behind = true;
        break;
      }
    if (behind) void this.refresh(chatId);
  }

  /**
   * Brings every local subscriber of the chat up to date. One load at a time per chat: changes
   * arriving during a load run one more load after it (however many arrived), never one each.
   */
  refresh(chatId: string): Promise<void> {
    const chat = this.chats.get(chatId);
    if (!chat) return Promise.resolve();
    if (!chat.running) {
      const run = this.load(chatId, chat).finally(() => {
        chat.running = null;
        if (chat.subscribers.size === 0 && this.chats.get(chatId) === chat) this.chats.delete(chatId);
      });
      chat.running = run;
      return run;
    }
    chat.rerun ??= chat.running.then(() => {
      chat.rerun = null;
      return this.refresh(chatId);
    });
    return chat.rerun;
  }

  private async load(chatId: string, chat: ChatState<Viewer>): Promise<void> {
    try {
      for (;;) {
        if (chat.subscribers.size === 0) return;
        let since = Number.POSITIVE_INFINITY;
        for (const connection of chat.subscribers) since = Math.min(since, connection.chats.get(chatId) ?? 0);
        const batch = await this.feed.changes(chatId, since);
        if (batch === 'gone') {
          for (const connection of [...chat.subscribers]) {
            this.send(connection, { type: 'gone', chatId });
            this.unsubscribe(connection, chatId);
          }
          return;
        }
        if (batch.seqs.length === 0) return;
        await this.fanOut(chatId, chat, since, batch);
        if (!batch.more) return;
      }
    } catch {
      // The database did not answer: nothing is marked sent, so the next change or resubscription catches up.
      if (!this.failing) this.log.warn('Live delivery could not read a chat’s changes; it catches up on the next one');
      this.failing = true;
      return;
    }
  }

  private async fanOut(
    chatId: string,
    chat: ChatState<Viewer>,
    since: number,
    batch: FeedBatch<Viewer>,
  ): Promise<void> {
    this.failing = false;
    const last = batch.seqs[batch.seqs.length - 1]!;
    const subscribers = [...chat.subscribers];
    for (let start = 0; start < subscribers.length; start += this.options.fanOutBatch) {
      if (start > 0) await yieldToLoop();
      for (const connection of subscribers.slice(start, start + this.options.fanOutBatch)) {
        const mark = connection.chats.get(chatId);
        // One that subscribed from further back while this load ran is served by the load after it.
        if (mark === undefined || connection.closed || mark >= last || mark < since) continue;
        for (let i = 0; i < batch.seqs.length; i++) {
          if (batch.seqs[i]! <= mark) continue;
          this.send(connection, { type: 'message', chatId, message: batch.present(i, connection.viewer) });
        }
        if (connection.chats.has(chatId)) connection.chats.set(chatId, last);
      }
    }
  }

  /** Closes the connections of these members (4001) and sessions (4401) at once. */
  private recheck({ userIds, sessionIds }: RealtimeSignals['recheck']): void {
    for (const sessionId of sessionIds)
      for (const connection of [...(this.bySession.get(sessionId) ?? [])])
        this.close(connection, closeCodes.sessionEnded);
    for (const userId of userIds)
      for (const connection of [...(this.byUser.get(userId) ?? [])])
        this.close(connection, closeCodes.authorizationChanged);
  }

  private ping(): void {
    for (const connection of [...this.connections]) {
      if (!connection.alive) {
        this.detach(connection);
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  /** Sessions that ended without an event (an account deleted, a suspension): their connections close. */
  async sweep(): Promise<void> {
    const sessionIds = [...this.bySession.keys()];
    if (sessionIds.length === 0) return;
    let live: Set<string>;
    try {
      live = await this.feed.liveSessions(sessionIds);
    } catch {
      return;
    }
    for (const sessionId of sessionIds)
      if (!live.has(sessionId))
        for (const connection of [...(this.bySession.get(sessionId) ?? [])])
          this.close(connection, closeCodes.sessionEnded);
  }

  /** Shutdown: every connection closes with 1001 (clients reconnect elsewhere and resume). */
  async stop(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const off of this.unhear) off();
    for (const connection of [...this.connections]) this.close(connection, closeCodes.goingAway);
    await this.bus.close();
  }
}

function index<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const set = map.get(key) ?? new Set<T>();
  set.add(value);
  map.set(key, set);
}

function unindex<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
