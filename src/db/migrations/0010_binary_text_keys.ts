// Keys compare and sort by code point on both engines (ADR 0026). SQLite compares text that way
// already (BINARY); PostgreSQL uses the database's locale, so ids, usernames' keys and tag keys get
// the "C" collation here: pages ordered by id, and prefix ranges over keys, give the same answers
// on both. Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

/** Text columns that hold ids or keys: `id`, `key`, `*_id`, `*_key`. */
async function keyColumns(db: Kysely<any>): Promise<{ table_name: string; column_name: string }[]> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema()
      and t.table_type = 'BASE TABLE'
      and t.table_name not like 'kysely\\_%'
      and c.data_type = 'text'
      and (c.column_name in ('id', 'key') or c.column_name like '%\\_id' or c.column_name like '%\\_key')
    order by c.table_name, c.column_name`.execute(db);
  return rows;
}

async function collate(db: Kysely<any>, collation: 'C' | 'default'): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  for (const { table_name, column_name } of await keyColumns(db)) {
    await sql`alter table ${sql.id(table_name)} alter column ${sql.id(column_name)} type text collate ${sql.id(collation)}`.execute(
      db,
    );
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await collate(db, 'C');
}

export async function down(db: Kysely<any>): Promise<void> {
  await collate(db, 'default');
}
