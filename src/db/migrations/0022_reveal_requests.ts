// Revealing the author of an anonymous post (ADR 0049): an instance administrator asks, with a
// reason; a second administrator or instance moderator approves or declines; the requester alone is
// shown the author, once. The row never holds the author: the post's sealed box does (ADR 0012),
// opened only when it is shown. Requests go with the post (cascade) and with the requester's
// account (cascade); the approver is forgotten by the moderation module's eraser. Ids compare by code
// point (collate "C" on PostgreSQL, as migration 0010 set). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const key = db.getExecutor().adapter instanceof SqliteAdapter ? sql`text` : sql`text collate "C"`;
  await db.schema
    .createTable('reveal_requests')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('post_id', key, (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('requester_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    // pending → approved | declined
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    // Erased (set null) with the account, by the moderation module.
    .addColumn('decided_by', key)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    // When the requester was shown the author: once, never again.
    .addColumn('shown_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('reveal_requests_status')
    .on('reveal_requests')
    .columns(['status', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('reveal_requests_requester').on('reveal_requests').column('requester_id').execute();
  await db.schema.createIndex('reveal_requests_post').on('reveal_requests').column('post_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reveal_requests').execute();
}
