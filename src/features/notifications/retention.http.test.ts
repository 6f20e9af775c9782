import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { serviceContext } from '../../app-context.js';
import { newId } from '../../security/tokens.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { notificationRetention, pruneNotifications, unreadCount, unreadCountCap, unreadQuery } from './service.js';
import { startJobRunner } from '../../jobs/runner.js';
import { notificationJobs } from './jobs.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const day = 86_400_000;

async function store(userId: string, groupId: string, rows: { read: boolean; ageMs: number }[], now = Date.now()) {
  for (let i = 0; i < rows.length; i += 500) {
    await rt.ctx.db
      .insertInto('notifications')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          id: newId(),
          user_id: userId,
          kind: 'join_approved',
          subject_id: groupId,
          context: JSON.stringify({ groupId }),
          created_at: now - r.ageMs,
          read: r.read ? 1 : 0,
        })),
      )
      .execute();
  }
}

async function plan(userId: string): Promise<string> {
  const query = unreadQuery(rt.ctx.db, userId).compile();
  const prefix = rt.ctx.engine === 'sqlite' ? 'explain query plan ' : 'explain ';
  const result = await rt.ctx.db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
  );
  return result.rows.map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
}

describe('the unread count', () => {
  test('reads only unread rows through their partial index, whatever a member has stored', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api);
    const heavy = await browserMember(rt);
    await store(
      heavy.user.id,
      group.id,
      Array.from({ length: 20_000 }, (_, i) => ({ read: i >= 3, ageMs: i * 1000 })),
    );
    await sql`analyze`.execute(rt.ctx.db);
    assert.match(await plan(heavy.user.id), /notifications_unread/, 'the count uses the index of unread rows');
    assert.equal(
      await unreadCount(serviceContext(rt.ctx), {
        kind: 'user',
        id: heavy.user.id,
        username: heavy.user.username,
        role: 'member',
      }),
      3,
    );
    assert.match((await heavy.web.get('/')).body, /class="count-badge">3</);
  });

  test('stops counting at the cap, and the badge says 99+', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api);
    const flooded = await browserMember(rt);
    await store(
      flooded.user.id,
      group.id,
      Array.from({ length: 2_000 }, (_, i) => ({ read: false, ageMs: i })),
    );
    assert.equal((await flooded.web.get('/api/v1/notifications')).json().unread, unreadCountCap);
    assert.match((await flooded.web.get('/')).body, /class="count-badge">99\+</);
    assert.match((await flooded.web.get('/')).body, /<title>99\+ new notifications<\/title>/);
  });

  test('rows that show as nothing do not hide the visible ones from the count', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api);
    const reader = await browserMember(rt);
    // Three hundred unread rows about a group the reader cannot see (a kind no module declares
    // renders as nothing just the same), then two the reader can.
    await rt.ctx.db
      .insertInto('notifications')
      .values(
        Array.from({ length: 300 }, (_, i) => ({
          id: `0000${String(i).padStart(4, '0')}`,
          user_id: reader.user.id,
          kind: 'no_such_kind',
          subject_id: group.id,
          context: JSON.stringify({ groupId: group.id }),
          created_at: Date.now(),
          read: 0,
        })),
      )
      .execute();
    await store(reader.user.id, group.id, [
      { read: false, ageMs: 0 },
      { read: false, ageMs: 1 },
    ]);
    assert.equal((await reader.web.get('/api/v1/notifications')).json().unread, 2);
    assert.match((await reader.web.get('/')).body, /class="count-badge">2</);
  });
});

describe('retention', () => {
  test('read notifications go after 30 days, unread ones after 90; newer ones and other rows stay', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api);
    const reader = await member(rt);
    const now = Date.now();
    const { readDays, allDays } = notificationRetention;
    await store(
      reader.user.id,
      group.id,
      [
        { read: true, ageMs: (readDays - 1) * day }, // kept
        { read: true, ageMs: (readDays + 1) * day }, // deleted
        { read: false, ageMs: (readDays + 1) * day }, // kept: not read yet
        { read: false, ageMs: (allDays - 1) * day }, // kept
        { read: false, ageMs: (allDays + 1) * day }, // deleted
        { read: true, ageMs: (allDays + 1) * day }, // deleted
      ],
      now,
    );
    const ages = async () =>
      (
        await rt.ctx.db
          .selectFrom('notifications')
          .select(['created_at', 'read'])
          .where('user_id', '=', reader.user.id)
          .orderBy('created_at', 'desc')
          .execute()
      ).map((r) => [Math.round((now - r.created_at) / day), r.read]);
    assert.equal(
      await pruneNotifications({ ...serviceContext(rt.ctx), now }, 2),
      3,
      'small batches still remove every expired row',
    );
    assert.deepEqual(await ages(), [
      [readDays - 1, 1],
      [readDays + 1, 0],
      [allDays - 1, 0],
    ]);
    assert.equal(await pruneNotifications({ ...serviceContext(rt.ctx), now }), 0, 'running again changes nothing');
  });

  test('runs by itself as a scheduled job of the worker, and again an hour later', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api);
    const reader = await member(rt);
    await store(reader.user.id, group.id, [{ read: true, ageMs: (notificationRetention.readDays + 1) * day }]);
    const warnings: string[] = [];
    const runner = startJobRunner(rt.ctx, notificationJobs, {
      info: () => {},
      warn: (_o, msg) => warnings.push(msg),
    });
    const left = async () =>
      (await rt.ctx.db.selectFrom('notifications').select('id').where('user_id', '=', reader.user.id).execute()).length;
    try {
      const deadline = Date.now() + 5000;
      while ((await left()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(await left(), 0, 'the first run comes at the start');
      await store(reader.user.id, group.id, [{ read: true, ageMs: (notificationRetention.readDays + 1) * day }]);
      await runner.drain();
      assert.equal(await left(), 1, 'not again before the hour is up');
      rt.advance(60 * 60_000);
      await runner.drain();
      assert.equal(await left(), 0, 'an hour later it runs again');
    } finally {
      await runner.stop();
      rt.advance(-60 * 60_000);
    }
    assert.deepEqual(warnings, []);
  });
});
