import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inTransaction } from '../db/database.js';
import { createTestRuntime, testEngine, type TestRuntime } from '../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../test/support/community.js';
import type { Runtime } from '../bootstrap.js';
import { newId } from '../security/tokens.js';
import { startDispatcher, type RegisteredSubscriber } from './dispatcher.js';
import { recordEvent } from './outbox.js';
import type { AnyDomainEvent, EventSubscriber } from './types.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({}, {}, { deliverEvents: false });
});
after(async () => rt.close());

const quiet = { info: () => {}, warn: () => {} };
const registered = (name: string, subscriber: Omit<EventSubscriber, 'name'>): RegisteredSubscriber[] => [
  { key: `test.${name}`, subscriber: { name, ...subscriber } },
];
/** A group id of this test only, so events of other tests are told apart. */
const tag = () => `g_${newId()}`;

async function outboxRows(runtime: Runtime = rt) {
  const events = await runtime.ctx.db.selectFrom('outbox_events').selectAll().execute();
  const deliveries = await runtime.ctx.db.selectFrom('outbox_deliveries').selectAll().execute();
  return { events, deliveries };
}

async function until(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('services record what happened, ids only', () => {
  test('a thread, a named reply and an anonymous reply; the anonymous author is named nowhere', async () => {
    const owner = await member(rt);
    const writer = await member(rt);
    const group = await createGroupAs(owner.api, { anonymousPosting: true });
    assert.equal((await writer.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status < 300, true);
    const { threadId, postId } = await threadIn(owner.api, group.id, { body: `Hello @${writer.user.username}` });
    const named = await writer.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'A named reply' });
    const anonymous = await writer.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: 'A reply without my name',
      anonymous: true,
    });
    assert.equal(anonymous.status, 201, anonymous.body);
    const rows = (await outboxRows()).events.filter((e) => e.payload.includes(group.id));
    const byType = (type: string) => rows.filter((e) => e.type === type).map((e) => JSON.parse(e.payload));
    assert.deepEqual(byType('group.created'), [{ groupId: group.id, ownerId: owner.user.id }]);
    assert.deepEqual(byType('member.joined'), [{ groupId: group.id, userId: writer.user.id, via: 'open' }]);
    const posts = byType('post.created');
    assert.deepEqual(posts[0], {
      groupId: group.id,
      threadId,
      postId,
      opening: true,
      anonymous: false,
      authorId: owner.user.id,
      mentionedUserIds: [writer.user.id],
    });
    assert.equal(posts[1].authorId, writer.user.id);
    assert.equal(posts[1].postId, named.json().post.id);
    const hidden = rows.find((e) => e.type === 'post.created' && JSON.parse(e.payload).anonymous === true)!;
    assert.equal(JSON.parse(hidden.payload).authorId, null);
    assert.ok(!hidden.payload.includes(writer.user.id), 'the anonymous post’s event holds no id of its author');
    assert.ok(!rows.some((e) => e.payload.includes('reply')), 'no words of a post');
  });

  test('a revoked session, with the sessions it ended', async () => {
    const someone = await member(rt);
    const other = await member(rt);
    const sessions = await rt.ctx.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', someone.user.id)
      .execute();
    const response = await other.api.api('DELETE', `/api/v1/sessions/${sessions[0]!.id}`);
    assert.equal(response.status, 404, 'someone else’s session is not revoked');
    assert.equal((await someone.api.api('DELETE', `/api/v1/sessions/${sessions[0]!.id}`)).status, 204);
    const revoked = (await outboxRows()).events
      .filter((e) => e.type === 'session.revoked' && e.payload.includes(someone.user.id))
      .map((e) => JSON.parse(e.payload));
    assert.deepEqual(revoked, [{ userId: someone.user.id, sessionIds: [sessions[0]!.id], reason: 'revoked' }]);
  });
});

describe('delivery after commit', () => {
  test('an event recorded in a rolled-back transaction is never delivered; a committed one is, at once', async () => {
    const groupId = tag();
    const seen: AnyDomainEvent[] = [];
    const dispatcher = startDispatcher(
      rt.ctx,
      registered('rollback', {
        events: ['group.created'],
        handle: async (_ctx, event) => void seen.push(event),
      }),
      quiet,
      { sweepMs: 60 * 60_000 },
    );
    try {
      await assert.rejects(
        inTransaction(rt.ctx.db, async (trx) => {
          await recordEvent(trx, 'group.created', { groupId, ownerId: 'rolled-back' }, rt.ctx.now());
          throw new Error('the change failed');
        }),
      );
      await inTransaction(rt.ctx.db, (trx) =>
        recordEvent(trx, 'group.created', { groupId, ownerId: 'committed' }, rt.ctx.now()),
      );
      // No sweep for an hour: only the wake after the commit can deliver it.
      await until(async () => seen.some((e) => e.type === 'group.created' && e.payload.groupId === groupId));
      await dispatcher.drain();
    } finally {
      await dispatcher.stop();
    }
    const mine = seen.filter((e) => e.type === 'group.created' && e.payload.groupId === groupId);
    assert.deepEqual(
      mine.map((e) => e.type === 'group.created' && e.payload.ownerId),
      ['committed'],
    );
    const left = await outboxRows();
    assert.equal(left.events.filter((e) => e.payload.includes(groupId)).length, 0, 'handled events are deleted');
    assert.equal(left.deliveries.length, 0);
  });

  test('a failing subscriber is retried with growing back-off, its failed writes undone, and succeeds once', async () => {
    const groupId = tag();
    let calls = 0;
    const warnings: object[] = [];
    const dispatcher = startDispatcher(
      rt.ctx,
      registered('flaky', {
        events: ['group.created'],
        async handle(ctx, event) {
          if (event.type !== 'group.created' || event.payload.groupId !== groupId) return;
          calls++;
          // A write the subscriber makes, then a failure: the write must not survive the failure.
          await ctx.db
            .insertInto('settings')
            .values({ key: `handled:${event.id}`, value: String(calls) })
            .execute();
          if (calls < 3) throw Object.assign(new Error(`secret words ${groupId}`), { code: 'EFLAKY' });
        },
      }),
      { info: () => {}, warn: (obj) => warnings.push(obj) },
      { sweepMs: 60 * 60_000, retryBaseMs: 1000, retryMaxMs: 60_000 },
    );
    try {
      const eventId = await inTransaction(rt.ctx.db, (trx) =>
        recordEvent(trx, 'group.created', { groupId, ownerId: 'x' }, rt.ctx.now()),
      );
      await until(async () => calls === 1);
      await dispatcher.drain();
      const first = await rt.ctx.db.selectFrom('outbox_deliveries').selectAll().executeTakeFirstOrThrow();
      assert.equal(first.attempts, 1);
      assert.equal(first.last_error, 'EFLAKY', 'a code, never the message');
      const wait1 = first.next_attempt_at - rt.ctx.now();
      assert.ok(wait1 > 500 && wait1 <= 1000, `first retry after about a second (${wait1})`);

      await dispatcher.drain();
      assert.equal(calls, 1, 'not retried before its time');
      rt.advance(1000);
      await dispatcher.drain();
      assert.equal(calls, 2);
      const second = await rt.ctx.db.selectFrom('outbox_deliveries').selectAll().executeTakeFirstOrThrow();
      assert.equal(second.attempts, 2);
      const wait2 = second.next_attempt_at - rt.ctx.now();
      assert.ok(wait2 > 1500 && wait2 <= 2000, `then after two seconds (${wait2})`);

      rt.advance(2000);
      await dispatcher.drain();
      assert.equal(calls, 3);
      rt.advance(60_000);
      await dispatcher.drain();
      assert.equal(calls, 3, 'handled once it succeeded, never again');
      const writes = await rt.ctx.db
        .selectFrom('settings')
        .selectAll()
        .where('key', '=', `handled:${eventId}`)
        .execute();
      assert.deepEqual(
        writes.map((w) => w.value),
        ['3'],
        'only the successful attempt’s write is kept',
      );
      assert.deepEqual((await outboxRows()).deliveries, []);
      assert.ok(!JSON.stringify(warnings).includes('secret'), 'the log says the code, not the message');
    } finally {
      await dispatcher.stop();
      rt.advance(-63_000);
    }
  });

  // Several instances share PostgreSQL only: SQLite serves one process (a second connection in this
  // process would block the whole thread on the first one's write lock).
  test('two instances deliver each of 60 events exactly once between them', {
    skip: testEngine() === 'sqlite' && 'several instances need PostgreSQL',
  }, async () => {
    const peer = await rt.peer();
    const groupId = tag();
    const counts = new Map<string, number>();
    const handled = { here: 0, there: 0 };
    const subscriber = (where: 'here' | 'there') =>
      registered('shared', {
        events: ['member.joined'],
        async handle(_ctx, event) {
          if (event.type !== 'member.joined' || event.payload.groupId !== groupId) return;
          counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
          handled[where]++;
          await new Promise((resolve) => setTimeout(resolve, 2));
        },
      });
    const ids = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        inTransaction(rt.ctx.db, (trx) =>
          recordEvent(trx, 'member.joined', { groupId, userId: `u${i}`, via: 'open' }, rt.ctx.now()),
        ),
      ),
    );
    const options = { sweepMs: 20 };
    const here = startDispatcher(rt.ctx, subscriber('here'), quiet, options);
    const there = startDispatcher(peer.ctx, subscriber('there'), quiet, options);
    try {
      await until(async () => [...counts.values()].length >= 60 && (await outboxRows()).deliveries.length === 0);
      await Promise.all([here.drain(), there.drain()]);
    } finally {
      await Promise.all([here.stop(), there.stop()]);
    }
    assert.deepEqual([...counts.keys()].sort(), [...ids].sort());
    assert.deepEqual(
      [...counts.values()].filter((n) => n !== 1),
      [],
      'no event handled twice',
    );
    assert.equal(handled.here + handled.there, 60);
    assert.equal((await outboxRows()).events.filter((e) => e.payload.includes(groupId)).length, 0);
  });
});
