// Invites carry the inviter, the invite tree, approval registration and frozen branches (issue 11,
// ADR 0051). Every account remembers who brought it in (the maker of the invite it registered
// with); an account whose inviter is deleted becomes a root of the tree. A moderator may stop the
// invites of a whole branch (`invites_frozen_at`): the invites its accounts made stop working and
// they can make no new ones. In approval mode an applicant's account waits in `applications`
// with its answers to the instance's questions, which are deleted once a moderator decides.
// Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const key = sqlite ? sql`text` : sql`text collate "C"`;

  await db.schema
    .alterTable('users')
    .addColumn('invited_by', key, (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('users').addColumn('invites_frozen_at', 'bigint').execute();
  await db.schema.createIndex('users_invited_by').on('users').column('invited_by').execute();

  await db.schema
    .createTable('applications')
    .addColumn('id', key, (c) => c.primaryKey())
    // One application per account; it goes with the account.
    .addColumn('user_id', key, (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    // The applicant's answers as a JSON array of strings: their words, deleted once decided.
    .addColumn('answers', 'text')
    // What the moderator who declined wrote to the applicant, shown once at their next sign-in.
    .addColumn('message', 'text')
    .addColumn('decided_by', key, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('applications_queue')
    .on('applications')
    .columns(['status', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('applications').execute();
  await db.schema.dropIndex('users_invited_by').execute();
  for (const column of ['invites_frozen_at', 'invited_by']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}
