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
  sqlite.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    engine: 'sqlite',
    sqlite,
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

function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  retained.push(sqlite, statements);
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        // Queries have a fixed set of shapes (values are bound), so this map stays small.
        statement = sqlite.prepare(sql);
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
    types: types as pg.CustomTypesConfig,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
    async close() {
      await db.destroy();
    },
  };
}

export async function isReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` in a transaction, joining the caller's when there already is one. */
export async function inTransaction<T>(db: DbOrTx, work: (trx: DbOrTx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return (db as Db).transaction().execute(work);
}
