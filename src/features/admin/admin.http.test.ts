import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, defaultPassphrase, signInAs, type SeededUser } from '../../../test/support/seed.js';
import { ensureSetupLink } from './setup-service.js';

let rt: TestRuntime;
let admin: SeededUser;
let member: SeededUser;
let moderator: SeededUser;

before(async () => {
  rt = await createTestRuntime({ registrationOverride: undefined });
});
after(async () => rt.close());

async function clientFor(user: SeededUser) {
  const client = new TestClient(rt.app);
  await signInAs(rt, client, user);
  return client;
}

test('first run: the setup link creates the administrator once, and only while there is none', async () => {
  const sctx = () => serviceContext(rt.ctx);
  const token = await ensureSetupLink(sctx());
  assert.ok(token);
  assert.equal(await ensureSetupLink(sctx()), token, 'a start while the link is valid prints the same link');
  rt.advance(24 * 60 * 60 * 1000 + 1);
  const stale = await ensureSetupLink(sctx());
  assert.ok(stale && stale !== token, 'an expired link is replaced by a new one');
  const visitor = new TestClient(rt.app);
  assert.equal((await visitor.get(`/setup/${token}`)).status, 404, 'the expired link no longer works');
  assert.equal((await visitor.get('/setup/not-a-token')).status, 404);
  const weak = await visitor.submit(`/setup/${stale}`, `/setup/${stale}`, {
    username: 'first_admin',
    passphrase: 'short',
  });
  assert.equal(weak.status, 422);
  const done = await visitor.submit(`/setup/${stale}`, `/setup/${stale}`, {
    username: 'first_admin',
    passphrase: defaultPassphrase,
  });
  assert.equal(done.status, 200);
  assert.equal((done.body.match(/<li><code>/g) ?? []).length, 10);
  assert.equal((await visitor.get('/admin')).status, 200, 'the new administrator is signed in');
  const row = await rt.ctx.db
    .selectFrom('users')
    .select('role')
    .where('username_key', '=', 'first_admin')
    .executeTakeFirstOrThrow();
  assert.equal(row.role, 'admin');
  assert.equal((await new TestClient(rt.app).get(`/setup/${stale}`)).status, 404, 'used up');
  assert.equal(await ensureSetupLink(sctx()), null, 'no link once an administrator exists');

  admin = await createUser(rt, { username: 'the_admin', role: 'admin' });
  member = await createUser(rt, { username: 'plain_member', trust: 'member' });
  moderator = await createUser(rt, { username: 'a_moderator', role: 'moderator' });
});

test('members and moderators cannot even see that the admin pages exist', async () => {
  for (const user of [member, moderator]) {
    const client = await clientFor(user);
    for (const path of ['/admin', '/admin/users'])
      assert.equal((await client.get(path)).status, 404, `${user.role} ${path}`);
    assert.equal((await client.submit('/', '/admin/invites', { uses: '1', days: '1' })).status, 403);
  }
  // A member who is not trusted makes no invites of their own; instance moderators do (ADR 0051).
  const client = await clientFor(member);
  assert.equal((await client.get('/api/v1/invites')).status, 404);
  const token = (await client.get('/api/v1/me')).json().csrfToken;
  assert.equal((await client.api('POST', '/api/v1/invites', {}, { 'x-csrf-token': token })).status, 403);
  assert.equal((await new TestClient(rt.app).api('POST', '/api/v1/invites', {})).status, 401);
});

test('invites: created once with a code shown once, listed without codes, revoked', async () => {
  const client = new TestClient(rt.app);
  client.bearer = (
    await client.api('POST', '/api/v1/auth/login', { username: admin.username, passphrase: defaultPassphrase })
  ).json().token;
  const created = await client.api('POST', '/api/v1/invites', { uses: 2, days: 3 });
  assert.equal(created.status, 201);
  const invite = created.json().invite;
  assert.deepEqual(Object.keys(invite).sort(), ['code', 'expiresAt', 'id', 'url', 'usesLeft']);
  assert.equal(invite.usesLeft, 2);
  const zero = await client.api('POST', '/api/v1/invites', { uses: 0 });
  assert.equal(zero.status, 422, 'a schema violation answers as a service refusal does');
  assert.equal(zero.json().error.fields[0].field, 'uses');
  const list = await client.get('/api/v1/invites');
  assert.ok(list.json().invites.some((i: { id: string }) => i.id === invite.id));
  assert.ok(!list.body.includes(invite.code), 'codes are never listed');
  const stored = await rt.ctx.db
    .selectFrom('invites')
    .selectAll()
    .where('id', '=', invite.id)
    .executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(stored).includes(invite.code), 'only a hash is stored');

  const newcomer = new TestClient(rt.app);
  const joined = await newcomer.api('POST', '/api/v1/auth/register', {
    username: 'invited_one',
    passphrase: defaultPassphrase,
    invite: invite.code,
  });
  assert.equal(joined.status, 201);
  assert.equal((await client.api('DELETE', `/api/v1/invites/${invite.id}`)).status, 204);
  const late = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
    username: 'invited_two',
    passphrase: defaultPassphrase,
    invite: invite.code,
  });
  assert.equal(late.status, 422);
});

test('the admin page creates invites, sets the registration mode and records it all in the audit log', async () => {
  const client = await clientFor(admin);
  const page = await client.submit('/admin', '/admin/invites', { uses: '3', days: '7' });
  assert.equal(page.status, 200);
  assert.match(page.body, /<p class="invite-code" dir="ltr"><code>[a-z0-9]{4}(-[a-z0-9]{4}){3}<\/code>/);
  const bad = await client.submit('/admin', '/admin/invites', { uses: 'lots', days: '7' });
  assert.equal(bad.status, 422);
  const mode = await client.submit('/admin', '/admin/settings/registration', { mode: 'open' });
  assert.equal(mode.status, 303);
  const anyone = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
    username: 'open_door',
    passphrase: defaultPassphrase,
  });
  assert.equal(anyone.status, 201);
  const audit = await rt.ctx.db.selectFrom('audit_log').selectAll().where('actor_id', '=', admin.id).execute();
  const actions = audit.map((a) => a.action);
  assert.ok(actions.includes('invite.create'));
  assert.ok(actions.includes('settings.registration'));
  assert.doesNotMatch(JSON.stringify(audit), /10\.\d+\.\d+\.\d+|passphrase|Mozilla/);
});

test('accounts: search, change a role, never demote the last administrator, issue a reset code', async () => {
  const client = await clientFor(admin);
  const search = await client.get('/admin/users?q=PLAIN');
  assert.ok(search.body.includes('plain_member'));
  assert.ok(!search.body.includes('a_moderator'));
  const role = await client.submit('/admin/users', `/admin/users/${member.id}/role`, { role: 'moderator' });
  assert.equal(role.status, 303);
  const row = await rt.ctx.db.selectFrom('users').select('role').where('id', '=', member.id).executeTakeFirstOrThrow();
  assert.equal(row.role, 'moderator');
  // Two administrators here: a reset code waits for the other's approval (reset-codes.http.test.ts).
  const reset = await client.submit('/admin/users', `/admin/users/${member.id}/reset-code`, {});
  assert.equal(reset.status, 303);
  assert.equal(reset.headers.location, '/admin/users?done=requested');

  const solo = await createTestRuntime();
  try {
    const only = await createUser(solo, { username: 'only_admin', role: 'admin' });
    const c = new TestClient(solo.app);
    await signInAs(solo, c, only);
    const demote = await c.submit('/admin/users', `/admin/users/${only.id}/role`, { role: 'member' });
    assert.equal(demote.status, 409);
  } finally {
    await solo.close();
  }
});
