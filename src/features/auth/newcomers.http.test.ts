import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import { csrfTokenIn, TestClient } from '../../../test/support/client.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createUser, defaultPassphrase, signInAs } from '../../../test/support/seed.js';
import { ensureSetupLink } from '../admin/setup-service.js';

// Issue 10, "Operators and newcomers": invite links that work when sent, and pages that tell a
// signed-in member where they are, and 404 pages that lead somewhere.

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime({ registrationOverride: 'invite' });
});
after(async () => rt.close());

async function withPublicUrl<T>(url: string | undefined, run: () => Promise<T>): Promise<T> {
  const before = rt.ctx.config.publicUrl;
  rt.ctx.config.publicUrl = url;
  try {
    return await run();
  } finally {
    rt.ctx.config.publicUrl = before;
  }
}

/** Submits a form as a browser at `origin` would: browsers send Origin with every form post. */
async function postFrom(
  client: TestClient,
  page: string,
  action: string,
  fields: Record<string, string>,
  origin: string,
) {
  const token = csrfTokenIn((await client.get(page)).body);
  return client.request('POST', action, { form: { ...fields, _csrf: token }, headers: { origin } });
}

test('the registration page fills in the code from an invite link', async () => {
  const page = await new TestClient(rt.app).get('/register?invite=abcd-efgh-ijkl-mnop');
  assert.equal(page.status, 200);
  assert.match(page.body, /<input[^>]*name="invite"[^>]*value="abcd-efgh-ijkl-mnop"/);
});

test('site invite links are absolute when the public URL is configured or the browser’s origin is the site’s', async () => {
  const admin = await createUser(rt, { username: 'siteadmin', role: 'admin' });
  const web = new TestClient(rt.app);
  await signInAs(rt, web, admin);

  const configured = await withPublicUrl('https://sanad.example', () =>
    postFrom(web, '/admin', '/admin/invites', { uses: '1', days: '1' }, 'https://elsewhere.example'),
  );
  assert.equal(configured.status, 200);
  const code = /<code>([a-z0-9-]{19})<\/code>/.exec(configured.body)?.[1];
  assert.ok(code);
  assert.ok(configured.body.includes(`<code>https://sanad.example/register?invite=${code}</code>`));

  // No public URL: the Host header counts only when the browser's Origin names the same site.
  const fromSite = await postFrom(web, '/admin', '/admin/invites', { uses: '1', days: '1' }, 'http://localhost');
  assert.match(fromSite.body, /<code>http:\/\/localhost\/register\?invite=[a-z0-9-]{19}<\/code>/);
  const forged = await postFrom(web, '/admin', '/admin/invites', { uses: '1', days: '1' }, 'https://evil.example');
  assert.match(forged.body, /<code>\/register\?invite=[a-z0-9-]{19}<\/code>/, 'a foreign origin gives a relative link');
  assert.ok(!forged.body.includes('evil.example'));

  // And the link works: it opens the registration page with the code in place.
  const link = /<code>(\/register\?invite=[a-z0-9-]{19})<\/code>/.exec(forged.body)![1]!;
  const opened = await new TestClient(rt.app).get(link);
  assert.match(opened.body, new RegExp(`name="invite"[^>]*value="${link.split('=')[1]}"`));

  const api = await member(rt, 'apiadmin');
  await rt.ctx.db.updateTable('users').set({ role: 'admin' }).where('id', '=', api.user.id).execute();
  const viaApi = await withPublicUrl('https://sanad.example', () => api.api.api('POST', '/api/v1/invites', {}));
  assert.equal(viaApi.status, 201);
  const invite = viaApi.json().invite;
  assert.equal(invite.url, `https://sanad.example/register?invite=${invite.code}`);
});

test('group invite links are absolute whenever the public origin is known, never from a forged Host', async () => {
  const owner = await member(rt, 'owner');
  const group = await createGroupAs(owner.api, { visibility: 'hidden' });
  const viaApi = await withPublicUrl('https://sanad.example', () =>
    owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, {}),
  );
  assert.match(viaApi.json().invite.url, /^https:\/\/sanad\.example\/join\/[^/]+$/);
  // An API client sends no Origin: without the configured URL the link stays relative.
  assert.match(
    (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, {}, { host: 'evil.example' })).json().invite.url,
    /^\/join\//,
  );

  const web = new TestClient(rt.app);
  await signInAs(rt, web, owner.user);
  const page = `/groups/${group.id}/invites`;
  const fromSite = await postFrom(web, page, page, { uses: '1', days: '7' }, 'http://localhost');
  assert.match(fromSite.body, /<code dir="ltr">http:\/\/localhost\/join\/[^<]+<\/code>/);
  const forgedHost = await web.request('POST', page, {
    form: { uses: '1', days: '7', _csrf: csrfTokenIn((await web.get(page)).body) },
    headers: { host: 'evil.example', origin: 'http://evil.example' },
  });
  // The Host and Origin agree here, as a proxy that passes any Host would make them: only a
  // browser at evil.example could send this, and it would only ever see its own link.
  assert.match(forgedHost.body, /<code dir="ltr">http:\/\/evil\.example\/join\//);
  const mismatched = await web.request('POST', page, {
    form: { uses: '1', days: '7', _csrf: csrfTokenIn((await web.get(page)).body) },
    headers: { host: 'evil.example', origin: 'http://localhost' },
  });
  assert.match(mismatched.body, /<code dir="ltr">\/join\//);
});

test('a signed-in member who opens the registration page is told who they are and where to go', async () => {
  const someone = await createUser(rt, { username: 'alreadyhere' });
  const web = new TestClient(rt.app);
  await signInAs(rt, web, someone);
  const page = await web.get('/register?invite=abcd-efgh-ijkl-mnop');
  assert.equal(page.status, 200);
  assert.match(page.body, /You are already signed in as <bdi>alreadyhere<\/bdi>\./);
  assert.match(page.body, /To create another account, sign out first/);
  assert.ok(!page.body.includes('action="/register"'), 'no second registration form');
  assert.match(page.body, /<main[\s\S]*href="\/account"[\s\S]*action="\/logout"/);
});

test('the recovery codes shown after registering come with the signed-in header', async () => {
  const admin = await member(rt, 'inviter');
  await rt.ctx.db.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.user.id).execute();
  const code = (await admin.api.api('POST', '/api/v1/invites', {})).json().invite.code;
  const web = new TestClient(rt.app);
  const registered = await web.submit(`/register?invite=${code}`, '/register', {
    username: 'newcomer_codes',
    passphrase: defaultPassphrase,
    invite: code,
  });
  assert.equal(registered.status, 200, registered.body);
  assert.match(registered.body, /Save your recovery codes/);
  const header = /<header class="site-header">[\s\S]*?<\/header>/.exec(registered.body)![0];
  assert.match(header, /href="\/account"/);
  assert.match(header, /action="\/logout"/);
  assert.ok(!header.includes('href="/login"'), 'the header no longer offers to sign in');
  // The sign-out form in that header works: its token belongs to the new session.
  const token = /action="\/logout"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(header)![1]!;
  assert.equal((await web.request('POST', '/logout', { form: { _csrf: token } })).status, 303);
});

test('404 pages offer a way forward, to members and visitors', async () => {
  const someone = await createUser(rt, { username: 'lostmember' });
  const web = new TestClient(rt.app);
  await signInAs(rt, web, someone);
  const lost = await web.get('/no/such/page');
  assert.equal(lost.status, 404);
  const main = /<main[\s\S]*<\/main>/.exec(lost.body)![0];
  for (const href of ['"/"', '"/groups/mine"', '"/groups"', '"/search"'])
    assert.ok(main.includes(`href=${href}`), href);
  const visitor = await new TestClient(rt.app).get('/no/such/page');
  assert.equal(visitor.status, 404);
  assert.match(visitor.body, /href="\/login\?next=%2Fno%2Fsuch%2Fpage"/);
});

test('the setup page tells a signed-in member that it makes a separate administrator account', async () => {
  // Only before any administrator exists; this file's administrators are demoted for the check.
  await rt.ctx.db.updateTable('users').set({ role: 'member' }).where('role', '=', 'admin').execute();
  const token = await ensureSetupLink(serviceContext(rt.ctx));
  assert.ok(token);
  const someone = await createUser(rt, { username: 'earlybird' });
  const web = new TestClient(rt.app);
  await signInAs(rt, web, someone);
  const page = await web.get(`/setup/${token}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /You are already signed in as <bdi>earlybird<\/bdi>\./);
  assert.match(page.body, /separate account/);
  assert.match((await new TestClient(rt.app).get(`/setup/${token}`)).body, /action="\/setup\//);
  assert.doesNotMatch((await new TestClient(rt.app).get(`/setup/${token}`)).body, /already signed in/);
});
