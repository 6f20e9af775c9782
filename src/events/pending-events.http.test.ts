// Events still waiting in the outbox when what they are about changes (ADR 0028): an account
// deleted, a post deleted, a member removed, before a worker delivered them. Delivery here runs
// only when a test asks (`deliver()`), as on a deployment whose worker is behind or down.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../test/support/community.js';
import { loadModules } from '../platform/modules.js';
import { startDispatcher, subscribersOf, type Dispatcher } from './dispatcher.js';

let rt: TestRuntime;
let dispatcher: Dispatcher;
const quiet = { info() {}, warn() {} };
before(async () => {
  rt = await createTestRuntime({}, {}, { deliverEvents: false });
  // A sweep that never comes: delivery happens when a test drains it, and only then.
  dispatcher = startDispatcher(rt.ctx, subscribersOf(await loadModules()), quiet, { sweepMs: 3_600_000 });
  await dispatcher.stop();
});
after(async () => rt.close());

/** What a worker would do when it catches up: every due delivery, then the same again an hour later (retries). */
async function deliver() {
  const worker = startDispatcher(rt.ctx, subscribersOf(await loadModules()), quiet, { sweepMs: 3_600_000 });
  await worker.drain();
  await worker.stop();
}

async function outboxMentions(id: string) {
  const events = await rt.ctx.db.selectFrom('outbox_events').select(['type', 'payload']).execute();
  return events.filter((e) => e.payload.includes(id));
}

async function notificationsOf(userId: string) {
  return rt.ctx.db.selectFrom('notifications').select(['kind', 'subject_id']).where('user_id', '=', userId).execute();
}

async function stuckDeliveries() {
  return rt.ctx.db.selectFrom('outbox_deliveries').select(['subscriber_key', 'attempts']).execute();
}

describe('an account deleted while events about it wait', () => {
  test('leaves no event naming it, and the others named with it are still told', async () => {
    const owner = await member(rt);
    const leaving = await member(rt);
    const staying = await member(rt);
    const group = await createGroupAs(owner.api);
    for (const m of [leaving, staying])
      assert.equal((await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
    // A thread naming both, then a request the owner declines: all waiting for a worker.
    const { postId } = await threadIn(owner.api, group.id, {
      body: `Hello @${leaving.user.username} and @${staying.user.username}`,
    });
    assert.equal((await leaving.api.api('DELETE', '/api/v1/me', { current: leaving.user.passphrase })).status, 204);
    assert.deepEqual(await outboxMentions(leaving.user.id), [], 'no waiting event names the deleted account');
    await deliver();
    assert.deepEqual(await notificationsOf(staying.user.id), [{ kind: 'mention', subject_id: postId }]);
    assert.deepEqual(await stuckDeliveries(), [], 'nothing is left failing for an account that is gone');
  });

  test('a decision or a reset code waiting for a deleted account is dropped, not retried for ever', async () => {
    const owner = await member(rt);
    const asking = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'private', questions: ['Why?'] });
    const asked = await asking.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['Because'] });
    assert.equal(asked.status < 300, true, asked.body);
    await deliver();
    const requests = (await owner.api.get(`/api/v1/groups/${group.id}/requests`)).json();
    const requestId = requests.requests[0].id;
    const declined = await owner.api.api('POST', `/api/v1/groups/${group.id}/requests/${requestId}/decline`, {});
    assert.equal(declined.status < 300, true, declined.body);
    assert.equal((await asking.api.api('DELETE', '/api/v1/me', { current: asking.user.passphrase })).status, 204);
    assert.deepEqual(await outboxMentions(asking.user.id), []);
    await deliver();
    assert.deepEqual(await stuckDeliveries(), []);
  });
});

/** A private group with its owner and members let in through an invite link. */
async function privateGroup(count: number) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'private', questions: ['Why?'] });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 10 })).json().invite;
  const members = [];
  for (let i = 0; i < count; i++) {
    const m = await member(rt, 'mem');
    const joined = await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
    assert.equal(joined.status, 200);
    members.push(m);
  }
  await deliver();
  return { owner, group, members };
}

describe('a delivery re-checks what changed since the post', () => {
  test('a post deleted before delivery tells nobody and leaves no row about it', async () => {
    const { owner, group, members } = await privateGroup(2);
    const [writer, watcher] = members;
    const { threadId } = await threadIn(owner.api, group.id);
    assert.equal((await watcher!.api.api('PUT', `/api/v1/threads/${threadId}/watch`)).status, 204);
    await deliver();
    const reply = await writer!.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: `A reply for @${owner.user.username}`,
    });
    const postId = reply.json().post.id;
    assert.equal((await writer!.api.api('DELETE', `/api/v1/posts/${postId}`)).status, 204);
    await deliver();
    const about = await rt.ctx.db
      .selectFrom('notifications')
      .select('user_id')
      .where('subject_id', '=', postId)
      .execute();
    assert.deepEqual(about, [], 'nobody holds a row about a post that is gone');
  });

  test('a post hidden before delivery tells nobody', async () => {
    const { owner, group, members } = await privateGroup(1);
    const [watcher] = members;
    assert.equal((await watcher!.api.api('PUT', `/api/v1/groups/${group.id}/watch`)).status, 204);
    const writer = members[0]!;
    const { postId } = await threadIn(owner.api, group.id, { body: `Hello @${writer.user.username}` });
    assert.equal((await owner.api.api('POST', `/api/v1/posts/${postId}/hide`, { hidden: true })).status, 204);
    await deliver();
    const about = await rt.ctx.db
      .selectFrom('notifications')
      .select('user_id')
      .where('subject_id', '=', postId)
      .execute();
    assert.deepEqual(about, []);
  });

  test('a member removed before delivery is not told of a mention in the group they left', async () => {
    const { owner, group, members } = await privateGroup(2);
    const [removed, staying] = members;
    const { postId } = await threadIn(owner.api, group.id, {
      body: `Hello @${removed!.user.username} and @${staying!.user.username}`,
    });
    const out = await owner.api.api('DELETE', `/api/v1/groups/${group.id}/members/${removed!.user.id}`);
    assert.equal(out.status, 204);
    await deliver();
    // What was on its way went with the membership; only the removal itself is told (ADR 0049).
    assert.deepEqual(
      (await notificationsOf(removed!.user.id)).map((n) => n.kind),
      ['moderation_action'],
      'leaving took what was on its way too',
    );
    assert.deepEqual(await notificationsOf(staying!.user.id), [{ kind: 'mention', subject_id: postId }]);
  });
});

test('a notice for an account that no longer exists does not keep the others from being told', async () => {
  const { notify } = await import('../features/notifications/public.js');
  const told = await member(rt);
  await notify(rt.ctx.db, {
    userIds: ['no-such-account', told.user.id],
    kind: 'reset_code',
    subjectId: null,
    now: rt.ctx.now(),
  });
  assert.deepEqual(await notificationsOf(told.user.id), [{ kind: 'reset_code', subject_id: null }]);
});
