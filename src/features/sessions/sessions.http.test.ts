import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, defaultPassphrase } from '../../../test/support/seed.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const firefoxAndroid = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';

async function signIn(username: string, userAgent?: string) {
  const client = new TestClient(rt.app);
  const res = await client.api(
    'POST',
    '/api/v1/auth/login',
    { username, passphrase: defaultPassphrase },
    userAgent ? { 'user-agent': userAgent } : undefined,
  );
  client.bearer = res.json().token;
  return client;
}

test('the list shows coarse devices and days, marks this one, and never an address', async () => {
  const user = await createUser(rt, { username: 'lists_sessions' });
  const phone = await signIn(user.username, firefoxAndroid);
  const laptop = await signIn(user.username);
  const res = await laptop.get('/api/v1/sessions');
  assert.equal(res.status, 200);
  const sessions = res.json().sessions;
  assert.equal(sessions.length, 2);
  for (const s of sessions)
    assert.deepEqual(Object.keys(s).sort(), ['createdAt', 'current', 'device', 'id', 'lastActiveDay']);
  assert.equal(sessions.filter((s: { current: boolean }) => s.current).length, 1);
  assert.ok(sessions.some((s: { device: string }) => s.device === 'Firefox · Android'));
  assert.ok(sessions.every((s: { lastActiveDay: number }) => s.lastActiveDay % 86_400_000 === 0));
  assert.doesNotMatch(res.body, /10\.\d+\.\d+\.\d+|127\.0\.0\.1/);
  const stored = await rt.ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
  assert.doesNotMatch(JSON.stringify(stored), /10\.\d+\.\d+\.\d+|127\.0\.0\.1|Mozilla/);
  assert.equal((await phone.get('/api/v1/me')).status, 200);
});

test('revoking a session ends it at once; another member’s session answers 404', async () => {
  const user = await createUser(rt, { username: 'revokes_one' });
  const stranger = await createUser(rt, { username: 'stranger_one' });
  const phone = await signIn(user.username, firefoxAndroid);
  const laptop = await signIn(user.username);
  const strangerClient = await signIn(stranger.username);
  const phoneId = (await laptop.get('/api/v1/sessions'))
    .json()
    .sessions.find((s: { current: boolean }) => !s.current).id;
  assert.equal((await strangerClient.api('DELETE', `/api/v1/sessions/${phoneId}`)).status, 404);
  assert.equal((await phone.get('/api/v1/me')).status, 200);
  assert.equal((await laptop.api('DELETE', `/api/v1/sessions/${phoneId}`)).status, 204);
  assert.equal((await phone.get('/api/v1/me')).status, 401);
  assert.equal((await laptop.api('DELETE', '/api/v1/sessions/doesnotexist')).status, 404);
});

test('the page revokes one session or all the others, with JavaScript off', async () => {
  const user = await createUser(rt, { username: 'page_revoker' });
  const others = [await signIn(user.username), await signIn(user.username)];
  const browser = new TestClient(rt.app);
  await browser.submit('/login', '/login', {
    username: user.username,
    passphrase: defaultPassphrase,
    next: '/account/sessions',
  });
  const page = await browser.get('/account/sessions');
  assert.equal(page.status, 200);
  assert.equal((page.body.match(/class="session( |")/g) ?? []).length, 3);
  assert.equal((page.body.match(/session session-current/g) ?? []).length, 1);
  const otherId = /action="\/account\/sessions\/([^/]+)\/revoke"/.exec(
    page.body.replace(/<li[^>]*session-current[\s\S]*?<\/li>/, ''),
  )![1]!;
  const one = await browser.submit('/account/sessions', `/account/sessions/${otherId}/revoke`, {});
  assert.equal(one.status, 303);
  const all = await browser.submit('/account/sessions', '/account/sessions/revoke-others', {});
  assert.equal(all.status, 303);
  for (const other of others) assert.equal((await other.get('/api/v1/me')).status, 401);
  assert.equal((await browser.get('/account/sessions')).status, 200, 'this browser stays signed in');
});
