// Trust levels earned and vouched for (issue 11, ADR 0050). A level a moderator set holds against the
// automatic rules: `users.trust_set_at` says when (null: the rules decide). A vouch is one trusted
// member standing up for another; it goes with either account. Ids compare by code point (collate "C"
// on PostgreSQL, as migration 0010 set). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const key = db.getExecutor().adapter instanceof SqliteAdapter ? sql`text` : sql`text collate "C"`;
  await db.schema.alterTable('users').addColumn('trust_set_at', 'bigint').execute();
  await db.schema
    .createTable('vouches')
    .addColumn('voucher_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('vouchee_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('vouches_pk', ['voucher_id', 'vouchee_id'])
    .execute();
  await db.schema.createIndex('vouches_vouchee').on('vouches').column('vouchee_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vouches').execute();
  await db.schema.alterTable('users').dropColumn('trust_set_at').execute();
}
