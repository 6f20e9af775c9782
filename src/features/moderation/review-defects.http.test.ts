// Defects found in review of issue 11, each with the behaviour it must keep, on both engines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({}, {}, { deliverEvents: false });
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

async function scene(options: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', ...options });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 20 })).json().invite;
  const join = async (m: Person) =>
    assert.equal(
      (await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`)).status,
      200,
    );
  const moderator = await member(rt, 'gmod');
  const author = await member(rt, 'auth');
  const reporter = await member(rt, 'rep');
  for (const m of [moderator, author, reporter]) await join(m);
  await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${moderator.user.id}`, { role: 'moderator' });
  const thread = await threadIn(author.api, group.id, { title: 'Where to meet safely', body: 'Opening words' });
  const replied = await author.api.api('POST', `/api/v1/threads/${thread.threadId}/posts`, { body: 'A cruel reply' });
  assert.equal(replied.status, 201);
  return { owner, group, moderator, author, reporter, thread, postId: replied.json().post.id as string, join };
}

const report = (who: Person, body: Record<string, unknown>) => who.api.api('POST', '/api/v1/reports', body);
const actOn = (who: Person, body: Record<string, unknown>) => who.api.api('POST', '/api/v1/moderation/actions', body);

describe('a group’s case names only its own target', () => {
  test('a group moderator cannot warn or ban an unrelated account by naming their group’s case', async () => {
    const s = await scene();
    assert.equal((await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'spam' })).status, 204);
    const kase = await rt.ctx.db
      .selectFrom('moderation_cases')
      .select('id')
      .where('target_id', '=', s.postId)
      .executeTakeFirstOrThrow();
    const stranger = await member(rt, 'far');
    for (const action of ['warn', 'ban_group']) {
      const response = await actOn(s.moderator, {
        action,
        targetType: 'user',
        targetId: stranger.user.id,
        reason: 'No reason at all',
        reportId: kase.id,
      });
      assert.equal(response.status, 403, `${action}: ${response.body}`);
    }
    const rows = await rt.ctx.db
      .selectFrom('moderation_log')
      .select('id')
      .where('target_user_id', '=', stranger.user.id)
      .execute();
    assert.equal(rows.length, 0);
    // The post's own author, named with the case, is still theirs to warn.
    const warned = await actOn(s.moderator, {
      action: 'warn',
      targetType: 'user',
      targetId: s.author.user.id,
      reason: 'Be kind',
      reportId: kase.id,
    });
    assert.equal(warned.status, 204, warned.body);
  });
});

const queueIds = async (who: Person) => {
  const response = await who.api.get('/api/v1/moderation/queue');
  assert.equal(response.status, 200);
  return (response.json().cases as { id: string; targetId: string }[]).map((c) => c.targetId);
};

describe('reports about a moderator’s own words are not theirs', () => {
  test('a group moderator does not see, nor dismiss, reports on their own post, named or anonymous', async () => {
    const s = await scene({ anonymousPosting: true });
    const named = await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'Mine' });
    const masked = await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, {
      body: 'Mine, masked',
      anonymous: true,
    });
    const ids = [named.json().post.id as string, masked.json().post.id as string];
    for (const id of ids) {
      assert.equal(
        (await report(s.reporter, { targetType: 'post', targetId: id, reason: 'other', note: 'I was there' })).status,
        204,
      );
    }
    const theirs = await queueIds(s.moderator);
    const owners = await queueIds(s.owner);
    for (const id of ids) {
      assert.ok(!theirs.includes(id), 'not in the author’s queue');
      assert.ok(owners.includes(id), 'in the other moderators’ queue');
      const kase = await rt.ctx.db
        .selectFrom('moderation_cases')
        .select('id')
        .where('target_id', '=', id)
        .executeTakeFirstOrThrow();
      const dismissed = await actOn(s.moderator, { action: 'dismiss', targetType: 'post', targetId: id, reason: 'No' });
      assert.equal(dismissed.status, 404);
      // Nor closed by naming it with an action on something else.
      const elsewhere = await actOn(s.moderator, {
        action: 'hide',
        targetType: 'post',
        targetId: s.postId,
        reason: 'Other',
        reportId: kase.id,
      });
      assert.equal(elsewhere.status, 404);
      const open = await rt.ctx.db
        .selectFrom('moderation_cases')
        .select('status')
        .where('id', '=', kase.id)
        .executeTakeFirstOrThrow();
      assert.equal(open.status, 'open');
    }
    // The owner, not the author, still dismisses it.
    assert.equal(
      (await actOn(s.owner, { action: 'dismiss', targetType: 'post', targetId: ids[0], reason: 'Fine' })).status,
      204,
    );
  });
});

describe('a muted member', () => {
  test('cannot rewrite an old post while muted', async () => {
    const s = await scene();
    await rt.ctx.db
      .updateTable('users')
      .set({ muted_until: Date.now() + 3_600_000 })
      .where('id', '=', s.author.user.id)
      .execute();
    const edited = await s.author.api.api('PATCH', `/api/v1/posts/${s.postId}`, { body: 'Harassment, rewritten' });
    assert.equal(edited.status, 403, edited.body);
    const post = await rt.ctx.db
      .selectFrom('posts')
      .select('body')
      .where('id', '=', s.postId)
      .executeTakeFirstOrThrow();
    assert.equal(post.body, 'A cruel reply');
    const replied = await s.author.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'More' });
    assert.equal(replied.status, 403);
  });
});

describe('reporters’ notes', () => {
  test('leave the database when their case is closed, by an action or a dismissal', async () => {
    const s = await scene();
    const second = await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'Fine' });
    const ids = [s.postId, second.json().post.id as string];
    for (const id of ids)
      await report(s.reporter, { targetType: 'post', targetId: id, reason: 'other', note: 'They live near me' });
    assert.equal(
      (await actOn(s.owner, { action: 'hide', targetType: 'post', targetId: ids[0], reason: 'Cruel' })).status,
      204,
    );
    assert.equal(
      (await actOn(s.owner, { action: 'dismiss', targetType: 'post', targetId: ids[1], reason: 'Fine' })).status,
      204,
    );
    const notes = await rt.ctx.db
      .selectFrom('reports as r')
      .innerJoin('moderation_cases as c', 'c.id', 'r.case_id')
      .select(['r.note', 'r.reason', 'c.status'])
      .where('c.target_id', 'in', ids)
      .execute();
    assert.equal(notes.length, 2);
    for (const n of notes) {
      assert.equal(n.status, 'resolved');
      assert.equal(n.note, null);
      assert.equal(n.reason, 'other');
    }
  });
});

describe('two moderators on one case', () => {
  test('answering it at once with an account action: one acts, the other is told it was answered', async () => {
    const s = await scene();
    assert.equal((await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'spam' })).status, 204);
    const kase = await rt.ctx.db
      .selectFrom('moderation_cases')
      .select('id')
      .where('target_id', '=', s.postId)
      .executeTakeFirstOrThrow();
    const warn = (who: Person) =>
      actOn(who, { action: 'warn', targetType: 'post', targetId: s.postId, reason: 'Be kind', reportId: kase.id });
    const answers = await Promise.all([warn(s.owner), warn(s.moderator)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [204, 409]);
    const rows = await rt.ctx.db
      .selectFrom('moderation_log')
      .select('id')
      .where('action', '=', 'user.warn')
      .where('target_user_id', '=', s.author.user.id)
      .execute();
    assert.equal(rows.length, 1);
  });
});
