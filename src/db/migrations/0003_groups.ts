// Groups, their members and discussions, reactions, watching and notifications.
// Migrations never import application code: they describe tables as they were on the day they ran.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // Space-separated locale codes of the languages the group talks in.
    .addColumn('languages', 'text', (c) => c.notNull())
    // ISO 3166-1 alpha-2, or null for groups not tied to a place.
    .addColumn('country', 'text')
    .addColumn('city', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('members_list_open', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('anonymous_posting', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON array of up to three questions asked of people who ask to join a private group.
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('groups_listing').on('groups').columns(['visibility', 'last_activity_at']).execute();

  await db.schema
    .createTable('group_tags')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    // The label normalised for matching (case, Arabic letter forms, digits).
    .addColumn('key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_tags_pk', ['group_id', 'kind', 'key'])
    .execute();
  await db.schema.createIndex('group_tags_key').on('group_tags').columns(['key', 'group_id']).execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').columns(['user_id', 'group_id']).execute();

  await db.schema
    .createTable('group_bans')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Banned from an anonymous post: moderators see the ban, never the name.
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_bans_pk', ['group_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('join_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // JSON array of answers, in the order of the group's questions when the request was made.
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('join_requests_once', ['group_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('group_invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('uses_left', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_invites_group').on('group_invites').column('group_id').execute();

  await db.schema
    .createTable('threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('opening_post_id', 'text')
    .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('threads_by_activity')
    .on('threads')
    .columns(['group_id', 'last_activity_at', 'id'])
    .execute();

  await db.schema
    .createTable('posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    // Null for anonymous posts and for the tombstone of a deleted opening post.
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    // Anonymous posts: a keyed hash of thread and author (recognises the author's own posts in the
    // thread), the author's id encrypted under the instance key (for bans and account deletion),
    // and the number of the pseudonym shown.
    .addColumn('author_ref', 'text')
    .addColumn('author_box', 'text')
    .addColumn('pseudonym', 'integer')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('warning', 'text')
    .addColumn('warning_text', 'text')
    .addColumn('quote_post_id', 'text', (c) => c.references('posts.id').onDelete('set null'))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('edited_at', 'bigint')
    .execute();
  await db.schema.createIndex('posts_in_thread').on('posts').columns(['thread_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('posts_author').on('posts').column('author_id').execute();
  await db.schema.createIndex('posts_anonymous').on('posts').columns(['anonymous', 'id']).execute();

  await db.schema
    .createTable('reactions')
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reactions_pk', ['post_id', 'user_id', 'kind'])
    .execute();
  await db.schema.createIndex('reactions_user').on('reactions').column('user_id').execute();

  await db.schema
    .createTable('thread_watches')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('thread_watches_pk', ['user_id', 'thread_id'])
    .execute();
  await db.schema.createIndex('thread_watches_thread').on('thread_watches').column('thread_id').execute();

  await db.schema
    .createTable('group_watches')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_watches_pk', ['user_id', 'group_id'])
    .execute();
  await db.schema.createIndex('group_watches_group').on('group_watches').column('group_id').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('thread_id', 'text', (c) => c.references('threads.id').onDelete('cascade'))
    .addColumn('post_id', 'text', (c) => c.references('posts.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('warning_preferences')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('warning', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('warning_preferences_pk', ['user_id', 'warning'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'warning_preferences',
    'notifications',
    'group_watches',
    'thread_watches',
    'reactions',
    'posts',
    'threads',
    'group_invites',
    'join_requests',
    'group_bans',
    'group_members',
    'group_tags',
    'groups',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
