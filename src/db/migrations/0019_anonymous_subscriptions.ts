// Anonymous authors who ask to hear of replies (ADR 0043): a thread and the same keyed hash their
// anonymous post already carries, never an account id, so the database alone does not link a member
// to the subscription or the post. `seen_at` is the time of the newest reply the author was shown
// (a post's time, never the time they looked). Ids compare by code point (collate "C" on PostgreSQL,
// as migration 0010 set for every key). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const key = db.getExecutor().adapter instanceof SqliteAdapter ? sql`text` : sql`text collate "C"`;
  await db.schema
    .createTable('anonymous_subscriptions')
    .addColumn('thread_id', key, (c) => c.notNull().references('threads.id').onDelete('cascade'))
    // HMAC(instance key, thread and author): the posts' own `author_ref`.
    .addColumn('author_ref', key, (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('anonymous_subscriptions_pk', ['thread_id', 'author_ref'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('anonymous_subscriptions').execute();
}
