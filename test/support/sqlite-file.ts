import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** Every raw connection and statement a test opened, referenced until the process ends (ADR 0010). */
const retained: unknown[] = [];

/**
 * Opens a SQLite file directly, for tests that inspect a backup or build a large database. On
 * Node 24, better-sqlite3 12 aborts the process if the garbage collector finalises a connection
 * or statement at exit, so neither may ever become garbage: both are kept here.
 */
export function openSqliteFile(file: string, options?: SQLite.Options): SQLite.Database {
  const db = new SQLite(file, options);
  retained.push(db);
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    retained.push(statement);
    return statement;
  }) as typeof db.prepare;
  // pragma() prepares a statement of its own, out of reach of the wrapper above: go through it.
  db.pragma = ((source: string, pragmaOptions?: SQLite.PragmaOptions) => {
    const statement = db.prepare(`PRAGMA ${source}`);
    return pragmaOptions?.simple ? statement.pluck().get() : statement.all();
  }) as typeof db.pragma;
  return db;
}

/** Every file of the database in `dataDir` (main file, -wal, -shm), read as bytes, that still holds `word`. */
export function databaseFilesHolding(dataDir: string, word: string): string[] {
  const needle = Buffer.from(word, 'utf8');
  return fs
    .readdirSync(dataDir)
    .filter((name) => name.startsWith('sanad.db'))
    .filter((name) => fs.readFileSync(path.join(dataDir, name)).includes(needle));
}

/** A word found nowhere else, so finding it on disk means finding this copy. */
export const distinctive = (label: string) => `${label}${Math.random().toString(36).slice(2, 10)}`;
