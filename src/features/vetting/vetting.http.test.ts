// Approval registration and frozen accounts (issue 11, ADR 0051).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, defaultPassphrase, signInAs, type SeededUser } from '../../../test/support/seed.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { createSession } from '../../security/sessions.js';
import { serviceContext } from '../../app-context.js';
import { systemActor } from '../../security/actor.js';
import { declinedKeptMs, expireDeclined } from './applications.js';

let rt: TestRuntime;
let admin: SeededUser;
let moderator: SeededUser;
let modApi: TestClient;
before(async () => {
  rt = await createTestRuntime({ registrationOverride: 'approval' });
  admin = await createUser(rt, { username: 'the_admin', role: 'admin' });
  moderator = await createUser(rt, { username: 'queue_mod', role: 'moderator' });
  modApi = await apiFor(moderator);
});
after(async () => rt.close());

let counter = 0;
const name = (prefix: string) => `${prefix}${++counter}_${Math.random().toString(36).slice(2, 6)}`;

async function apiFor(user: SeededUser): Promise<TestClient> {
  const client = new TestClient(rt.app);
  client.bearer = (await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux')).token;
  return client;
}
async function webFor(user: SeededUser): Promise<TestClient> {
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  return client;
}

const questions = ['How did you hear of us?', 'Who do you know here?'];

async function setQuestions() {
  const web = await webFor(admin);
  const saved = await web.submit('/admin', '/admin/settings/questions', {
    question1: questions[0]!,
    question2: questions[1]!,
    question3: '',
  });
  assert.equal(saved.status, 303);
}

async function apply(username: string) {
  const web = new TestClient(rt.app);
  return web.submit('/register', '/register', {
    username,
    passphrase: defaultPassphrase,
    answer1: 'From a friend at the community centre',
    answer2: 'Nobody yet',
  });
}

const signIn = (username: string) =>
  new TestClient(rt.app).submit('/login', '/login', { username, passphrase: defaultPassphrase });

test('approval mode: an applicant answers the questions, waits, is admitted, and the answers are deleted', async () => {
  await setQuestions();
  const form = await new TestClient(rt.app).get('/register');
  assert.ok(form.body.includes(questions[0]!) && form.body.includes(questions[1]!));

  const missing = await new TestClient(rt.app).submit('/register', '/register', {
    username: name('noanswer'),
    passphrase: defaultPassphrase,
    answer1: 'Only one',
  });
  assert.equal(missing.status, 422, 'every question needs an answer');

  const username = name('applicant');
  const applied = await apply(username);
  assert.equal(applied.status, 200);
  assert.ok(applied.body.includes('Your application is sent'));
  assert.ok(!applied.headers['set-cookie']?.toString().includes('sanad_session='), 'no session for an applicant');

  const waiting = await signIn(username);
  assert.equal(waiting.status, 403);
  assert.ok(waiting.body.includes('Your application is waiting'));
  const apiLogin = await new TestClient(rt.app).api('POST', '/api/v1/auth/login', {
    username,
    passphrase: defaultPassphrase,
  });
  assert.equal(apiLogin.status, 403);

  const queue = (await modApi.get('/api/v1/admin/applications')).json().applications;
  const mine = queue.find((a: { username: string }) => a.username === username);
  assert.deepEqual(mine.answers, [
    { question: questions[0], answer: 'From a friend at the community centre' },
    { question: questions[1], answer: 'Nobody yet' },
  ]);
  const modWeb = await webFor(moderator);
  const page = await modWeb.get('/moderation/applications');
  assert.equal(page.status, 200);
  assert.ok(page.body.includes('From a friend at the community centre'));

  const decided = await modApi.api('POST', `/api/v1/admin/applications/${mine.id}/decision`, { decision: 'approve' });
  assert.equal(decided.status, 204);
  assert.equal(
    await rt.ctx.db.selectFrom('applications').select('id').where('id', '=', mine.id).executeTakeFirst(),
    undefined,
    'the answers are gone',
  );
  const signedIn = await signIn(username);
  assert.equal(signedIn.status, 303, 'admitted: sign-in works');
  const log = await rt.ctx.db
    .selectFrom('moderation_log')
    .select(['action', 'actor_id', 'target_user_id'])
    .where('action', '=', 'application.approve')
    .execute();
  assert.deepEqual(log, [{ action: 'application.approve', actor_id: moderator.id, target_user_id: null }]);
});

test('a declined applicant reads the message once at sign-in, and the account is deleted', async () => {
  const username = name('declined');
  assert.equal((await apply(username)).status, 200);
  const modWeb = await webFor(moderator);
  const queue = (await modApi.get('/api/v1/admin/applications')).json().applications;
  const app = queue.find((a: { username: string }) => a.username === username);
  const declined = await modWeb.submit('/moderation/applications', `/moderation/applications/${app.id}/decision`, {
    decision: 'decline',
    message: 'We only admit people vouched for in person.',
  });
  assert.equal(declined.status, 303);
  const row = await rt.ctx.db
    .selectFrom('applications')
    .select(['status', 'answers'])
    .where('id', '=', app.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'declined', answers: null }, 'the answers are deleted at the decision');

  const arabic = new TestClient(rt.app);
  arabic.acceptLanguage = 'ar';
  const told = await arabic.submit('/login', '/login', { username, passphrase: defaultPassphrase });
  assert.equal(told.status, 403);
  assert.ok(told.body.includes('لم يُقبل الطلب'));
  assert.ok(told.body.includes('We only admit people vouched for in person.'));
  assert.equal(
    await rt.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst(),
    undefined,
    'the account is deleted once they have read it',
  );
  assert.equal((await signIn(username)).status, 401);
});

test('an invite that works admits at once in approval mode, and records the inviter', async () => {
  const adminApi = await apiFor(admin);
  const code = (await adminApi.api('POST', '/api/v1/invites', {})).json().invite.code;
  const joined = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
    username: name('invited'),
    passphrase: defaultPassphrase,
    invite: code,
  });
  assert.equal(joined.status, 201, joined.body);
  const row = await rt.ctx.db
    .selectFrom('users')
    .select('invited_by')
    .where('id', '=', joined.json().user.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.invited_by, admin.id);
  const pending = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
    username: name('apiapplicant'),
    passphrase: defaultPassphrase,
    answers: ['a', 'b'],
  });
  assert.equal(pending.status, 202);
  assert.deepEqual(Object.keys(pending.json()).sort(), ['pending', 'recoveryCodes', 'user']);
});

test('members, trusted members and group moderators cannot see or decide applications', async () => {
  const owner = await member(rt, 'gowner');
  await createGroupAs(owner.api);
  for (const trust of ['new', 'member', 'trusted'] as const) {
    const { user, api } = await member(rt, 'nosy');
    await rt.ctx.db.updateTable('users').set({ trust_level: trust }).where('id', '=', user.id).execute();
    assert.equal((await api.get('/api/v1/admin/applications')).status, 404);
    assert.equal((await api.api('POST', '/api/v1/admin/applications/x/decision', { decision: 'approve' })).status, 403);
  }
  // A group's owner moderates the group, not the instance.
  assert.equal((await owner.api.get('/api/v1/admin/applications')).status, 404);
  assert.equal((await (await webFor(owner.user)).get('/moderation/applications')).status, 404);
});

test('a frozen account reads, writes nothing, is not told, and its posts are hidden from others', async () => {
  const suspect = await member(rt, 'suspect');
  const group = await createGroupAs(suspect.api);
  const { threadId } = await threadIn(suspect.api, group.id, { body: 'Where do you all meet?' });
  const reader = await member(rt, 'reader');
  assert.equal((await reader.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status < 300, true);

  const frozen = await modApi.api('POST', `/api/v1/users/${suspect.user.id}/freeze`, {
    reason: 'Asked everyone where they live',
  });
  assert.equal(frozen.status, 204, frozen.body);

  // Reads still work; writes are refused with a neutral message.
  assert.equal((await suspect.api.get(`/api/v1/threads/${threadId}`)).status, 200);
  const write = await suspect.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Anyone?' });
  assert.equal(write.status, 403);
  assert.equal(write.json().error.message, 'This cannot be done right now. Try again later.');
  const web = await webFor(suspect.user);
  assert.equal((await web.get('/')).status, 200);
  const out = await web.submit('/', '/logout', {});
  assert.equal(out.status, 303, 'signing out still works');

  // Not told: no notification, the log names nobody as its subject.
  const notices = (await suspect.api.get('/api/v1/notifications')).json().notifications;
  assert.equal(notices.length, 0);
  const log = await rt.ctx.db
    .selectFrom('moderation_log')
    .select(['action', 'target_id', 'target_user_id', 'reason', 'case_id'])
    .where('target_id', '=', suspect.user.id)
    .executeTakeFirstOrThrow();
  assert.equal(log.action, 'user.freeze');
  assert.equal(log.target_user_id, null);
  const openCase = await rt.ctx.db
    .selectFrom('moderation_cases')
    .innerJoin('reports', 'reports.case_id', 'moderation_cases.id')
    .select(['moderation_cases.id', 'moderation_cases.status', 'reports.reason', 'reports.reporter_id'])
    .where('moderation_cases.target_type', '=', 'user')
    .where('moderation_cases.target_id', '=', suspect.user.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    { status: openCase.status, reason: openCase.reason, reporter: openCase.reporter_id, caseId: openCase.id },
    { status: 'open', reason: 'frozen', reporter: null, caseId: log.case_id },
  );

  // Named by others, it is not told.
  const naming = await reader.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
    body: `@${suspect.user.username} are you still around?`,
  });
  assert.equal(naming.status, 201, naming.body);
  const mentions = (await suspect.api.get('/api/v1/notifications')).json().notifications;
  // It still watches its own thread, so it hears of the reply as before; it is not told it was named.
  assert.deepEqual(
    mentions.map((n: { kind: string }) => n.kind),
    ['reply'],
    'no mention reaches a frozen account',
  );

  // Others no longer read its posts; the account itself still sees them as before.
  const seenByReader = (await reader.api.get(`/api/v1/threads/${threadId}`)).json();
  assert.ok(!JSON.stringify(seenByReader).includes('Where do you all meet?'));
  const seenBySuspect = (await suspect.api.get(`/api/v1/threads/${threadId}`)).json();
  assert.ok(JSON.stringify(seenBySuspect).includes('Where do you all meet?'));
  assert.equal(seenBySuspect.posts[0].hidden, false, 'nothing on its own page gives it away');

  const unfrozen = await modApi.api('POST', `/api/v1/users/${suspect.user.id}/unfreeze`, {
    reason: 'Verified in person',
  });
  assert.equal(unfrozen.status, 204);
  assert.equal(
    (await suspect.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Back again' })).status,
    201,
  );
  const resolved = await rt.ctx.db
    .selectFrom('moderation_cases')
    .select('status')
    .where('id', '=', openCase.id)
    .executeTakeFirstOrThrow();
  assert.equal(resolved.status, 'resolved');
});

test('who may freeze: instance moderators over those they outrank; never members or group moderators', async () => {
  const target = await member(rt, 'target');
  const owner = await member(rt, 'gmod');
  await createGroupAs(owner.api);
  for (const api of [target.api, owner.api]) {
    assert.equal((await api.api('POST', `/api/v1/users/${target.user.id}/freeze`, { reason: 'x' })).status, 403);
  }
  assert.equal((await modApi.api('POST', `/api/v1/users/${admin.id}/freeze`, { reason: 'x' })).status, 403);
  assert.equal((await modApi.api('POST', '/api/v1/users/nobody/freeze', { reason: 'x' })).status, 404);
  assert.equal((await modApi.api('POST', `/api/v1/users/${target.user.id}/freeze`, { reason: '' })).status, 422);

  // The account page's form.
  const modWeb = await webFor(moderator);
  const page = `/moderation/accounts/${target.user.id}`;
  assert.equal((await modWeb.get(page)).status, 200);
  const done = await modWeb.submit(page, `${page}/freeze`, { reason: 'Taken over, says a friend' });
  assert.equal(done.status, 303);
  const row = await rt.ctx.db
    .selectFrom('users')
    .select('frozen_at')
    .where('id', '=', target.user.id)
    .executeTakeFirstOrThrow();
  assert.notEqual(row.frozen_at, null);
  assert.equal((await (await webFor(owner.user)).get(page)).status, 404);
});

test('a declined applicant who never comes back is deleted after 30 days', async () => {
  const username = name('gone');
  assert.equal((await apply(username)).status, 200);
  const queue = (await modApi.get('/api/v1/admin/applications')).json().applications;
  const app = queue.find((a: { username: string }) => a.username === username);
  assert.equal(
    (await modApi.api('POST', `/api/v1/admin/applications/${app.id}/decision`, { decision: 'decline' })).status,
    204,
  );
  const ctx = () => serviceContext(rt.ctx);
  assert.equal(await expireDeclined(ctx(), systemActor), 0, 'kept while they may still come to read it');
  rt.advance(declinedKeptMs + 1);
  assert.equal(await expireDeclined(ctx(), systemActor), 1);
  assert.equal(
    await rt.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst(),
    undefined,
  );
});
