// Anonymity that holds (ADR 0018, ADR 0019): bans through an anonymous post kept as keyed hashes,
// notifications that belong to an account rather than a group, and reset codes that a second
// administrator approves. Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('anonymous_bans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    // HMAC(instance key, group and author): the database alone does not say who was banned.
    .addColumn('author_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('anonymous_bans_once', ['group_id', 'author_key'])
    .execute();

  await db.schema
    .createTable('reset_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('reset_requests_once', ['user_id'])
    .execute();

  // Notifications about one's account (a reset code issued) belong to no group.
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    // SQLite cannot drop NOT NULL in place: rebuild the table (nothing references it).
    await db.schema
      .createTable('notifications_next')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.references('groups.id').onDelete('cascade'))
      .addColumn('thread_id', 'text', (c) => c.references('threads.id').onDelete('cascade'))
      .addColumn('post_id', 'text', (c) => c.references('posts.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`insert into notifications_next (id, user_id, kind, group_id, thread_id, post_id, created_at, read)
      select id, user_id, kind, group_id, thread_id, post_id, created_at, read from notifications`.execute(db);
    await db.schema.dropTable('notifications').execute();
    await db.schema.alterTable('notifications_next').renameTo('notifications').execute();
    await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
  } else {
    await db.schema
      .alterTable('notifications')
      .alterColumn('group_id', (c) => c.dropNotNull())
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('notifications').where('group_id', 'is', null).execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await db.schema
      .alterTable('notifications')
      .alterColumn('group_id', (c) => c.setNotNull())
      .execute();
  }
  await db.schema.dropTable('reset_requests').execute();
  await db.schema.dropTable('anonymous_bans').execute();
}
