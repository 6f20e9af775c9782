import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DbOrTx = Kysely<Database> | Transaction<Database>;
export type Engine = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  /** The PostgreSQL schema in use, when not the default. */
  pgSchema?: string;
  /** For `backup`: the SQLite connection, when there is one. */
  sqlite?: SQLite.Database;
  /**
   * When a write last failed for lack of storage (disk full, read-only, I/O error), as epoch
   * milliseconds; null when none has. Only SQLite reports this: PostgreSQL's readiness is its reachability.
   */
  storageFailedAt(): number | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** SQLite file; ':memory:' is allowed for quick scripts but tests use real files. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests run each suite in a fresh one). */
  pgSchema?: string;
  poolSize?: number;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  if (!options.sqliteFile) throw new Error('Either a DATABASE_URL or a SQLite file is required');
  return openSqlite(options.sqliteFile);
}

function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(file);
  if (file !== ':memory:') fs.chmodSync(file, 0o600);
  // exec() rather than pragma(): it prepares no statement object (see withStatementCache).
  // secure_delete: deleted content is overwritten rather than left in free pages of a seized file.
  // journal_size_limit = 0: whenever the write-ahead log is reset it is also cut back to nothing,
  // so old page images do not linger at its end (erasures truncate it at once: checkpointAfterErasure).
  // synchronous = NORMAL: a power loss may lose the last transactions, never corrupt the file (README).
  // Turning a new file to WAL needs it to itself: a second process opening it at the same moment
  // (ADR 0046) gets SQLITE_BUSY at once, busy_timeout or not, so it tries again for up to 5 s.
  for (let waited = 0; ; waited += 50) {
    try {
      sqlite.exec(
        'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; ' +
          'PRAGMA secure_delete = ON; PRAGMA journal_size_limit = 0;',
      );
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || waited >= 5000) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  const storage = { failedAt: null as number | null };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, storage) }) });
  return {
    db,
    engine: 'sqlite',
    sqlite,
    storageFailedAt: () => storage.failedAt,
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Every connection, and every statement prepared on it, stays referenced until the process ends.
 * better-sqlite3 12 (the line that supports Node 20) aborts the process on Node 24 when a
 * statement or database wrapper is garbage-collected without a current Node environment, as
 * happens at exit ("Assertion failed: (env) != nullptr"). Reusing one prepared statement per query
 * text also spares SQLite from compiling the same SQL again on every request.
 */
const retained: unknown[] = [];

/** The statement surface Kysely's SQLite driver uses. */
interface DriverStatement {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

/** Errors that mean the disk cannot take writes, rather than a problem with one query. */
function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(code);
}

/**
 * SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error); Kysely's
 * `rollback` that follows would then fail with "cannot rollback - no transaction is active" and
 * hide the real error. Nothing is left to undo, so that rollback does nothing.
 */
const alreadyRolledBack: DriverStatement = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

function withStatementCache(sqlite: SQLite.Database, storage: { failedAt: number | null }) {
  const statements = new Map<string, DriverStatement>();
  retained.push(sqlite, statements);
  const noting = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (isStorageFailure(error)) storage.failedAt = Date.now();
      throw error;
    }
  };
  return {
    close: () => sqlite.close(),
    prepare(source: string): DriverStatement {
      if (source === 'rollback' && !sqlite.inTransaction) return alreadyRolledBack;
      // Transactions take the write lock as they begin. A deferred one that reads first and writes
      // after gets SQLITE_BUSY at once, with no wait, when another process (a second server, the CLI)
      // wrote in between; an immediate one waits its turn under busy_timeout instead.
      const sql = source === 'begin' ? 'begin immediate' : source;
      let statement = statements.get(sql);
      if (!statement) {
        // Queries have a fixed set of shapes (values are bound), so this map stays small.
        const prepared = noting(() => sqlite.prepare(sql));
        statement = {
          reader: prepared.reader,
          all: (parameters) => noting(() => prepared.all(parameters)),
          run: (parameters) => noting(() => prepared.run(parameters)),
          iterate: (parameters) => prepared.iterate(parameters),
        };
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      // int8 holds epoch milliseconds, well inside Number's safe range.
      if (oid === 20) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A server that accepts no connection (stopped, hung, unreachable) fails the request instead of holding it.
    connectionTimeoutMillis: 5000,
    types: types as pg.CustomTypesConfig,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  // A connection lost while idle is reported on the pool, which drops that client.
  pool.on('error', () => {});
  // A connection lost while checked out (a query in flight, a transaction open) is reported on the
  // client itself; without a listener that 'error' event would end the process. The query in flight
  // fails with the error instead, and the pool discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
    storageFailedAt: () => null,
    async close() {
      await db.destroy();
    },
  };
}

/** Resolves with the reason the database does not answer within `timeoutMs`, or null when it does. */
export async function unreachableBecause(db: Db, timeoutMs = 3000): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const probe = sql`select 1`.execute(db).then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function isReachable(db: Db, timeoutMs?: number): Promise<boolean> {
  return (await unreachableBecause(db, timeoutMs)) === null;
}

/**
 * At start, waits for a database that does not answer yet (PostgreSQL still starting, a network
 * not up yet), retrying with growing pauses, and gives up with the last reason after `timeoutMs`.
 */
export async function waitForDatabase(db: Db, timeoutMs: number, onRetry?: (reason: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pause = 250;
  for (;;) {
    const reason = await unreachableBecause(db, Math.max(1000, Math.min(5000, deadline - Date.now())));
    if (reason === null) return;
    const left = deadline - Date.now();
    if (left <= 0) throw new DatabaseUnreachableError(reason, timeoutMs);
    onRetry?.(reason);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, 5000);
  }
}

export class DatabaseUnreachableError extends Error {
  constructor(
    readonly reason: string,
    timeoutMs: number,
  ) {
    super(`The database did not answer within ${Math.round(timeoutMs / 1000)} s (last error: ${reason}).`);
  }
}

/**
 * Call after an erasure has committed (a post or an account deleted, and later expiries). On SQLite
 * the deleted words still sit in the write-ahead log, beyond the reach of `secure_delete`, until a
 * checkpoint copies the log into the main file and truncates it; this does both at once. Inside a
 * transaction it does nothing: the outermost caller runs it after the commit. PostgreSQL keeps dead
 * rows until vacuum (docs/THREAT-MODEL.md), so there it does nothing either.
 */
export async function checkpointAfterErasure(ctx: { db: DbOrTx; engine: Engine }): Promise<void> {
  if (ctx.engine !== 'sqlite' || ctx.db.isTransaction) return;
  // The erasure has committed; a checkpoint that cannot run now (another process still reading an
  // older snapshot) is not its failure. journal_size_limit trims the log at the next reset instead.
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(ctx.db).catch(() => {});
}

/** What to do once the transaction a callback was registered in has committed (never on rollback). */
const commitCallbacks = new WeakMap<DbOrTx, (() => void)[]>();

/** Runs `work` in a transaction, joining the caller's when there already is one. */
export async function inTransaction<T>(db: DbOrTx, work: (trx: DbOrTx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  const callbacks: (() => void)[] = [];
  const result = await (db as Db).transaction().execute((trx) => {
    commitCallbacks.set(trx, callbacks);
    return work(trx);
  });
  for (const callback of callbacks) callback();
  return result;
}

/**
 * Runs `callback` once `db` has committed: at once outside a transaction, after the commit of a
 * transaction opened by `inTransaction`, and never when it rolls back. In a transaction opened
 * some other way it does nothing (the event dispatcher wakes itself after its own commits).
 */
export function afterCommit(db: DbOrTx, callback: () => void): void {
  if (db.isTransaction) commitCallbacks.get(db)?.push(callback);
  else callback();
}
