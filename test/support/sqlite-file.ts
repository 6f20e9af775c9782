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
