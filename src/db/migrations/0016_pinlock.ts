// Pinned and locked threads (ADR 0039). A thread is pinned from `pinned_at` (null: not pinned) and
// locked from `locked_at`, with the reason its moderators gave, which every reader of the thread is
// shown. The audit log gains the reason moderators gave for an action and the record inside the
// subject it touched (`target_id`: a thread of the group), so the moderation log can say what was
// done to what, and why. Ids compare by code point (collate "C" on PostgreSQL, as migration 0010
// set). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.alterTable('threads').addColumn('pinned_at', 'bigint').execute();
  await db.schema.alterTable('threads').addColumn('locked_at', 'bigint').execute();
  await db.schema.alterTable('threads').addColumn('lock_reason', 'text').execute();
  // The pinned threads of a group, most recently pinned first: a handful per group at most.
  await db.schema
    .createIndex('threads_pinned')
    .on('threads')
    .columns(['group_id', 'pinned_at', 'id'])
    .where(sql.ref('pinned_at'), 'is not', null)
    .execute();
  await db.schema.alterTable('audit_log').addColumn('reason', 'text').execute();
  await db.schema
    .alterTable('audit_log')
    .addColumn('target_id', sqlite ? sql`text` : sql`text collate "C"`)
    .execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').column('target_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_target').execute();
  await db.schema.alterTable('audit_log').dropColumn('target_id').execute();
  await db.schema.alterTable('audit_log').dropColumn('reason').execute();
  await db.schema.dropIndex('threads_pinned').execute();
  await db.schema.alterTable('threads').dropColumn('lock_reason').execute();
  await db.schema.alterTable('threads').dropColumn('locked_at').execute();
  await db.schema.alterTable('threads').dropColumn('pinned_at').execute();
}
