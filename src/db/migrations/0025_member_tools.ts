// Member tools (issue 11, ADR 0052): blocks and mutes between accounts, watched words per instance
// and per group, and slow mode per group or thread. Every row naming an account goes with it
// (cascade); a watched word goes with its group. Watched words keep the phrase as a moderator wrote
// it and its normalised form, the one matching reads. Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const key = sqlite ? sql`text` : sql`text collate "C"`;

  for (const [table, subject, object] of [
    ['blocks', 'blocker_id', 'blocked_id'],
    ['mutes', 'muter_id', 'muted_id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(subject, key, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn(object, key, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [subject, object])
      .execute();
    // The other direction of the relation, read on every request for blocks.
    await db.schema.createIndex(`${table}_${object}`).on(table).columns([object, subject]).execute();
  }

  await db.schema
    .createTable('watched_words')
    .addColumn('id', key, (c) => c.primaryKey())
    // Null: the instance's own list, applied in every group.
    .addColumn('group_id', key, (c) => c.references('groups.id').onDelete('cascade'))
    .addColumn('phrase', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    // block, hold or flag
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watched_words_group').on('watched_words').columns(['group_id', 'normalized']).execute();

  await db.schema
    .alterTable('groups')
    .addColumn('slow_mode_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('threads')
    .addColumn('slow_mode_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').dropColumn('slow_mode_seconds').execute();
  await db.schema.alterTable('groups').dropColumn('slow_mode_seconds').execute();
  await db.schema.dropTable('watched_words').execute();
  await db.schema.dropTable('mutes').execute();
  await db.schema.dropTable('blocks').execute();
}
