// Private conversations' declined requests (issue 13, ADR 0063). Declining a first message takes the
// recipient out of the conversation, yet the sender's view must not change: a decline, a decline
// with a block and a request not yet read look the same to them. This table remembers who declined,
// so the conversation still names them to its participants as it did before, and so the sender
// writing again to the same person posts into the same conversation instead of asking again.
// Ids only; both sides go with the conversation or the account (cascade).
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const key = sqlite ? sql`text` : sql`text collate "C"`;
  await db.schema
    .createTable('chat_declines')
    .addColumn('chat_id', key, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('user_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('chat_declines_pk', ['chat_id', 'user_id'])
    .execute();
  await db.schema.createIndex('chat_declines_user').on('chat_declines').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chat_declines').execute();
}
