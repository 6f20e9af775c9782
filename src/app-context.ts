import type { Config } from './config.js';
import type { Db, DbOrTx, Engine } from './db/database.js';
import type { RateLimits } from './security/rate-limit.js';
import type { RealtimeSignal } from './realtime/signal.js';

/** Keys derived from the instance secret, one per purpose. */
export interface Keys {
  csrf: Buffer;
  device: Buffer;
  /** Keys the per-thread hashes and encrypts the author ids of anonymous posts. */
  anonymity: Buffer;
  /** Derives the first-run setup link from the nonce stored for it, the same on every instance. */
  setup: Buffer;
}

/** Everything long-lived that the HTTP layer, the CLI and jobs share. */
export interface AppContext {
  config: Config;
  db: Db;
  engine: Engine;
  keys: Keys;
  limits: RateLimits;
  now: () => number;
  /** When a database write last failed for lack of storage (SQLite only), for /readyz. */
  storageFailedAt: () => number | null;
  /** This process's real-time signals: committed chat changes and rechecks, heard by its hub (ADR 0060). */
  signals: RealtimeSignal;
}

/**
 * What a service needs besides the actor and its input: a database handle (or the transaction it
 * runs in), the configuration and the current time. Never the request.
 */
export interface ServiceContext {
  db: DbOrTx;
  /** Which engine `db` talks to, for the few queries (search) that differ. */
  engine: Engine;
  config: Config;
  keys: Keys;
  now: number;
  /** Where services say, after commit, that a chat changed or that someone's live connections need checking. */
  signals: RealtimeSignal;
}

export function serviceContext(app: AppContext, db: DbOrTx = app.db): ServiceContext {
  return { db, engine: app.engine, config: app.config, keys: app.keys, now: app.now(), signals: app.signals };
}
