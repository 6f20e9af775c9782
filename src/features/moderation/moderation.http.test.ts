// Reports, the moderation queue and moderation actions (ADR 0048), through the API and the HTML pages,
// on both engines: who may report what, how reports merge, whose queue a case is in, what each action
// does and records, and that an anonymous post's author never appears anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { serviceContext } from '../../app-context.js';
import { translator } from '../../i18n/index.js';
import { createSession } from '../../security/sessions.js';
import type { Visibility } from '../groups/policy.js';

let rt: TestRuntime;
before(async () => {
  // Events stay in the outbox to be read: nothing here needs them delivered.
  rt = await createTestRuntime({}, {}, { deliverEvents: false });
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;
const en = translator('en');
const ar = translator('ar');

async function inBrowser(person: Person): Promise<TestClient> {
  const web = new TestClient(rt.app);
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), person.user.id, 'Test · Linux')).token);
  return web;
}

async function withRole(role: 'moderator' | 'admin', prefix: string): Promise<Person> {
  const m = await member(rt, prefix);
  await rt.ctx.db.updateTable('users').set({ role }).where('id', '=', m.user.id).execute();
  return m;
}

/** A group with its owner, a group moderator, a member who writes and a member who reports. */
async function scene(visibility: Visibility = 'public', options: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility, ...options });
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
  const replied = await author.api.api('POST', `/api/v1/threads/${thread.threadId}/posts`, {
    body: 'A cruel reply that names someone',
  });
  assert.equal(replied.status, 201);
  return { owner, group, moderator, author, reporter, thread, postId: replied.json().post.id as string, join };
}

const report = (who: Person, body: Record<string, unknown>) => who.api.api('POST', '/api/v1/reports', body);
const actOn = (who: Person, body: Record<string, unknown>) => who.api.api('POST', '/api/v1/moderation/actions', body);
const queueOf = async (who: Person) => {
  const response = await who.api.get('/api/v1/moderation/queue');
  return { status: response.status, cases: response.status === 200 ? (response.json().cases as QueueCase[]) : [] };
};
interface QueueCase {
  id: string;
  targetType: string;
  targetId: string;
  groupId: string | null;
  priority: number;
  reasons: { reason: string; count: number }[];
  reportCount: number;
  notes: string[];
  excerpt: string | null;
  hidden: boolean | null;
  actions: string[];
}
const openCaseOf = (targetId: string) =>
  rt.ctx.db
    .selectFrom('moderation_cases')
    .selectAll()
    .where('target_id', '=', targetId)
    .where('status', '=', 'open')
    .executeTakeFirst();
const logOf = (targetId: string) =>
  rt.ctx.db
    .selectFrom('moderation_log')
    .select([
      'actor_id',
      'action',
      'group_id',
      'target_type',
      'target_id',
      'target_user_id',
      'reason',
      'detail',
      'case_id',
    ])
    .where('target_id', '=', targetId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

describe('reports', () => {
  test('a report opens a case in the group’s queue; reports merge into it, one per member; notes and reasons, never reporters', async () => {
    const s = await scene();
    assert.equal(
      (await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'harassment' })).status,
      204,
    );
    // The same member again changes nothing.
    assert.equal((await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'spam' })).status, 204);
    const second = await member(rt, 'rep2');
    await s.join(second);
    assert.equal(
      (await report(second, { targetType: 'post', targetId: s.postId, reason: 'outing', note: 'It names my friend' }))
        .status,
      204,
    );
    const third = await member(rt, 'rep3');
    await s.join(third);
    assert.equal((await report(third, { targetType: 'post', targetId: s.postId, reason: 'harassment' })).status, 204);

    const cases = await rt.ctx.db
      .selectFrom('moderation_cases')
      .selectAll()
      .where('target_id', '=', s.postId)
      .execute();
    assert.equal(cases.length, 1, 'one case');
    assert.equal(cases[0]!.group_id, s.group.id);
    assert.equal(cases[0]!.priority, 0, 'outing raised it to the top');

    const { cases: queue } = await queueOf(s.moderator);
    const item = queue.find((c) => c.targetId === s.postId)!;
    assert.deepEqual(item.reasons, [
      { reason: 'harassment', count: 2 },
      { reason: 'outing', count: 1 },
    ]);
    assert.equal(item.reportCount, 3);
    assert.deepEqual(item.notes, ['It names my friend']);
    assert.equal(item.excerpt, 'A cruel reply that names someone');
    const raw = JSON.stringify(queue);
    for (const who of [s.reporter, second, third]) {
      assert.ok(!raw.includes(who.user.id), 'no reporter id');
      assert.ok(!raw.includes(who.user.username), 'no reporter name');
    }
  });

  test('reasons come from the list; `other` needs a note; notes are short', async () => {
    const s = await scene();
    const base = { targetType: 'post', targetId: s.postId };
    assert.equal((await report(s.reporter, { ...base, reason: 'ugly' })).status, 422);
    const other = await report(s.reporter, { ...base, reason: 'other' });
    assert.equal(other.status, 422);
    assert.deepEqual(other.json().error.fields, [{ field: 'note', message: en('moderation.report.noteRequired') }]);
    const blank = await report(s.reporter, { ...base, reason: 'other', note: '   ' });
    assert.equal(blank.status, 422);
    const long = await report(s.reporter, { ...base, reason: 'spam', note: 'x'.repeat(1001) });
    assert.equal(long.status, 422);
    assert.equal(long.json().error.fields[0].field, 'note');
    assert.equal(await openCaseOf(s.postId), undefined, 'nothing refused opened a case');
    assert.equal((await report(s.reporter, { ...base, reason: 'other', note: 'x'.repeat(1000) })).status, 204);
  });

  test('only what the reporter can read: a private group’s post is missing for outsiders; messages and resources do not exist yet', async () => {
    const s = await scene('private');
    const outsider = await member(rt, 'out');
    assert.equal((await report(outsider, { targetType: 'post', targetId: s.postId, reason: 'spam' })).status, 404);
    assert.equal(
      (await report(outsider, { targetType: 'thread', targetId: s.thread.threadId, reason: 'spam' })).status,
      404,
    );
    assert.equal((await report(outsider, { targetType: 'post', targetId: 'nope', reason: 'spam' })).status, 404);
    for (const targetType of ['message', 'resource'])
      assert.equal((await report(s.reporter, { targetType, targetId: s.postId, reason: 'spam' })).status, 404);
    // A hidden post is no longer there to report, for its readers.
    await actOn(s.moderator, { action: 'hide', targetType: 'post', targetId: s.postId, reason: 'Cruel' });
    assert.equal((await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'spam' })).status, 404);
    const visitor = await rt.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { targetType: 'post', targetId: s.postId, reason: 'spam' },
    });
    assert.equal(visitor.statusCode, 401);
  });

  test('reports about an account or a whole group go to the instance’s moderators alone', async () => {
    const s = await scene();
    assert.equal(
      (await report(s.reporter, { targetType: 'user', targetId: s.author.user.id, reason: 'infiltrator' })).status,
      204,
    );
    assert.equal((await report(s.reporter, { targetType: 'group', targetId: s.group.id, reason: 'hate' })).status, 204);
    assert.equal((await openCaseOf(s.author.user.id))!.group_id, null);
    assert.equal((await openCaseOf(s.group.id))!.group_id, null);
    const { cases: groupQueue } = await queueOf(s.owner);
    assert.ok(!groupQueue.some((c) => c.targetId === s.group.id || c.targetId === s.author.user.id));
    const imod = await withRole('moderator', 'imod');
    const { cases } = await queueOf(imod);
    const about = cases.filter((c) => c.targetId === s.group.id || c.targetId === s.author.user.id);
    assert.equal(about.length, 2);
    const user = about.find((c) => c.targetType === 'user')!;
    assert.deepEqual(user.actions, ['warn', 'mute', 'suspend', 'ban', 'dismiss']);
    assert.equal(about.find((c) => c.targetType === 'group')!.actions.join(), 'dismiss');
  });

  test('reports are rate limited per account', async () => {
    const s = await scene();
    const answers: number[] = [];
    for (let i = 0; i < 31; i++) {
      const { postId } = await threadIn(s.author.api, s.group.id, { title: `Flood ${i}`, body: 'words' }).catch(() => ({
        postId: s.postId,
      }));
      answers.push((await report(s.reporter, { targetType: 'post', targetId: postId, reason: 'spam' })).status);
    }
    assert.equal(answers.filter((a) => a === 204).length, 30);
    assert.equal(answers.at(-1), 429);
  });
});

describe('the queue', () => {
  test('group moderators see their groups’ cases only; instance moderators see all, most urgent first; others have no queue', async () => {
    const a = await scene();
    const b = await scene('hidden');
    await report(a.reporter, { targetType: 'post', targetId: a.postId, reason: 'spam' });
    rt.advance(1000);
    await report(b.reporter, { targetType: 'post', targetId: b.postId, reason: 'self_harm' });
    rt.advance(1000);
    await report(a.reporter, { targetType: 'thread', targetId: a.thread.threadId, reason: 'minors' });

    const mine = (await queueOf(a.moderator)).cases.map((c) => c.targetId);
    assert.deepEqual(mine, [a.thread.threadId, a.postId], 'priority first, in group a only');
    assert.deepEqual(
      (await queueOf(a.owner)).cases.map((c) => c.targetId),
      mine,
    );
    assert.deepEqual(
      (await queueOf(b.moderator)).cases.map((c) => c.targetId),
      [b.postId],
    );
    assert.equal((await queueOf(a.reporter)).status, 404, 'a member has no queue');
    assert.equal((await a.reporter.api.get('/moderation')).status, 404);

    const imod = await withRole('moderator', 'imod');
    const all = (await queueOf(imod)).cases;
    const ours = all.filter((c) => [a.postId, b.postId, a.thread.threadId].includes(c.targetId));
    assert.deepEqual(
      ours.map((c) => c.targetId),
      [b.postId, a.thread.threadId, a.postId],
    );
    // ADR 0032: an instance moderator does not read a hidden group's words, but may act on them.
    const hidden = ours[0]!;
    assert.equal(hidden.excerpt, null);
    assert.ok(hidden.actions.includes('hide'));
    assert.ok(!hidden.actions.includes('delete'), 'deleting is the group’s own moderators’');
    assert.equal(ours[1]!.excerpt, 'Where to meet safely', 'a thread shows its title');
    const admin = await withRole('admin', 'adm');
    assert.ok((await queueOf(admin)).cases.some((c) => c.targetId === b.postId));
  });

  test('the page lists cases with an action form each, and the navigation links to it for moderators only', async () => {
    const s = await scene();
    await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'harassment', note: 'Please look' });
    const web = await inBrowser(s.moderator);
    const page = await web.get('/moderation');
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(en('moderation.queue.title')));
    assert.ok(page.body.includes('A cruel reply that names someone'));
    assert.ok(page.body.includes('Please look'));
    assert.ok(page.body.includes('action="/moderation/actions"'));
    assert.ok(page.body.includes('href="/moderation"'), 'the navigation link');
    const plain = await inBrowser(s.reporter);
    assert.ok(!(await plain.get('/')).body.includes('href="/moderation"'));
    web.acceptLanguage = 'ar';
    const arabic = await web.get('/moderation');
    assert.ok(arabic.body.includes(ar('moderation.queue.title')));
    assert.ok(arabic.body.includes(ar('moderation.reason.harassment')));
  });
});

describe('actions', () => {
  test('hide: the post leaves its readers, the case closes, the log names the author, the group and the case', async () => {
    const s = await scene();
    await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'harassment' });
    const caseId = (await openCaseOf(s.postId))!.id;
    const reportId = (await rt.ctx.db
      .selectFrom('reports')
      .select('id')
      .where('case_id', '=', caseId)
      .executeTakeFirst())!.id;
    assert.equal(
      (await actOn(s.moderator, { action: 'hide', targetType: 'post', targetId: s.postId, reason: 'Cruel', reportId }))
        .status,
      204,
    );
    const post = await rt.ctx.db
      .selectFrom('posts')
      .select('hidden')
      .where('id', '=', s.postId)
      .executeTakeFirstOrThrow();
    assert.equal(post.hidden, 1);
    assert.equal(await openCaseOf(s.postId), undefined);
    assert.deepEqual(await logOf(s.postId), [
      {
        actor_id: s.moderator.user.id,
        action: 'post.hide',
        group_id: s.group.id,
        target_type: 'post',
        target_id: s.postId,
        target_user_id: s.author.user.id,
        reason: 'Cruel',
        detail: null,
        case_id: caseId,
      },
    ]);
    // The member is told, after the commit, from the event.
    const events = await rt.ctx.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'moderation.logged')
      .execute();
    assert.ok(events.some((e) => String(e.payload).includes(s.author.user.id)));
    // Acting on a closed case again is a conflict.
    assert.equal(
      (
        await actOn(s.moderator, {
          action: 'dismiss',
          targetType: 'post',
          targetId: s.postId,
          reason: 'x',
          reportId: caseId,
        })
      ).status,
      409,
    );
    // Approving shows it again and logs it.
    assert.equal(
      (await actOn(s.moderator, { action: 'approve', targetType: 'post', targetId: s.postId, reason: 'It was fine' }))
        .status,
      204,
    );
    assert.equal(
      (await rt.ctx.db.selectFrom('posts').select('hidden').where('id', '=', s.postId).executeTakeFirstOrThrow())
        .hidden,
      0,
    );
    assert.deepEqual(
      (await logOf(s.postId)).map((r) => r.action),
      ['post.hide', 'post.approve'],
    );
  });

  test('approve: a post held for approval is shown and its `held` case closes', async () => {
    const s = await scene();
    await rt.ctx.db.updateTable('posts').set({ hidden: 1 }).where('id', '=', s.postId).execute();
    await rt.ctx.db
      .insertInto('moderation_cases')
      .values({
        id: 'held-case',
        target_type: 'post',
        target_id: s.postId,
        group_id: s.group.id,
        priority: 2,
        opened_at: rt.ctx.now(),
        resolved_at: null,
      })
      .execute();
    await rt.ctx.db
      .insertInto('reports')
      .values({ id: 'held-report', case_id: 'held-case', reporter_id: null, reason: 'held', note: null, created_at: 1 })
      .execute();
    const item = (await queueOf(s.moderator)).cases.find((c) => c.id === 'held-case')!;
    assert.equal(item.hidden, true);
    assert.ok(item.actions.includes('approve'));
    assert.equal(
      (
        await actOn(s.moderator, {
          action: 'approve',
          targetType: 'post',
          targetId: s.postId,
          reason: 'Fine',
          reportId: 'held-report',
        })
      ).status,
      204,
    );
    assert.equal(await openCaseOf(s.postId), undefined);
    assert.equal((await logOf(s.postId))[0]!.case_id, 'held-case');
  });

  test('delete: the group’s moderators erase a post; instance moderators may not', async () => {
    const s = await scene();
    const imod = await withRole('moderator', 'imod');
    assert.equal(
      (await actOn(imod, { action: 'delete', targetType: 'post', targetId: s.postId, reason: 'Gone' })).status,
      403,
    );
    assert.equal(
      (await actOn(s.moderator, { action: 'delete', targetType: 'post', targetId: s.postId, reason: 'Names someone' }))
        .status,
      204,
    );
    assert.equal(
      await rt.ctx.db.selectFrom('posts').select('id').where('id', '=', s.postId).executeTakeFirst(),
      undefined,
    );
    assert.deepEqual(
      (await logOf(s.postId)).map((r) => [r.action, r.target_user_id, r.reason]),
      [['post.delete', s.author.user.id, 'Names someone']],
    );
    assert.equal(
      (await actOn(s.moderator, { action: 'hide', targetType: 'post', targetId: s.postId, reason: 'x' })).status,
      404,
    );
  });

  test('hide a thread: its opening post, logged as the thread', async () => {
    const s = await scene();
    await report(s.reporter, { targetType: 'thread', targetId: s.thread.threadId, reason: 'spam' });
    assert.equal(
      (await actOn(s.owner, { action: 'hide', targetType: 'thread', targetId: s.thread.threadId, reason: 'Spam' }))
        .status,
      204,
    );
    assert.equal(
      (await rt.ctx.db.selectFrom('posts').select('hidden').where('id', '=', s.thread.postId).executeTakeFirstOrThrow())
        .hidden,
      1,
    );
    assert.equal(await openCaseOf(s.thread.threadId), undefined);
    assert.deepEqual(
      (await logOf(s.thread.threadId)).map((r) => r.action),
      ['thread.hide'],
    );
  });

  test('warn: a log row and a notice, nothing else', async () => {
    const s = await scene();
    assert.equal(
      (await actOn(s.moderator, { action: 'warn', targetType: 'post', targetId: s.postId, reason: 'Be kind' })).status,
      204,
    );
    const rows = await logOf(s.author.user.id);
    assert.deepEqual(
      rows.map((r) => [r.action, r.group_id, r.target_user_id, r.reason, JSON.parse(r.detail ?? '{}')]),
      [['user.warn', s.group.id, s.author.user.id, 'Be kind', { postId: s.postId }]],
    );
    const user = await rt.ctx.db
      .selectFrom('users')
      .select(['muted_until', 'suspended_until'])
      .where('id', '=', s.author.user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(user, { muted_until: null, suspended_until: null });
  });

  test('mute: for hours; a muted member reads but cannot post, reply, react or create groups, in the API and the pages', async () => {
    const s = await scene();
    const imod = await withRole('moderator', 'imod');
    assert.equal(
      (
        await actOn(s.moderator, {
          action: 'mute',
          targetType: 'user',
          targetId: s.author.user.id,
          reason: 'x',
          hours: 2,
        })
      ).status,
      403,
      'a group moderator does not mute',
    );
    const noHours = await actOn(imod, {
      action: 'mute',
      targetType: 'user',
      targetId: s.author.user.id,
      reason: 'Calm down',
    });
    assert.equal(noHours.status, 422);
    assert.equal(noHours.json().error.fields[0].field, 'hours');
    assert.equal(
      (
        await actOn(imod, {
          action: 'mute',
          targetType: 'user',
          targetId: s.author.user.id,
          reason: 'Calm down',
          hours: 2,
        })
      ).status,
      204,
    );
    const row = await rt.ctx.db
      .selectFrom('users')
      .select('muted_until')
      .where('id', '=', s.author.user.id)
      .executeTakeFirstOrThrow();
    const expected = rt.ctx.now() + 2 * 3_600_000;
    assert.ok(Math.abs(Number(row.muted_until) - expected) < 60_000, 'two hours from now');
    const log = await logOf(s.author.user.id);
    assert.deepEqual(
      log.map((r) => [r.action, r.group_id, JSON.parse(r.detail ?? '{}')]),
      [['user.mute', null, { hours: 2 }]],
    );

    const t = s.thread.threadId;
    assert.equal((await s.author.api.get(`/api/v1/threads/${t}`)).status, 200, 'still reads');
    assert.equal((await s.author.api.api('POST', `/api/v1/threads/${t}/posts`, { body: 'more' })).status, 403);
    assert.equal(
      (await s.author.api.api('POST', `/api/v1/groups/${s.group.id}/threads`, { title: 'New one', body: 'x' })).status,
      403,
    );
    assert.equal((await s.author.api.api('POST', `/api/v1/posts/${s.thread.postId}/reactions/support`)).status, 403);
    assert.equal(
      (
        await s.author.api.api('POST', '/api/v1/groups', {
          name: 'Muted group',
          description: 'x',
          visibility: 'public',
          languages: ['en'],
        })
      ).status,
      403,
    );
    const web = await inBrowser(s.author);
    const page = await web.get(`/threads/${t}`);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(`action="/threads/${t}/posts"`), 'no reply form');
    const refused = await web.submit(`/threads/${t}`, `/threads/${t}/posts`, { body: 'through the page' });
    assert.equal(refused.status, 403);

    // Once the hours are over, they post again.
    rt.advance(2 * 3_600_000 + 1);
    assert.equal((await s.author.api.api('POST', `/api/v1/threads/${t}/posts`, { body: 'back' })).status, 201);
  });

  test('suspend signs the member out while it lasts; ban ends every session and records it', async () => {
    const s = await scene();
    const imod = await withRole('moderator', 'imod');
    assert.equal((await s.author.api.get('/api/v1/sessions')).status, 200);
    assert.equal(
      (await actOn(imod, { action: 'suspend', targetType: 'post', targetId: s.postId, reason: 'Cool off', hours: 1 }))
        .status,
      204,
    );
    assert.equal((await s.author.api.get('/api/v1/sessions')).status, 401, 'signed out');
    // Within the session's idle time: the session stayed, and counts again once the hour is over.
    rt.advance(3_600_000 + 1);
    assert.equal((await s.author.api.get('/api/v1/sessions')).status, 200, 'signed back in after');

    const admin = await withRole('admin', 'adm');
    assert.equal(
      (await actOn(admin, { action: 'ban', targetType: 'user', targetId: s.author.user.id, reason: 'Harassing many' }))
        .status,
      204,
    );
    assert.equal((await s.author.api.get('/api/v1/sessions')).status, 401);
    const sessions = await rt.ctx.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', s.author.user.id)
      .execute();
    assert.equal(sessions.length, 0);
    const revoked = await rt.ctx.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'session.revoked')
      .execute();
    assert.ok(revoked.some((e) => String(e.payload).includes(s.author.user.id)));
    assert.deepEqual(
      (await logOf(s.author.user.id)).map((r) => r.action),
      ['user.suspend', 'user.ban'],
    );
    // Nobody outranking: an instance moderator does not ban an administrator.
    assert.equal(
      (await actOn(imod, { action: 'ban', targetType: 'user', targetId: admin.user.id, reason: 'x' })).status,
      403,
    );
  });

  test('ban_group: from the reported post, or the account in a group’s case; dismiss closes a case and logs it', async () => {
    const s = await scene();
    assert.equal(
      (await actOn(s.moderator, { action: 'ban_group', targetType: 'post', targetId: s.postId, reason: 'Out' })).status,
      204,
    );
    const ban = await rt.ctx.db
      .selectFrom('group_bans')
      .select('user_id')
      .where('group_id', '=', s.group.id)
      .where('user_id', '=', s.author.user.id)
      .executeTakeFirst();
    assert.ok(ban);
    assert.deepEqual(
      (await logOf(s.author.user.id)).map((r) => [r.action, r.group_id, r.reason]),
      [['group.ban', s.group.id, 'Out']],
    );

    // Without a group, banning from one does not fit an account.
    const imod = await withRole('moderator', 'imod');
    assert.equal(
      (await actOn(imod, { action: 'ban_group', targetType: 'user', targetId: s.reporter.user.id, reason: 'x' }))
        .status,
      422,
    );

    await report(s.reporter, { targetType: 'thread', targetId: s.thread.threadId, reason: 'spam' });
    const noReason = await actOn(s.moderator, {
      action: 'dismiss',
      targetType: 'thread',
      targetId: s.thread.threadId,
      reason: ' ',
    });
    assert.equal(noReason.status, 422);
    assert.equal(noReason.json().error.fields[0].field, 'reason');
    assert.equal(
      (
        await actOn(s.moderator, {
          action: 'dismiss',
          targetType: 'thread',
          targetId: s.thread.threadId,
          reason: 'x'.repeat(501),
        })
      ).status,
      422,
    );
    assert.equal(
      (
        await actOn(s.moderator, {
          action: 'dismiss',
          targetType: 'thread',
          targetId: s.thread.threadId,
          reason: 'Not spam',
        })
      ).status,
      204,
    );
    assert.equal(await openCaseOf(s.thread.threadId), undefined);
    assert.deepEqual(
      (await logOf(s.thread.threadId)).map((r) => [r.action, r.group_id, r.target_user_id, r.reason]),
      [['case.dismiss', s.group.id, null, 'Not spam']],
    );
    assert.equal(
      (
        await actOn(s.moderator, {
          action: 'dismiss',
          targetType: 'thread',
          targetId: s.thread.threadId,
          reason: 'Again',
        })
      ).status,
      409,
      'nothing open to dismiss',
    );
  });

  test('scope: a moderator of another group is refused, 404 where they cannot read, 403 where they can', async () => {
    const open = await scene();
    const closed = await scene('private');
    const other = await scene();
    for (const [s, status] of [
      [open, 403],
      [closed, 404],
    ] as const) {
      for (const action of ['hide', 'delete', 'warn', 'ban_group'])
        assert.equal(
          (await actOn(other.moderator, { action, targetType: 'post', targetId: s.postId, reason: 'x' })).status,
          status,
          `${action}`,
        );
    }
    // A plain member and a group member are refused too.
    assert.equal(
      (await actOn(open.reporter, { action: 'hide', targetType: 'post', targetId: open.postId, reason: 'x' })).status,
      403,
    );
    assert.equal(
      (await actOn(open.moderator, { action: 'hide', targetType: 'post', targetId: 'no-such-post', reason: 'x' }))
        .status,
      404,
    );
    // A group moderator does not hide the owner's post: the owner outranks them.
    assert.equal(
      (
        await actOn(open.moderator, {
          action: 'hide',
          targetType: 'thread',
          targetId: (await threadIn(open.owner.api, open.group.id)).threadId,
          reason: 'x',
        })
      ).status,
      403,
    );
    // Nor act on a case of another group by naming it.
    await report(closed.reporter, { targetType: 'post', targetId: closed.postId, reason: 'spam' });
    const caseId = (await openCaseOf(closed.postId))!.id;
    assert.equal(
      (
        await actOn(other.moderator, {
          action: 'dismiss',
          targetType: 'post',
          targetId: other.postId,
          reason: 'x',
          reportId: caseId,
        })
      ).status,
      404,
    );
  });

  test('an anonymous post: acted on without its author ever being named', async () => {
    const s = await scene('public', { anonymousPosting: true });
    const masked = await s.author.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, {
      body: 'Masked cruelty',
      anonymous: true,
    });
    const postId = masked.json().post.id as string;
    await report(s.reporter, { targetType: 'post', targetId: postId, reason: 'harassment' });
    const item = (await queueOf(s.moderator)).cases.find((c) => c.targetId === postId)!;
    assert.deepEqual(item.actions, ['hide', 'delete', 'approve', 'ban_group', 'dismiss'], 'no warning a nobody');
    assert.equal(
      (await actOn(s.moderator, { action: 'warn', targetType: 'post', targetId: postId, reason: 'x' })).status,
      422,
    );
    assert.equal(
      (await actOn(s.moderator, { action: 'hide', targetType: 'post', targetId: postId, reason: 'Cruel' })).status,
      204,
    );
    assert.equal(
      (await actOn(s.moderator, { action: 'ban_group', targetType: 'post', targetId: postId, reason: 'Out' })).status,
      204,
    );
    const rows = await rt.ctx.db.selectFrom('moderation_log').selectAll().execute();
    const cases = await rt.ctx.db.selectFrom('moderation_cases').selectAll().execute();
    const reports = await rt.ctx.db.selectFrom('reports').selectAll().execute();
    const events = await rt.ctx.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('type', '=', 'moderation.logged')
      .execute();
    const about = rows.filter((r) => r.target_id === postId);
    assert.deepEqual(
      about.map((r) => [r.action, r.target_user_id]),
      [
        ['post.hide', null],
        ['group.ban.anonymous', null],
      ],
    );
    const everything = JSON.stringify([rows, cases, reports, events, (await queueOf(s.moderator)).cases]);
    // Nothing else was done about this author, so their id appears nowhere: not in the log, the
    // cases, the reports, the notices' events or the queue.
    assert.ok(!everything.includes(s.author.user.id), 'the author is named nowhere');
  });
});

describe('the group moderation that was there before joins the log and the queue', () => {
  test('hiding from the thread page, locking, and removing a member each write a log row and close the case', async () => {
    const s = await scene();
    await report(s.reporter, { targetType: 'post', targetId: s.postId, reason: 'spam' });
    await report(s.reporter, { targetType: 'thread', targetId: s.thread.threadId, reason: 'hate' });
    assert.equal((await s.moderator.api.api('POST', `/api/v1/posts/${s.postId}/hide`, { hidden: true })).status, 204);
    assert.equal(await openCaseOf(s.postId), undefined);
    assert.deepEqual(
      (await logOf(s.postId)).map((r) => [r.action, r.target_user_id, r.reason]),
      [['post.hide', s.author.user.id, null]],
    );
    assert.equal(
      (
        await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/lock`, {
          locked: true,
          reason: 'Heated',
        })
      ).status,
      204,
    );
    assert.equal(await openCaseOf(s.thread.threadId), undefined);
    assert.equal(
      (await s.owner.api.api('DELETE', `/api/v1/groups/${s.group.id}/members/${s.reporter.user.id}`)).status,
      204,
    );
    assert.deepEqual(
      (await logOf(s.reporter.user.id)).map((r) => [r.action, r.group_id, r.target_user_id]),
      [['group.remove', s.group.id, s.reporter.user.id]],
    );
  });
});

describe('the report and queue pages, without JavaScript', () => {
  test('a member reports a post through the page; the group moderator hides it from the queue page', async () => {
    const s = await scene();
    const web = await inBrowser(s.reporter);
    const thread = await web.get(`/threads/${s.thread.threadId}`);
    const href = `/reports/new?targetType=post&amp;targetId=${s.postId}`;
    assert.ok(thread.body.includes(href), 'a report link beside the post');
    assert.ok(thread.body.includes(`/reports/new?targetType=thread&amp;targetId=${s.thread.threadId}`));
    const groupPage = await web.get(`/groups/${s.group.id}`);
    assert.ok(groupPage.body.includes(`/reports/new?targetType=group&amp;targetId=${s.group.id}`));

    const formUrl = `/reports/new?targetType=post&targetId=${s.postId}`;
    const form = await web.get(formUrl);
    assert.equal(form.status, 200);
    for (const reason of ['harassment', 'outing', 'other']) assert.ok(form.body.includes(`value="${reason}"`));
    const refused = await web.submit(formUrl, '/reports', {
      targetType: 'post',
      targetId: s.postId,
      reason: 'other',
      note: '',
    });
    assert.equal(refused.status, 422);
    assert.ok(refused.body.includes(en('moderation.report.noteRequired')));
    const sent = await web.submit(formUrl, '/reports', {
      targetType: 'post',
      targetId: s.postId,
      reason: 'harassment',
      note: 'Names my friend',
    });
    assert.equal(sent.status, 303);
    const thanks = await web.get(String(sent.headers.location));
    assert.ok(thanks.body.includes(en('moderation.report.sentTitle')));
    assert.ok(thanks.body.includes(`href="/posts/${s.postId}"`));

    const mod = await inBrowser(s.moderator);
    const caseId = (await openCaseOf(s.postId))!.id;
    const noReason = await mod.submit('/moderation', '/moderation/actions', {
      caseId,
      targetType: 'post',
      targetId: s.postId,
      action: 'hide',
      reason: '',
    });
    assert.equal(noReason.status, 422);
    assert.ok(noReason.body.includes(en('moderation.act.reasonRequired')));
    const done = await mod.submit('/moderation', '/moderation/actions', {
      caseId,
      targetType: 'post',
      targetId: s.postId,
      action: 'hide',
      reason: 'Names someone',
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/moderation?done=acted');
    const after = await mod.get('/moderation?done=acted');
    assert.ok(after.body.includes(en('moderation.queue.acted')));
    assert.ok(after.body.includes(en('moderation.queue.empty')));
  });
});
