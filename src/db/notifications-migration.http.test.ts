// Migration 0012 moves existing notifications onto (kind, subject, context) on both engines, and back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../test/support/community.js';
import { newId } from '../security/tokens.js';
import { migrateTo, migrateToLatest } from './migrate.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

async function schema(): Promise<string | undefined> {
  if (rt.ctx.engine !== 'postgres') return undefined;
  return (await sql<{ s: string }>`select current_schema() as s`.execute(rt.ctx.db)).rows[0]!.s;
}

test('existing notifications keep their meaning: group, thread and post become subject and context', async () => {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { name: 'Migrated circle' });
  const { threadId, postId } = await threadIn(owner.api, group.id, { title: 'Migrated topic' });
  const pg = await schema();
  await migrateTo(rt.ctx.db, '0010_binary_text_keys', pg);

  const now = Date.now();
  const rows: [string, string | null, string | null, string | null][] = [
    ['reply', group.id, threadId, postId],
    ['thread', group.id, threadId, postId],
    ['mention', group.id, threadId, postId],
    ['join_request', group.id, null, null],
    ['join_approved', group.id, null, null],
    ['join_declined', group.id, null, null],
    ['reset_code', null, null, null],
  ];
  for (const [i, [kind, groupId, thread, post]] of rows.entries()) {
    await sql`insert into notifications (id, user_id, kind, group_id, thread_id, post_id, created_at, read)
      values (${newId()}, ${owner.user.id}, ${kind}, ${groupId}, ${thread}, ${post}, ${now - i}, 0)`.execute(rt.ctx.db);
  }
  await migrateToLatest(rt.ctx.db, pg);

  const migrated = await rt.ctx.db
    .selectFrom('notifications')
    .select(['kind', 'subject_id', 'context'])
    .where('user_id', '=', owner.user.id)
    .orderBy('created_at', 'desc')
    .execute();
  assert.deepEqual(
    migrated.map((r) => [r.kind, r.subject_id, JSON.parse(r.context)]),
    [
      ['reply', postId, { groupId: group.id, threadId }],
      ['thread', postId, { groupId: group.id, threadId }],
      ['mention', postId, { groupId: group.id, threadId }],
      ['join_request', group.id, { groupId: group.id }],
      ['join_approved', group.id, { groupId: group.id }],
      ['join_declined', group.id, { groupId: group.id }],
      ['reset_code', null, {}],
    ],
  );
  const shown = (await owner.api.get('/api/v1/notifications')).json();
  assert.equal(shown.notifications.length, 7, 'every one still shown');
  assert.equal(shown.unread, 7, 'and counted');
  assert.match(shown.notifications[0].text, /Migrated topic/);

  if (rt.ctx.engine === 'postgres') {
    const collations = await sql<{ column_name: string; collation_name: string | null }>`
      select column_name, collation_name from information_schema.columns
      where table_schema = current_schema() and table_name in ('notifications', 'notification_preferences')
        and column_name in ('id', 'user_id', 'subject_id') order by table_name, column_name`.execute(rt.ctx.db);
    assert.ok(
      collations.rows.length === 4 && collations.rows.every((r) => r.collation_name === 'C'),
      JSON.stringify(collations.rows),
    );
  }
  const indexes =
    rt.ctx.engine === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = 'notifications'`.execute(rt.ctx.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes
          where schemaname = current_schema() and tablename = 'notifications'`.execute(rt.ctx.db);
  const names = indexes.rows.map((r) => r.name);
  for (const name of ['notifications_unread', 'notifications_user', 'notifications_created', 'notifications_subject'])
    assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
});

test('going back restores the old columns for the kinds they knew', async () => {
  const owner = await member(rt, 'back');
  const group = await createGroupAs(owner.api, { name: 'Reverted circle' });
  const { threadId, postId } = await threadIn(owner.api, group.id, { title: 'Reverted topic' });
  const now = Date.now();
  await rt.ctx.db
    .insertInto('notifications')
    .values([
      {
        id: newId(),
        user_id: owner.user.id,
        kind: 'reply',
        subject_id: postId,
        context: JSON.stringify({ groupId: group.id, threadId }),
        created_at: now,
        read: 0,
      },
      {
        id: newId(),
        user_id: owner.user.id,
        kind: 'join_approved',
        subject_id: group.id,
        context: JSON.stringify({ groupId: group.id }),
        created_at: now - 1,
        read: 1,
      },
      {
        id: newId(),
        user_id: owner.user.id,
        kind: 'some_future_kind',
        subject_id: 'x',
        context: '{}',
        created_at: now - 2,
        read: 0,
      },
    ])
    .execute();
  const pg = await schema();
  await migrateTo(rt.ctx.db, '0010_binary_text_keys', pg);
  const old = await sql<{ kind: string; group_id: string | null; thread_id: string | null; post_id: string | null }>`
    select kind, group_id, thread_id, post_id from notifications where user_id = ${owner.user.id}
    order by created_at desc`.execute(rt.ctx.db);
  assert.deepEqual(
    old.rows.map((r) => [r.kind, r.group_id, r.thread_id, r.post_id]),
    [
      ['reply', group.id, threadId, postId],
      ['join_approved', group.id, null, null],
    ],
  );
  await migrateToLatest(rt.ctx.db, pg);
});
