import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { TestClient } from '../../../test/support/client.js';
import { createUser, defaultPassphrase } from '../../../test/support/seed.js';
import { createInvite } from '../invites/service.js';
import { issueResetCode } from '../admin/reset-codes.js';
import { setRegistrationMode } from '../admin/settings-service.js';
import { systemActor } from '../../security/actor.js';

const passphrase = 'seven kind words under the lemon tree';
let rt: TestRuntime;
let counter = 0;
const uniqueName = (base = 'user') => `${base}_${++counter}`;

before(async () => {
  // The stored setting decides here (no env override), so each test can switch modes.
  rt = await createTestRuntime({ registrationOverride: undefined });
});
after(async () => rt.close());

async function setMode(mode: 'open' | 'invite' | 'closed') {
  const admin = await createUser(rt, { username: uniqueName('admin'), role: 'admin' });
  await setRegistrationMode(
    serviceContext(rt.ctx),
    { kind: 'user', id: admin.id, username: admin.username, role: 'admin' },
    mode,
  );
}

describe('registration', () => {
  test('in open mode the API creates an account, a session and ten recovery codes', async () => {
    await setMode('open');
    const client = new TestClient(rt.app);
    const username = uniqueName('Layla');
    const res = await client.api('POST', '/api/v1/auth/register', { username, passphrase });
    assert.equal(res.status, 201);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['recoveryCodes', 'token', 'user']);
    assert.deepEqual(Object.keys(body.user).sort(), ['id', 'role', 'username']);
    assert.equal(body.user.username, username);
    assert.equal(body.user.role, 'member');
    assert.equal(body.recoveryCodes.length, 10);
    assert.equal(new Set(body.recoveryCodes).size, 10);
    assert.match(body.user.id, /^[A-Za-z0-9_-]{22}$/);
    client.bearer = body.token;
    const me = await client.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.json().user.username, username);
    assert.equal(me.json().csrfToken, undefined, 'bearer clients need no CSRF token');
    const row = await rt.ctx.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', body.user.id)
      .executeTakeFirstOrThrow();
    assert.match(row.passphrase_hash, /^\$argon2id\$/);
    assert.equal(row.created_at % 86_400_000, 0, 'only the day is stored');
    const codes = await rt.ctx.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', body.user.id)
      .execute();
    assert.equal(codes.length, 10);
    for (const code of body.recoveryCodes)
      assert.ok(!codes.some((c) => c.code_hash.includes(code)), 'codes are stored hashed');
  });

  test('in invite mode a valid invite is required and each use is counted', async () => {
    await setMode('invite');
    const invite = await createInvite(serviceContext(rt.ctx), systemActor, { uses: 2, days: 1 });
    const client = new TestClient(rt.app);
    const missing = await client.api('POST', '/api/v1/auth/register', { username: uniqueName(), passphrase });
    assert.equal(missing.status, 422);
    assert.equal(missing.json().error.fields[0].field, 'invite');
    const wrong = await client.api('POST', '/api/v1/auth/register', {
      username: uniqueName(),
      passphrase,
      invite: 'aaaa-bbbb-cccc-dddd',
    });
    assert.equal(wrong.status, 422);
    for (let i = 0; i < 2; i++) {
      const ok = await client.api('POST', '/api/v1/auth/register', {
        username: uniqueName(),
        passphrase,
        invite: invite.code.toUpperCase(),
      });
      assert.equal(ok.status, 201);
    }
    const usedUp = await client.api('POST', '/api/v1/auth/register', {
      username: uniqueName(),
      passphrase,
      invite: invite.code,
    });
    assert.equal(usedUp.status, 422);
    const expiring = await createInvite(serviceContext(rt.ctx), systemActor, { uses: 5, days: 1 });
    rt.advance(2 * 86_400_000);
    const expired = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
      username: uniqueName(),
      passphrase,
      invite: expiring.code,
    });
    assert.equal(expired.status, 422);
  });

  test('behind one address (a Tor exit, a NAT), a valid invite passes the per-address limit; without one it holds (ADR 0044)', async () => {
    await setMode('invite');
    const shared = '192.0.2.44';
    const invite = await createInvite(serviceContext(rt.ctx), systemActor, { uses: 20, days: 1 });
    const from = (body: Record<string, string>, path = '/api/v1/auth/register') => {
      const client = new TestClient(rt.app);
      client.remoteAddress = shared;
      return client.api('POST', path, body);
    };
    // More than the per-address limit (ten an hour), each with the invite.
    for (let i = 0; i < 12; i++) {
      const r = await from({ username: uniqueName('tor'), passphrase, invite: invite.code });
      assert.equal(r.status, 201, `invited registration ${i + 1}: ${r.body}`);
    }
    await setMode('open');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await from({ username: uniqueName('nat'), passphrase })).status);
    assert.deepEqual(statuses, [...Array(10).fill(201), 429], 'without an invite, ten an hour from one address');
    const guessed = await from({ username: uniqueName('nat'), passphrase, invite: 'aaaa-bbbb-cccc-dddd' });
    assert.equal(guessed.status, 429, 'a wrong invite counts against the address, as no invite does');
    const invited = await from({ username: uniqueName('tor'), passphrase, invite: invite.code });
    assert.equal(invited.status, 201, 'a valid invite still gets in from the limited address');
    const form = new TestClient(rt.app);
    form.remoteAddress = shared;
    const page = await form.submit('/register', '/register', {
      username: uniqueName('web'),
      passphrase,
      invite: invite.code,
    });
    assert.equal(page.status, 200, 'the form too');
    const left = await rt.ctx.db
      .selectFrom('invites')
      .select('uses_left')
      .where('id', '=', invite.id)
      .executeTakeFirstOrThrow();
    assert.equal(left.uses_left, 20 - 14, 'each use counted on the invite, which bounds them');
  });

  test('in open mode, a one-use invite sent many times at once lets one registration past a full address limit, not all', async () => {
    await setMode('open');
    const shared = '192.0.2.45';
    const from = (body: Record<string, string>) => {
      const client = new TestClient(rt.app);
      client.remoteAddress = shared;
      return client.api('POST', '/api/v1/auth/register', body);
    };
    // The address has used its ten an hour.
    for (let i = 0; i < 10; i++) assert.equal((await from({ username: uniqueName('full'), passphrase })).status, 201);
    assert.equal((await from({ username: uniqueName('full'), passphrase })).status, 429);
    const invite = await createInvite(serviceContext(rt.ctx), systemActor, { uses: 1, days: 1 });
    // All sent at once: each sees the invite usable before any of them has used it.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => from({ username: uniqueName('race'), passphrase, invite: invite.code })),
    );
    const created = answers.filter((r) => r.status === 201).length;
    assert.equal(created, 1, `one invite use admits one account: ${answers.map((r) => r.status).join(',')}`);
    for (const r of answers.filter((a) => a.status !== 201)) assert.ok([422, 429].includes(r.status), r.body);
  });

  test('in invite mode, without a valid invite, a taken username looks exactly like a free one', async () => {
    await setMode('invite');
    const taken = await createUser(rt, { username: uniqueName('taken') });
    const answers = [];
    for (const username of [taken.username, uniqueName('free')]) {
      for (const invite of [undefined, 'aaaa-bbbb-cccc-dddd']) {
        const res = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
          username,
          passphrase,
          ...(invite ? { invite } : {}),
        });
        answers.push({ status: res.status, body: res.body });
      }
      const form = await new TestClient(rt.app).submit('/register', '/register', {
        username,
        passphrase,
        invite: 'aaaa-bbbb-cccc-dddd',
      });
      answers.push({
        status: form.status,
        body: form.body.replace(/name="_csrf" value="[^"]*"/, '').replace(username, 'NAME'),
      });
    }
    assert.deepEqual(answers.slice(0, 3), answers.slice(3), 'the same answers for the taken name and the free one');
    assert.deepEqual(
      answers.map((a) => a.status),
      [422, 422, 422, 422, 422, 422],
    );
    const invite = await createInvite(serviceContext(rt.ctx), systemActor, { uses: 1, days: 1 });
    const withInvite = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
      username: taken.username,
      passphrase,
      invite: invite.code,
    });
    assert.equal(withInvite.status, 409, 'with a valid invite the name is said to be taken');
    const unused = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
      username: uniqueName(),
      passphrase,
      invite: invite.code,
    });
    assert.equal(unused.status, 201, 'the refused attempt did not use the invite up');
  });

  test('in closed mode nobody registers, and the page says so', async () => {
    await setMode('closed');
    const client = new TestClient(rt.app);
    const res = await client.api('POST', '/api/v1/auth/register', { username: uniqueName(), passphrase });
    assert.equal(res.status, 403);
    const page = await client.get('/register');
    assert.match(page.body, /Registration is closed/);
    assert.doesNotMatch(page.body, /name="passphrase"/);
  });

  test('taken and look-alike usernames are refused with 409', async () => {
    await setMode('open');
    const client = new TestClient(rt.app);
    await createUser(rt, { username: 'martin' });
    for (const username of ['Martin', 'MARTIN', 'rnartin', 'ｍａｒｔｉｎ']) {
      const res = await client.api('POST', '/api/v1/auth/register', { username, passphrase });
      assert.equal(res.status, 409, username);
      assert.equal(res.json().error.code, 'conflict');
    }
    await createUser(rt, { username: 'يوسف' });
    const arabic = await client.api('POST', '/api/v1/auth/register', { username: 'یوسف', passphrase });
    assert.equal(arabic.status, 409, 'Persian yeh looks like Arabic yeh');
  });

  test('weak passphrases and bad usernames get localised field errors', async () => {
    await setMode('open');
    const client = new TestClient(rt.app);
    client.acceptLanguage = 'ar';
    const res = await client.api('POST', '/api/v1/auth/register', { username: 'аdmin', passphrase: 'password1' });
    assert.equal(res.status, 422);
    const fields = res
      .json()
      .error.fields.map((f: { field: string }) => f.field)
      .sort();
    assert.deepEqual(fields, ['passphrase', 'username']);
    assert.match(res.json().error.message, /[\u0600-\u06FF]/, 'the message is in Arabic');
  });

  test('the HTML form keeps the username, never the passphrase, and shows the codes once', async () => {
    await setMode('open');
    const client = new TestClient(rt.app);
    const bad = await client.submit('/register', '/register', { username: 'ok_name_here', passphrase: 'short' });
    assert.equal(bad.status, 422);
    assert.match(bad.body, /value="ok_name_here"/);
    assert.doesNotMatch(bad.body, /value="short"/);
    assert.match(bad.body, /class="error-summary"/);
    const username = uniqueName('نور');
    const good = await client.submit('/register', '/register', { username, passphrase });
    assert.equal(good.status, 200);
    assert.equal((good.body.match(/<li><code>/g) ?? []).length, 10);
    assert.equal(good.headers['cache-control'], 'no-store');
    const home = await client.get('/');
    assert.ok(home.body.includes(username), 'signed in after registering');
  });

  test('a form without a valid CSRF token is refused', async () => {
    const client = new TestClient(rt.app);
    await client.get('/register');
    const res = await client.postForm('/register', { username: uniqueName(), passphrase, _csrf: 'forged' });
    assert.equal(res.status, 403);
    const none = await new TestClient(rt.app).postForm('/login', { username: 'x', passphrase: 'y' });
    assert.equal(none.status, 403);
  });
});

describe('sign-in', () => {
  test('wrong passphrase and unknown user give the same answer', async () => {
    const user = await createUser(rt, { username: uniqueName() });
    const client = new TestClient(rt.app);
    const wrong = await client.api('POST', '/api/v1/auth/login', {
      username: user.username,
      passphrase: 'not the right one at all',
    });
    const unknown = await client.api('POST', '/api/v1/auth/login', {
      username: uniqueName('ghost'),
      passphrase: 'not the right one at all',
    });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  test('each sign-in gets a fresh token; sign-in is case-insensitive on the username', async () => {
    const user = await createUser(rt, { username: uniqueName('Sara') });
    const client = new TestClient(rt.app);
    const first = await client.api('POST', '/api/v1/auth/login', {
      username: user.username.toUpperCase(),
      passphrase: defaultPassphrase,
    });
    const second = await client.api('POST', '/api/v1/auth/login', {
      username: user.username,
      passphrase: defaultPassphrase,
    });
    assert.equal(first.status, 200);
    assert.notEqual(first.json().token, second.json().token);
    assert.deepEqual(Object.keys(first.json().user).sort(), ['id', 'role', 'username']);
  });

  test('the session cookie is HttpOnly, SameSite=Lax, and Secure with __Host- over HTTPS', async () => {
    const https = await createTestRuntime({ trustProxy: 1 });
    try {
      const user = await createUser(https, { username: 'secure_one' });
      const client = new TestClient(https.app);
      const page = await client.get('/login', { 'x-forwarded-proto': 'https' });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const res = await client.request('POST', '/login', {
        form: { username: user.username, passphrase: defaultPassphrase, _csrf: token },
        headers: { 'x-forwarded-proto': 'https' },
      });
      assert.equal(res.status, 303);
      const cookies = [res.headers['set-cookie']].flat().join('\n');
      const session = cookies.split('\n').find((c) => c.startsWith('__Host-sanad_session='));
      assert.ok(session, cookies);
      assert.match(session, /; HttpOnly/);
      assert.match(session, /; Secure/);
      assert.match(session, /; SameSite=Lax/);
      assert.match(session, /; Path=\//);
      assert.doesNotMatch(session, /Domain=/);
      assert.match(String(res.headers['strict-transport-security']), /max-age=/);
    } finally {
      await https.close();
    }
  });

  test('sessions end after the idle timeout and after the absolute lifetime', async () => {
    const user = await createUser(rt, { username: uniqueName() });
    const client = new TestClient(rt.app);
    const login = await client.api('POST', '/api/v1/auth/login', {
      username: user.username,
      passphrase: defaultPassphrase,
    });
    client.bearer = login.json().token;
    assert.equal((await client.get('/api/v1/me')).status, 200);
    rt.advance((rt.config.sessionIdleMinutes + 20) * 60_000);
    assert.equal((await client.get('/api/v1/me')).status, 401, 'idle too long');

    client.bearer = undefined; // a stale token is refused even on the sign-in route
    const again = await client.api('POST', '/api/v1/auth/login', {
      username: user.username,
      passphrase: defaultPassphrase,
    });
    client.bearer = again.json().token;
    const step = (rt.config.sessionIdleMinutes - 30) * 60_000;
    const lifetime = rt.config.sessionAbsoluteDays * 86_400_000;
    for (let elapsed = 0; elapsed + step < lifetime; elapsed += step) {
      rt.advance(step);
      assert.equal((await client.get('/api/v1/me')).status, 200, `kept alive by use (after ${elapsed + step} ms)`);
    }
    rt.advance(step);
    assert.equal((await client.get('/api/v1/me')).status, 401, 'past the absolute lifetime');
  });

  test('ten failures stop a stranger’s address on an account, but not its owner on a known browser', async () => {
    const user = await createUser(rt, { username: uniqueName('target') });
    const owner = new TestClient(rt.app);
    const ok = await owner.submit('/login', '/login', {
      username: user.username,
      passphrase: defaultPassphrase,
      next: '/',
    });
    assert.equal(ok.status, 303);
    assert.ok(owner.cookies.has('sanad_device'));
    await owner.submit('/', '/logout', {});

    const stranger = new TestClient(rt.app);
    for (let i = 0; i < 10; i++) {
      const res = await stranger.api('POST', '/api/v1/auth/login', {
        username: user.username,
        passphrase: `guess number ${i} here`,
      });
      assert.equal(res.status, 401);
    }
    const locked = await stranger.api('POST', '/api/v1/auth/login', {
      username: user.username,
      passphrase: defaultPassphrase,
    });
    assert.equal(locked.status, 429, 'even the right passphrase is not checked while locked');
    assert.ok(Number(locked.headers['retry-after']) > 0);

    const back = await owner.submit('/login', '/login', {
      username: user.username,
      passphrase: defaultPassphrase,
      next: '/account',
    });
    assert.equal(back.status, 303, 'the owner with their device cookie still gets in');
    assert.equal(back.headers.location, '/account');
  });

  test('a stranger sharing the owner’s address (a Tor exit) cannot lock the owner out either', async () => {
    const user = await createUser(rt, { username: uniqueName('tor_user') });
    const owner = new TestClient(rt.app);
    await owner.submit('/login', '/login', { username: user.username, passphrase: defaultPassphrase, next: '/' });
    await owner.submit('/', '/logout', {});
    const stranger = new TestClient(rt.app);
    stranger.remoteAddress = owner.remoteAddress;
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) {
      status = (
        await stranger.api('POST', '/api/v1/auth/login', {
          username: uniqueName('probe'),
          passphrase: `guess ${i} here`,
        })
      ).status;
    }
    assert.equal(status, 429, 'the shared address is limited');
    const back = await owner.submit('/login', '/login', {
      username: user.username,
      passphrase: defaultPassphrase,
      next: '/',
    });
    assert.equal(back.status, 303, 'the owner on a known browser still gets in');
  });

  test('sign-in redirects only to local paths', async () => {
    const user = await createUser(rt, { username: uniqueName() });
    const client = new TestClient(rt.app);
    const res = await client.submit('/login', '/login', {
      username: user.username,
      passphrase: defaultPassphrase,
      next: '//evil.example/x',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/');
  });

  test('an Arabic path to return to is followed, percent-encoded, and the session cookie is set', async () => {
    const user = await createUser(rt, { username: uniqueName() });
    const arabicPath = '/groups/مجموعة?بحث=نعم#أسفل';
    const encoded = new URL(arabicPath, 'http://x').href.slice('http://x'.length);
    const client = new TestClient(rt.app);
    // Signed out, a page with an Arabic address sends the reader to sign in, remembering it.
    const asked = await client.get(arabicPath.split('#')[0]!);
    assert.equal(asked.status, 303);
    const loginUrl = String(asked.headers.location);
    const login = await client.get(loginUrl);
    assert.equal(login.status, 200);
    const res = await client.submit(loginUrl, '/login', {
      username: user.username,
      passphrase: defaultPassphrase,
      next: arabicPath,
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, encoded);
    assert.ok(client.cookies.has('sanad_session'), 'the browser holds the session it began');
    assert.equal((await client.get('/account')).status, 200);
    for (const next of ['/\\evil.example/مجموعة', '//مثال.example/', 'https://مثال.example/']) {
      const away = await client.submit('/login', '/login', {
        username: user.username,
        passphrase: defaultPassphrase,
        next,
      });
      assert.equal(away.headers.location, '/', next);
    }
  });
});

describe('sign-out', () => {
  test('ends the session at once and clears what the browser kept', async () => {
    const user = await createUser(rt, { username: uniqueName() });
    const api = new TestClient(rt.app);
    api.bearer = (
      await api.api('POST', '/api/v1/auth/login', { username: user.username, passphrase: defaultPassphrase })
    ).json().token;
    const out = await api.api('POST', '/api/v1/auth/logout');
    assert.equal(out.status, 204);
    assert.match(String(out.headers['clear-site-data']), /"cache"/);
    assert.equal((await api.get('/api/v1/me')).status, 401);

    const browser = new TestClient(rt.app);
    await browser.submit('/login', '/login', { username: user.username, passphrase: defaultPassphrase, next: '/' });
    const res = await browser.submit('/', '/logout', {});
    assert.equal(res.status, 303);
    assert.match(String(res.headers['clear-site-data']), /"storage"/);
    assert.ok(!browser.cookies.has('sanad_session'));
    assert.equal((await browser.get('/account')).status, 303);

    // Signing out of a session that already expired just lands on the home page.
    await browser.submit('/login', '/login', { username: user.username, passphrase: defaultPassphrase, next: '/' });
    const page = await browser.get('/');
    await rt.ctx.db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    const stale = await browser.postForm('/logout', { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    assert.equal(stale.status, 303);
    const forged = await browser.submit('/login', '/login', {
      username: user.username,
      passphrase: defaultPassphrase,
      next: '/',
    });
    assert.equal(forged.status, 303);
    assert.equal(
      (await browser.postForm('/logout', { _csrf: 'forged' })).status,
      403,
      'a signed-in sign-out still needs the token',
    );
  });
});

describe('recovery', () => {
  test('a recovery code sets a new passphrase once and ends every other session', async () => {
    const client = new TestClient(rt.app);
    await setMode('open');
    const username = uniqueName();
    const reg = (await client.api('POST', '/api/v1/auth/register', { username, passphrase })).json();
    const otherDevice = new TestClient(rt.app);
    otherDevice.bearer = reg.token;

    const visitor = new TestClient(rt.app);
    const newPassphrase = 'a brand new passphrase for me';
    const res = await visitor.api('POST', '/api/v1/auth/recover', {
      username,
      code: reg.recoveryCodes[3],
      passphrase: newPassphrase,
    });
    assert.equal(res.status, 200);
    assert.equal(res.json().recoveryCodesLeft, 9);
    assert.equal((await otherDevice.get('/api/v1/me')).status, 401, 'older sessions are gone');
    const reused = await visitor.api('POST', '/api/v1/auth/recover', {
      username,
      code: reg.recoveryCodes[3],
      passphrase: 'yet another passphrase here',
    });
    assert.equal(reused.status, 401, 'a code works once');
    const login = await visitor.api('POST', '/api/v1/auth/login', { username, passphrase: newPassphrase });
    assert.equal(login.status, 200);
  });

  test('an administrator reset code works once, until it expires', async () => {
    const user = await createUser(rt, { username: uniqueName() });
    const reset = await issueResetCode(serviceContext(rt.ctx), systemActor, user.id);
    const client = new TestClient(rt.app);
    const page = await client.submit('/recover', '/recover', {
      username: user.username,
      code: reset.code,
      passphrase: 'the reset worked nicely',
    });
    assert.equal(page.status, 200);
    assert.match(page.body, /no recovery codes left/, 'seeded accounts start without codes');
    const again = await new TestClient(rt.app).api('POST', '/api/v1/auth/recover', {
      username: user.username,
      code: reset.code,
      passphrase: 'the reset worked nicely 2',
    });
    assert.equal(again.status, 401);

    const late = await issueResetCode(serviceContext(rt.ctx), systemActor, user.id);
    rt.advance(73 * 60 * 60 * 1000);
    const expired = await new TestClient(rt.app).api('POST', '/api/v1/auth/recover', {
      username: user.username,
      code: late.code,
      passphrase: 'too late for this one',
    });
    assert.equal(expired.status, 401);
  });

  test('unknown users and wrong codes get the same answer', async () => {
    const user = await createUser(rt, { username: uniqueName() });
    const client = new TestClient(rt.app);
    const wrong = await client.api('POST', '/api/v1/auth/recover', {
      username: user.username,
      code: 'aaaa-bbbb-cccc-dddd',
      passphrase,
    });
    const unknown = await client.api('POST', '/api/v1/auth/recover', {
      username: uniqueName('ghost'),
      code: 'aaaa-bbbb-cccc-dddd',
      passphrase,
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });
});

describe('bad input', () => {
  test('malformed, oversized and mistyped bodies get a clear 4xx in the one error shape', async () => {
    const client = new TestClient(rt.app);
    const malformed = await client.request('POST', '/api/v1/auth/login', {
      headers: { 'content-type': 'application/json' },
      form: undefined as never,
    });
    assert.ok(malformed.status >= 400 && malformed.status < 500);
    const broken = await rt.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'bad_request');
    const huge = await client.api('POST', '/api/v1/auth/login', { username: 'x', passphrase: 'y'.repeat(70_000) });
    assert.equal(huge.status, 413);
    assert.equal(huge.json().error.code, 'payload_too_large');
    const typed = await client.api('POST', '/api/v1/auth/login', { username: 42, passphrase: ['a'] });
    assert.equal(typed.status, 422);
    assert.equal(typed.json().error.code, 'validation_failed');
    assert.equal(typed.json().error.fields[0].field, 'username');
    const extra = await client.api('POST', '/api/v1/auth/register', { username: 'abc', passphrase, email: 'a@b.c' });
    assert.equal(extra.status, 422, 'no field beyond the schema is accepted');
    assert.deepEqual(extra.json().error.fields, [{ field: 'email', message: 'This field is not accepted here' }]);
  });
});
