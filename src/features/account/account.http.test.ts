import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, defaultPassphrase, signInAs } from '../../../test/support/seed.js';
import { createInvite } from '../invites/service.js';
import { issueResetCode } from '../admin/reset-codes.js';
import { systemActor } from '../../security/actor.js';

let rt: TestRuntime;
let counter = 0;
const uniqueName = () => `acct_${++counter}`;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

async function registered() {
  const client = new TestClient(rt.app);
  const username = uniqueName();
  const body = (await client.api('POST', '/api/v1/auth/register', { username, passphrase: defaultPassphrase })).json();
  client.bearer = body.token;
  return { client, username, id: body.user.id as string, codes: body.recoveryCodes as string[] };
}

test('the account page shows who you are, and no-store keeps it out of caches', async () => {
  const user = await createUser(rt, { username: uniqueName() });
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  const page = await client.get('/account');
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(user.username));
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match(page.body, /href="\/account\/warnings"/, 'content-warning choices are reachable from the account');
  const me = await client.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.deepEqual(Object.keys(me.json().user).sort(), ['address', 'createdAt', 'id', 'role', 'username']);
  assert.ok(me.json().csrfToken, 'cookie sessions learn their CSRF token');
});

test('cookie-authenticated API changes need the CSRF token, bearer ones do not', async () => {
  const user = await createUser(rt, { username: uniqueName() });
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  const body = { current: defaultPassphrase };
  assert.equal((await client.api('POST', '/api/v1/me/recovery-codes', body)).status, 403);
  const token = (await client.get('/api/v1/me')).json().csrfToken;
  const ok = await client.api('POST', '/api/v1/me/recovery-codes', body, { 'x-csrf-token': token });
  assert.equal(ok.status, 200);
  assert.equal(ok.json().recoveryCodes.length, 10);
});

test('changing the passphrase needs the current one and ends other sessions by default', async () => {
  const { client, username } = await registered();
  const other = new TestClient(rt.app);
  other.bearer = (
    await other.api('POST', '/api/v1/auth/login', { username, passphrase: defaultPassphrase })
  ).json().token;
  const wrong = await client.api('POST', '/api/v1/me/passphrase', {
    current: 'not it at all',
    passphrase: 'a new one that is long',
  });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.json().error.fields[0].field, 'current');
  const weak = await client.api('POST', '/api/v1/me/passphrase', {
    current: defaultPassphrase,
    passphrase: 'qwerty123',
  });
  assert.equal(weak.status, 422);
  const ok = await client.api('POST', '/api/v1/me/passphrase', {
    current: defaultPassphrase,
    passphrase: 'a new one that is long',
  });
  assert.equal(ok.status, 204);
  assert.equal((await client.get('/api/v1/me')).status, 200, 'this session stays');
  assert.equal((await other.get('/api/v1/me')).status, 401, 'the other one is over');
  const login = await new TestClient(rt.app).api('POST', '/api/v1/auth/login', {
    username,
    passphrase: 'a new one that is long',
  });
  assert.equal(login.status, 200);
});

test('the HTML passphrase form shows errors beside the field and confirms success', async () => {
  const user = await createUser(rt, { username: uniqueName() });
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  const bad = await client.submit('/account', '/account/passphrase', {
    current: 'wrong wrong wrong',
    passphrase: 'another good passphrase',
    endOtherSessions: 'on',
  });
  assert.equal(bad.status, 422);
  assert.match(bad.body, /id="field-passphrase-current-error"/);
  assert.match(bad.body, /href="#field-passphrase-current"/, 'the summary links to the field');
  assert.equal((bad.body.match(/id="field-[a-z]+-current"/g) ?? []).length, 4, 'four forms, four distinct ids');
  const good = await client.submit('/account', '/account/passphrase', {
    current: defaultPassphrase,
    passphrase: 'another good passphrase',
    endOtherSessions: 'on',
  });
  assert.equal(good.status, 303);
  assert.match((await client.get(good.headers.location as string)).body, /has been changed/);
});

test('new recovery codes replace the old ones', async () => {
  const { client, username, codes } = await registered();
  const fresh = (await client.api('POST', '/api/v1/me/recovery-codes', { current: defaultPassphrase })).json()
    .recoveryCodes;
  const visitor = new TestClient(rt.app);
  const old = await visitor.api('POST', '/api/v1/auth/recover', {
    username,
    code: codes[0],
    passphrase: 'recovered with old code',
  });
  assert.equal(old.status, 401);
  const fine = await visitor.api('POST', '/api/v1/auth/recover', {
    username,
    code: fresh[0],
    passphrase: 'recovered with new code',
  });
  assert.equal(fine.status, 200);
});

test('deleting the account removes every row tied to it, at once', async () => {
  const { client, id } = await registered();
  const admin = await createUser(rt, { username: uniqueName(), role: 'admin' });
  await issueResetCode(serviceContext(rt.ctx), systemActor, id);
  const adminActor = { kind: 'user' as const, id: admin.id, username: admin.username, role: 'admin' as const };
  await createInvite(serviceContext(rt.ctx), adminActor, { uses: 1, days: 1 });
  const denied = await client.api('DELETE', '/api/v1/me', { current: 'wrong passphrase here' });
  assert.equal(denied.status, 422);
  const res = await client.api('DELETE', '/api/v1/me', { current: defaultPassphrase });
  assert.equal(res.status, 204);
  const db = rt.ctx.db;
  assert.equal((await db.selectFrom('users').select('id').where('id', '=', id).execute()).length, 0);
  assert.equal((await db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).length, 0);
  assert.equal((await db.selectFrom('recovery_codes').select('id').where('user_id', '=', id).execute()).length, 0);
  assert.equal((await db.selectFrom('reset_codes').select('user_id').where('user_id', '=', id).execute()).length, 0);
  assert.equal(
    (
      await db
        .selectFrom('audit_log')
        .select('id')
        .where((eb) => eb.or([eb('actor_id', '=', id), eb('subject', '=', id)]))
        .execute()
    ).length,
    0,
  );
  assert.equal((await client.get('/api/v1/me')).status, 401);
});

test('the HTML deletion needs the tick box, then signs out and clears the browser', async () => {
  const user = await createUser(rt, { username: uniqueName() });
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  const unticked = await client.submit('/account', '/account/delete', { current: defaultPassphrase });
  assert.equal(unticked.status, 422);
  const done = await client.submit('/account', '/account/delete', { current: defaultPassphrase, confirm: 'on' });
  assert.equal(done.status, 200);
  assert.match(String(done.headers['clear-site-data']), /"cookies"/);
  assert.equal((await rt.ctx.db.selectFrom('users').select('id').where('id', '=', user.id).execute()).length, 0);
});

test('the last administrator cannot delete their account', async () => {
  const solo = await createTestRuntime();
  try {
    const admin = await createUser(solo, { username: 'only_admin', role: 'admin' });
    const client = new TestClient(solo.app);
    client.bearer = (
      await client.api('POST', '/api/v1/auth/login', { username: admin.username, passphrase: defaultPassphrase })
    ).json().token;
    const res = await client.api('DELETE', '/api/v1/me', { current: defaultPassphrase });
    assert.equal(res.status, 409);
  } finally {
    await solo.close();
  }
});

test('account pages and API need a session', async () => {
  const visitor = new TestClient(rt.app);
  const page = await visitor.get('/account');
  assert.equal(page.status, 303);
  assert.equal(page.headers.location, '/login?next=%2Faccount');
  assert.equal((await visitor.get('/api/v1/me')).status, 401);
  assert.equal((await visitor.api('DELETE', '/api/v1/me', { current: 'x' })).status, 401);
});

// How the interface addresses a member (ADR 0037) ----------------------------------------------

/** A member signed in by cookie, reading Arabic. */
async function arabicReader() {
  const user = await createUser(rt, { username: uniqueName() });
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  client.acceptLanguage = 'ar';
  return { user, client };
}

const chosenIn = (html: string) => /name="address" value="(\w+)" checked/.exec(html)?.[1];

test('members choose how Arabic addresses them on the account page, without JavaScript', async () => {
  const { client } = await arabicReader();
  const before = await client.get('/account');
  assert.equal(chosenIn(before.body), 'neutral', 'plural/neutral unless chosen');
  const saved = await client.submit('/account', '/account/address', { address: 'feminine' });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.location, '/account?done=address');
  const after = await client.get('/account?done=address');
  assert.equal(chosenIn(after.body), 'feminine');
  assert.ok(after.body.includes('تخاطبكِ الواجهة الآن بصيغة المؤنث'), 'the notice already speaks in the chosen form');
  assert.equal((await client.get('/api/v1/me')).json().user.address, 'feminine');

  const refused = await client.submit('/account', '/account/address', { address: 'royal' });
  assert.equal(refused.status, 422);
  assert.ok(refused.body.includes('يُختار أحد الخيارات الثلاثة'));
  assert.equal((await client.get('/api/v1/me')).json().user.address, 'feminine', 'a refused choice changes nothing');
});

test('the API reads and changes the form of address, and refuses others', async () => {
  const { client } = await registered();
  assert.equal((await client.get('/api/v1/me')).json().user.address, 'neutral');
  const changed = await client.api('PATCH', '/api/v1/me', { address: 'masculine' });
  assert.equal(changed.status, 200);
  assert.equal(changed.json().user.address, 'masculine');
  assert.equal((await client.get('/api/v1/me')).json().user.address, 'masculine');
  const refused = await client.api('PATCH', '/api/v1/me', { address: 'royal' });
  assert.equal(refused.status, 422);
  assert.equal(refused.json().error.code, 'validation_failed');
  assert.equal(refused.json().error.fields[0].field, 'address');
  assert.equal((await client.api('PATCH', '/api/v1/me', {})).status, 422);
  const back = await client.api('PATCH', '/api/v1/me', { address: 'neutral' });
  assert.equal(back.json().user.address, 'neutral');
  const visitor = new TestClient(rt.app);
  assert.equal((await visitor.api('PATCH', '/api/v1/me', { address: 'feminine' })).status, 401);
});

test('an Arabic page reads differently for each choice, and the quick exit reads the same for everyone', async () => {
  const { client } = await arabicReader();
  const pages: Record<string, string> = {};
  const exits = new Set<string>();
  const exitLabel = (html: string) => /<a[^>]*class="[^"]*quick-exit[^"]*"[^>]*>([\s\S]*?)<\/a>/.exec(html)?.[1];
  for (const address of ['neutral', 'feminine', 'masculine']) {
    await client.submit('/account', '/account/address', { address });
    const home = (await client.get('/')).body;
    pages[address] = home;
    exits.add(exitLabel(home) ?? 'missing');
  }
  assert.ok(pages.neutral!.includes('خذوا ما تحتاجونه'));
  assert.ok(pages.feminine!.includes('خذي ما تحتاجينه'));
  assert.ok(pages.masculine!.includes('خذ ما تحتاجه'));
  assert.equal(new Set(Object.values(pages).map((page) => page.replace(/name="_csrf" value="[^"]+"/g, ''))).size, 3);
  const visitor = new TestClient(rt.app);
  visitor.acceptLanguage = 'ar';
  const visitorHome = (await visitor.get('/')).body;
  exits.add(exitLabel(visitorHome) ?? 'missing');
  assert.equal(exits.size, 1, 'members of every choice and visitors see one label');
  assert.ok([...exits][0]!.startsWith('الخروج من هذه الصفحة'));
});
