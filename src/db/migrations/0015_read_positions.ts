// Each member's place in each thread they opened (ADR 0038): the last post they were shown, as
// the thread orders its posts (created_at, id). Their own data: it goes with the account and with
// the thread. No time of reading is kept, only how far. The post is a position, not a reference:
// it stays meaningful after that post is deleted. Ids compare by code point on both engines
// (migration 0010). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely, type RawBuilder } from 'kysely';

function idType(db: Kysely<any>): RawBuilder<unknown> {
  return db.getExecutor().adapter instanceof SqliteAdapter ? sql`text` : sql`text collate "C"`;
}

export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  await db.schema
    .createTable('thread_reads')
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('thread_id', id, (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('post_created_at', 'bigint', (c) => c.notNull())
    .addColumn('post_id', id, (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_reads_pk', ['user_id', 'thread_id'])
    .execute();
  // Deleting a thread deletes its read positions: found by thread.
  await db.schema.createIndex('thread_reads_thread').on('thread_reads').column('thread_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('thread_reads').execute();
}
