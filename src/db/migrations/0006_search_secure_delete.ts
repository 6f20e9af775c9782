import { type Kysely, sql, SqliteAdapter } from 'kysely';

/**
 * SQLite's full-text index keeps a deleted post's words as delete markers until its segments are
 * merged, in the main file, where `secure_delete` does not reach them. FTS5's own `secure-delete`
 * option removes them from the index at once; `optimize` merges away the markers left so far.
 * PostgreSQL keeps its search text in ordinary rows (dead rows until vacuum: docs/THREAT-MODEL.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`insert into search_fts(search_fts, rank) values ('secure-delete', 1)`.execute(db);
  await sql`insert into search_fts(search_fts) values ('optimize')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`insert into search_fts(search_fts, rank) values ('secure-delete', 0)`.execute(db);
}
