// Notifications of any kind (ADR 0030): a notification is (kind, subject, context) with ids only,
// no longer tied to a group, thread or post by its columns, so a private message, an event or an
// aid request has somewhere to go. Each member chooses per kind: in-app (the default, not stored)
// or off. The partial index of unread rows stays (ADR 0024); ids compare by code point on
// PostgreSQL as everywhere else (migration 0010). Migrations never import application code.
import { sql, SqliteAdapter, type Kysely, type RawBuilder } from 'kysely';

const discussionKinds = sql`('reply', 'thread', 'mention')`;
const groupKinds = sql`('join_request', 'join_approved', 'join_declined')`;

const isSqlite = (db: Kysely<any>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Text holding an id: compared by code point on both engines. */
function idType(db: Kysely<any>): RawBuilder<unknown> {
  return isSqlite(db) ? sql`text` : sql`text collate "C"`;
}

async function createIndexes(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
  await db.schema
    .createIndex('notifications_unread')
    .on('notifications')
    .column('user_id')
    .where(sql.ref('read'), '=', 0)
    .execute();
  await db.schema.createIndex('notifications_created').on('notifications').column('created_at').execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  await db.schema
    .createTable('notifications_next')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // What it is about (a post, a group, …), or null for notices about the account itself.
    .addColumn('subject_id', id)
    // A JSON object of ids only (`groupId`, `threadId`, …): never words of a post, never who acted.
    .addColumn('context', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  const object = (pairs: [string, RawBuilder<unknown>][]) => {
    const args = sql.join(pairs.flatMap(([k, v]) => [sql.lit(k), v]));
    return isSqlite(db) ? sql`json_object(${args})` : sql`json_build_object(${args})::text`;
  };
  const group = sql.ref('group_id');
  const thread = sql.ref('thread_id');
  await sql`insert into notifications_next (id, user_id, kind, subject_id, context, created_at, read)
    select id, user_id, kind,
      case when kind in ${discussionKinds} then post_id when kind in ${groupKinds} then group_id else null end,
      case
        when group_id is null then '{}'
        when thread_id is null then ${object([['groupId', group]])}
        else ${object([
          ['groupId', group],
          ['threadId', thread],
        ])}
      end,
      created_at, read
    from notifications`.execute(db);
  await db.schema.dropTable('notifications').execute();
  await db.schema.alterTable('notifications_next').renameTo('notifications').execute();
  await createIndexes(db);
  // Deleting a post, or a group's notices, finds its notifications without reading them all.
  await db.schema.createIndex('notifications_subject').on('notifications').column('subject_id').execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // 'off' only today: in-app is the default and is not stored.
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_preferences').execute();
  const id = idType(db);
  await db.schema
    .createTable('notifications_before')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('group_id', id, (c) => c.references('groups.id').onDelete('cascade'))
    .addColumn('thread_id', id, (c) => c.references('threads.id').onDelete('cascade'))
    .addColumn('post_id', id, (c) => c.references('posts.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  const field = (name: string) =>
    isSqlite(db) ? sql`json_extract(n.context, ${`$.${name}`})` : sql`(n.context::jsonb ->> ${name})`;
  // Only the kinds the old table knew, and only rows whose group, thread and post still exist.
  await sql`insert into notifications_before (id, user_id, kind, group_id, thread_id, post_id, created_at, read)
    select n.id, n.user_id, n.kind, g.id, t.id, p.id, n.created_at, n.read
    from notifications n
    left join groups g on g.id = ${field('groupId')}
    left join threads t on t.id = ${field('threadId')}
    left join posts p on p.id = n.subject_id and n.kind in ${discussionKinds}
    where n.kind = 'reset_code'
      or (n.kind in ${groupKinds} and g.id is not null)
      or (n.kind in ${discussionKinds} and g.id is not null and t.id is not null and p.id is not null)`.execute(db);
  await db.schema.dropTable('notifications').execute();
  await db.schema.alterTable('notifications_before').renameTo('notifications').execute();
  await createIndexes(db);
}
