import { EventEmitter } from 'node:events';
import { afterCommit, type DbOrTx } from '../db/database.js';

/**
 * One runtime's real-time signals (ADR 0060), in the manner of the outbox's signal: services say,
 * once their transaction has committed, that a chat changed or that someone's live connections
 * must be checked again; the runtime's real-time hub hears it, delivers to its own connections and
 * publishes to the other instances. Each runtime has its own (`AppContext.signals`), so two
 * instances in one test process still meet only through the bus. Ids and numbers only, never words.
 */
export interface RealtimeSignals {
  /** Chat `chatId` took change number `seq` (a message posted, edited, unsent, reacted to; a timer changed). */
  change: { chatId: string; seq: number };
  /**
   * These accounts' (or sessions') standing changed: left or removed from a group, banned, blocked,
   * signed out. Every instance closes their open connections; clients reconnect and are asked again.
   */
  recheck: { userIds: string[]; sessionIds: string[] };
}

export class RealtimeSignal extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
  send<K extends keyof RealtimeSignals>(kind: K, payload: RealtimeSignals[K]): void {
    this.emit(kind, payload);
  }
  hear<K extends keyof RealtimeSignals>(kind: K, listener: (payload: RealtimeSignals[K]) => void): () => void {
    this.on(kind, listener);
    return () => this.off(kind, listener);
  }
}

interface SignalContext {
  db: DbOrTx;
  signals: RealtimeSignal;
}

/** After `ctx.db` commits (at once outside a transaction), tell this runtime's hub that a chat changed. */
export function announceChange(ctx: SignalContext, chatId: string, seq: number): void {
  afterCommit(ctx.db, () => ctx.signals.send('change', { chatId, seq }));
}

/**
 * After `ctx.db` commits, have every instance close these members' or sessions' live connections.
 * Event subscribers, whose events have committed already, call `ctx.signals.send` directly.
 */
export function announceRecheck(ctx: SignalContext, who: Partial<RealtimeSignals['recheck']>): void {
  afterCommit(ctx.db, () =>
    ctx.signals.send('recheck', { userIds: who.userIds ?? [], sessionIds: who.sessionIds ?? [] }),
  );
}
