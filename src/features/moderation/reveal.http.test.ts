// Revealing the author of an anonymous post (ADR 0049), through the API and the HTML pages, on both
// engines: only administrators ask, a second person approves, the requester alone is shown the
// author, once, and every step is in the log without the author.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { serviceContext } from '../../app-context.js';
import { createSession } from '../../security/sessions.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

async function withRole(role: 'moderator' | 'admin', prefix: string): Promise<Person> {
  const m = await member(rt, prefix);
  await rt.ctx.db.updateTable('users').set({ role }).where('id', '=', m.user.id).execute();
  return m;
}

async function inBrowser(person: Person): Promise<TestClient> {
  const web = new TestClient(rt.app);
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), person.user.id, 'Test · Linux')).token);
  return web;
}

async function anonymousPost() {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { anonymousPosting: true });
  const author = await member(rt, 'anon');
  assert.equal((await author.api.api('POST', `/api/v1/groups/${group.id}/join`)).status < 300, true);
  const thread = await threadIn(owner.api, group.id);
  const post = await author.api.api('POST', `/api/v1/threads/${thread.threadId}/posts`, {
    body: 'Quietly',
    anonymous: true,
  });
  assert.equal(post.status, 201);
  return { owner, group, author, thread, postId: post.json().post.id as string };
}

const reveal = (who: Person, postId: string, reason = 'Credible threat against a member') =>
  who.api.api('POST', '/api/v1/moderation/reveals', { postId, reason });
const decide = (who: Person, id: string, approve: boolean) =>
  who.api.api('POST', `/api/v1/moderation/reveals/${id}/decision`, { approve });
const read = (who: Person, id: string) => who.api.api('GET', `/api/v1/moderation/reveals/${id}`);

test('only administrators ask; a second administrator or instance moderator approves; the requester alone is shown the author, once', async () => {
  const s = await anonymousPost();
  const admin = await withRole('admin', 'adm');
  const secondAdmin = await withRole('admin', 'adm2');
  const instanceModerator = await withRole('moderator', 'imod');

  assert.equal((await reveal(s.owner, s.postId)).status, 403, 'a group owner may not ask');
  assert.equal((await reveal(instanceModerator, s.postId)).status, 403, 'nor an instance moderator');
  assert.equal((await reveal(admin, s.postId, '')).status, 422, 'a reason is needed');
  assert.equal((await reveal(admin, s.thread.postId)).status, 409, 'a post with a named author has nothing to reveal');
  assert.equal((await reveal(admin, 'no-such-post')).status, 404);

  const asked = await reveal(admin, s.postId);
  assert.equal(asked.status, 201);
  const id = asked.json().reveal.id as string;

  const pending = await read(admin, id);
  assert.equal(pending.status, 200);
  assert.equal(pending.json().reveal.status, 'pending');
  assert.equal(pending.json().author, null, 'nothing before approval');
  assert.equal((await read(s.owner, id)).status, 404, 'members do not see requests');
  assert.equal((await decide(s.owner, id, true)).status, 403);

  const own = await decide(admin, id, true);
  assert.equal(own.status, 403, 'the requester cannot approve their own request');
  assert.equal(own.json().error.message, 'Someone other than the requester must decide this request.');
  assert.equal((await decide(instanceModerator, id, true)).status, 204);
  assert.equal((await decide(secondAdmin, id, false)).status, 409, 'decided once');

  // Only the requester is shown, and only once.
  const approver = await read(instanceModerator, id);
  assert.equal(approver.json().author, null);
  assert.equal((await read(secondAdmin, id)).json().author, null);
  const shown = await read(admin, id);
  assert.deepEqual(shown.json().author, { username: s.author.user.username });
  assert.equal(shown.json().reveal.shown, true);
  const again = await read(admin, id);
  assert.equal(again.json().author, null, 'never twice');
  assert.equal(again.json().reveal.shown, true);

  // Each step is in the instance's log, without the author.
  const rows = await rt.ctx.db.selectFrom('moderation_log').selectAll().where('target_id', '=', s.postId).execute();
  assert.deepEqual(rows.map((r) => [r.action, r.actor_id, r.group_id]).sort(), [
    ['reveal.approve', instanceModerator.user.id, null],
    ['reveal.request', admin.user.id, null],
    ['reveal.show', admin.user.id, null],
  ]);
  for (const r of rows) {
    assert.equal(r.target_user_id, null);
    assert.ok(!JSON.stringify(r).includes(s.author.user.id), 'no author id in the log');
  }
  const stored = await rt.ctx.db
    .selectFrom('reveal_requests')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(stored).includes(s.author.user.id), 'no author id in the request');
  // Members of the group do not see the reveal in their group's log: it is the instance's.
  const groupLog = (await s.owner.api.api('GET', `/api/v1/moderation/log?groupId=${s.group.id}`)).json()
    .entries as any[];
  assert.ok(!groupLog.some((e) => e.action.startsWith('reveal.')));
  const instanceLog = (await instanceModerator.api.api('GET', '/api/v1/moderation/log')).json().entries as any[];
  assert.ok(instanceLog.some((e) => e.action === 'reveal.approve' && e.actor === instanceModerator.user.username));
});

test('a declined request shows nothing, ever', async () => {
  const s = await anonymousPost();
  const admin = await withRole('admin', 'adm');
  const other = await withRole('admin', 'adm2');
  const id = (await reveal(admin, s.postId)).json().reveal.id;
  assert.equal((await decide(other, id, false)).status, 204);
  const after = await read(admin, id);
  assert.equal(after.json().reveal.status, 'declined');
  assert.equal(after.json().author, null);
  const actions = await rt.ctx.db
    .selectFrom('moderation_log')
    .select('action')
    .where('target_id', '=', s.postId)
    .execute();
  assert.deepEqual(actions.map((a) => a.action).sort(), ['reveal.decline', 'reveal.request']);
});

test('without JavaScript: ask, approve, and show once from the pages', async () => {
  const s = await anonymousPost();
  const admin = await withRole('admin', 'adm');
  const moderator = await withRole('moderator', 'imod');
  const asking = await inBrowser(admin);
  const empty = await asking.submit('/moderation/reveals', '/moderation/reveals', { postId: s.postId, reason: '' });
  assert.equal(empty.status, 422);
  const sent = await asking.submit('/moderation/reveals', '/moderation/reveals', {
    postId: s.postId,
    reason: 'Threats',
  });
  assert.equal(sent.status, 303);
  const url = sent.headers.location as string;
  assert.match((await asking.get(url)).body, /Waiting for a decision/);
  assert.doesNotMatch((await asking.get(url)).body, new RegExp(s.author.user.username));

  const approving = await inBrowser(moderator);
  const list = await approving.get('/moderation/reveals');
  assert.match(list.body, /Threats/);
  assert.doesNotMatch(list.body, /action="\/moderation\/reveals"/, 'moderators do not ask');
  const approved = await approving.submit(url, `${url}/decision`, { approve: 'yes' });
  assert.equal(approved.status, 303);
  assert.equal((await approving.request('POST', `${url}/show`, { form: {} })).status, 403);

  const page = await asking.get(url);
  assert.match(page.body, /Show the author \(once\)/);
  assert.doesNotMatch(page.body, new RegExp(s.author.user.username), 'reading the page shows nothing');
  const shown = await asking.submit(url, `${url}/show`, {});
  assert.equal(shown.status, 200);
  assert.match(shown.body, new RegExp(s.author.user.username));
  const later = await asking.get(url);
  assert.doesNotMatch(later.body, new RegExp(s.author.user.username));
  assert.match(later.body, /shown to the requester already/);
  assert.equal((await (await inBrowser(s.owner)).get('/moderation/reveals')).status, 404);
});
