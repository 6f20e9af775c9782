// Chat (issue 13, ADR 0060): rooms in groups (or instance-wide) and private conversations share one
// table, `chats`, so messages, timers, unread markers and real-time delivery are written once.
// Every change to a chat's messages takes the next number of that chat (`chats.last_seq`): a
// message keeps the number it was posted with (`posted_seq`, history's order and the unread
// markers) and takes a new one at each edit, unsend, reaction or timer change (`changed_seq`, what
// a reconnecting client resumes from). Messages hold their words only until unsent or expired:
// `body` is then gone, and a tombstone without author or words stays a day so clients hear of it.
// Rows naming an account go with it (cascade). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const key = sqlite ? sql`text` : sql`text collate "C"`;

  await db.schema
    .createTable('chats')
    .addColumn('id', key, (c) => c.primaryKey())
    // room or conversation
    .addColumn('kind', 'text', (c) => c.notNull())
    // Rooms of a group; null for instance-wide rooms and for conversations.
    .addColumn('group_id', key, (c) => c.references('groups.id').onDelete('cascade'))
    // Rooms only; conversations are named by their participants.
    .addColumn('name', 'text')
    // Seconds after which a new message disappears; null: off.
    .addColumn('timer_seconds', 'integer')
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    // Tombstones up to this number are gone: a client resuming from before it reloads instead.
    .addColumn('purged_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_message_at', 'bigint')
    .execute();
  await db.schema.createIndex('chats_group').on('chats').columns(['group_id', 'kind']).execute();

  // Who is in a private conversation: `active`, or `requested` until they accept a stranger's first message.
  await db.schema
    .createTable('chat_participants')
    .addColumn('chat_id', key, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('user_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_participants_pk', ['chat_id', 'user_id'])
    .execute();
  await db.schema.createIndex('chat_participants_user').on('chat_participants').columns(['user_id', 'state']).execute();

  // Each member's place in each chat they opened: the number of the last message they saw.
  await db.schema
    .createTable('chat_reads')
    .addColumn('chat_id', key, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('user_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('read_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_reads_pk', ['user_id', 'chat_id'])
    .execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', key, (c) => c.primaryKey())
    .addColumn('chat_id', key, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    // message, timer (a change of the timer, shown as an event) or unsent (a tombstone)
    .addColumn('kind', 'text', (c) => c.notNull())
    // Null for anonymous messages, events and tombstones.
    .addColumn('author_id', key, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    // Anonymous messages only: keyed hash of chat and author, and the pseudonym it gives.
    .addColumn('author_ref', 'text')
    .addColumn('pseudonym', 'integer')
    .addColumn('body', 'text')
    .addColumn('warning', 'text')
    // The message answered; no foreign key: it may be unsent or expire first.
    .addColumn('reply_to_id', key)
    // timer events: the new timer (null: off); who set it is not kept.
    .addColumn('timer_seconds', 'integer')
    .addColumn('posted_seq', 'bigint', (c) => c.notNull())
    .addColumn('changed_seq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('edited_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('chat_messages_posted').on('chat_messages').columns(['chat_id', 'posted_seq']).execute();
  await db.schema
    .createIndex('chat_messages_changed')
    .on('chat_messages')
    .columns(['chat_id', 'changed_seq'])
    .execute();
  await db.schema.createIndex('chat_messages_expiry').on('chat_messages').column('expires_at').execute();
  await db.schema.createIndex('chat_messages_author').on('chat_messages').column('author_id').execute();

  // Reactions are shown as counts only; who reacted is kept so each may take theirs back.
  await db.schema
    .createTable('chat_reactions')
    .addColumn('message_id', key, (c) => c.notNull().references('chat_messages.id').onDelete('cascade'))
    .addColumn('user_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_reactions_pk', ['message_id', 'user_id', 'kind'])
    .execute();

  // Who may start a private conversation with them: anyone, shared_group (the default) or nobody.
  await db.schema
    .alterTable('users')
    .addColumn('messaging', 'text', (c) => c.notNull().defaultTo('shared_group'))
    .execute();
  // The timer new rooms of the group start with, chosen by its owner; null: off.
  await db.schema.alterTable('groups').addColumn('room_timer_seconds', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').dropColumn('room_timer_seconds').execute();
  await db.schema.alterTable('users').dropColumn('messaging').execute();
  for (const table of ['chat_reactions', 'chat_messages', 'chat_reads', 'chat_participants', 'chats'])
    await db.schema.dropTable(table).execute();
}
