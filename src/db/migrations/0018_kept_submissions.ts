// Text a member was sending when their session had ended (ADR 0041): kept once, for a day at most,
// until they sign in again. The row names nobody: the SHA-256 of a random token the browser holds
// in a cookie, and the words sealed with a key derived from that token, so the database alone
// reveals neither what was written nor where. Migrations never import application code.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kept_submissions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kept_submissions_expires_at').on('kept_submissions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kept_submissions').execute();
}
