// Drafts (ADR 0040): what a member wrote and has not posted yet, one per member and place: a reply
// in a thread (`thread:<id>`) or a new thread in a group (`group:<id>`). Only its author ever sees
// it; it goes when the post is published, when it is discarded, with the account, the thread or the
// group (cascade), when its author leaves the group, and 30 days after its last change. No draft is
// kept for an anonymous post. Ids compare by code point (collate "C" on PostgreSQL, as migration
// 0010 set). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = !(db.getExecutor().adapter instanceof SqliteAdapter);
  const id = postgres ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable('drafts')
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('place', id, (c) => c.notNull())
    .addColumn('group_id', id, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('thread_id', id, (c) => c.references('threads.id').onDelete('cascade'))
    // New threads only.
    .addColumn('title', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('warning', 'text')
    .addColumn('warning_text', 'text')
    // Replies only: checked again when the draft is shown and when it is posted.
    .addColumn('quote_post_id', id)
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('drafts_pk', ['user_id', 'place'])
    .execute();
  // The expiry job finds old drafts without reading them all; a departing member's by group.
  await db.schema.createIndex('drafts_updated').on('drafts').column('updated_at').execute();
  await db.schema.createIndex('drafts_group').on('drafts').columns(['group_id', 'user_id']).execute();
  await db.schema.createIndex('drafts_thread').on('drafts').column('thread_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('drafts').execute();
}
