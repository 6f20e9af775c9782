import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { TestClient } from '../../test/support/client.js';
import { createUser, signInAs } from '../../test/support/seed.js';
import { buildApp } from './app.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

describe('security headers', () => {
  const expectStrictHeaders = (headers: Record<string, unknown>, label: string) => {
    const csp = String(headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "script-src 'self'",
    ]) {
      assert.ok(csp.includes(directive), `${label}: ${directive}`);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/, label);
    assert.equal(headers['referrer-policy'], 'no-referrer', label);
    assert.equal(headers['x-content-type-options'], 'nosniff', label);
    assert.match(String(headers['permissions-policy']), /camera=\(\).*geolocation=\(\).*microphone=\(\)/, label);
    assert.equal(headers['strict-transport-security'], undefined, `${label}: no HSTS over plain HTTP`);
  };

  test('on pages, API answers, errors and assets', async () => {
    const client = new TestClient(rt.app);
    const page = await client.get('/');
    const api = await client.get('/api/v1/openapi.json');
    const missing = await client.get('/api/v1/nothing-here');
    const asset = await client.get(/href="(\/assets\/app\.css[^"]*)"/.exec(page.body)![1]!);
    for (const [label, res] of Object.entries({ page, api, missing, asset })) expectStrictHeaders(res.headers, label);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(missing.headers['cache-control'], 'no-store');
    assert.match(String(asset.headers['cache-control']), /immutable/);
  });

  test('HSTS over HTTPS', async () => {
    const https = await createTestRuntime({ trustProxy: 1 });
    try {
      const res = await new TestClient(https.app).get('/', { 'x-forwarded-proto': 'https' });
      assert.match(String(res.headers['strict-transport-security']), /max-age=\d{8}/);
    } finally {
      await https.close();
    }
  });
});

describe('language', () => {
  const langOf = (html: string) => /<html lang="(\w+)" dir="(\w+)"/.exec(html)!.slice(1).join(' ');

  test('chosen from Accept-Language, Arabic by default, and a cookie wins', async () => {
    const client = new TestClient(rt.app);
    for (const [header, expected] of [
      ['ar-EG,ar;q=0.9', 'ar rtl'],
      ['en-GB,en;q=0.9', 'en ltr'],
      ['fr-FR,fr;q=0.9', 'ar rtl'],
      ['fr;q=0.9,en;q=0.8,ar;q=0.1', 'en ltr'],
      ['', 'ar rtl'],
    ] as const) {
      client.acceptLanguage = header;
      assert.equal(langOf((await client.get('/')).body), expected, header);
    }
    client.acceptLanguage = 'ar';
    const switched = await client.get('/lang/en?next=/safety');
    assert.equal(switched.status, 303);
    assert.equal(switched.headers.location, '/safety');
    assert.equal(langOf((await client.get('/safety')).body), 'en ltr', 'the cookie beats the header');
  });

  test('the switch only redirects within the site', async () => {
    const client = new TestClient(rt.app);
    // Dot segments that resolve to a path starting with two slashes, which a browser reads as another host.
    for (const next of [
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      '/.//evil.example',
      '/a/..//evil.example',
      '/%2e//evil.example',
    ]) {
      const res = await client.get(`/lang/en?next=${encodeURIComponent(next)}`);
      assert.equal(res.headers.location, '/', next);
    }
    assert.equal((await client.get('/lang/fr')).status, 400);
    const arabic = await client.get(`/lang/en?next=${encodeURIComponent('/groups?q=قاهرة')}`);
    assert.equal(arabic.status, 303);
    assert.equal(arabic.headers.location, '/groups?q=%D9%82%D8%A7%D9%87%D8%B1%D8%A9');
  });

  test('errors are localised too', async () => {
    const client = new TestClient(rt.app);
    client.acceptLanguage = 'ar';
    const res = await client.get('/api/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json(), { error: { code: 'not_found', message: 'الصفحة غير موجودة' } });
  });
});

describe('quick exit', () => {
  test('is the first focusable element of every page', async () => {
    const user = await createUser(rt, { username: 'focus_order', role: 'admin' });
    const client = new TestClient(rt.app);
    const pages = ['/', '/login', '/register', '/recover', '/safety', '/quick-exit', '/missing'];
    const check = async (path: string) => {
      const body = (await client.get(path)).body.split('<body>')[1]!;
      const first = /<(a|button|input|select|textarea)\b[^>]*>/.exec(body)![0];
      assert.match(first, /class="quick-exit"/, path);
    };
    for (const path of pages) await check(path);
    await signInAs(rt, client, user);
    for (const path of ['/', '/account', '/account/sessions', '/admin']) await check(path);
  });

  test('without JavaScript: ends the session, clears the browser, leaves for the neutral site', async () => {
    const user = await createUser(rt, { username: 'leaves_fast' });
    const client = new TestClient(rt.app);
    await signInAs(rt, client, user);
    const res = await client.get('/exit');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, rt.config.quickExitUrl);
    assert.equal(res.headers['clear-site-data'], '"cache", "cookies", "storage"');
    const sessions = await rt.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    assert.equal(sessions.length, 0);
  });

  test('from our own pages or the address bar it signs out; from another site it only leaves', async () => {
    const user = await createUser(rt, { username: 'exits_twice' });
    const sessionsOf = async () =>
      (await rt.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).length;
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } as Record<string, string>,
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' },
      { referer: 'https://evil.example/page' },
    ]) {
      const client = new TestClient(rt.app);
      await signInAs(rt, client, user);
      const before = await sessionsOf();
      const res = await client.get('/exit', headers);
      const label = JSON.stringify(headers);
      assert.equal(res.status, 303, label);
      assert.equal(res.headers.location, rt.config.quickExitUrl, label);
      assert.equal(res.headers['clear-site-data'], undefined, label);
      assert.equal(res.headers['set-cookie'], undefined, label);
      assert.equal(await sessionsOf(), before, `${label}: the session goes on`);
      assert.equal((await client.get('/account')).status, 200, label);
    }
    const own: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
      { referer: 'http://localhost:80/account' },
    ];
    for (const headers of own) {
      const client = new TestClient(rt.app);
      await signInAs(rt, client, user);
      const before = await sessionsOf();
      const res = await client.get('/exit', headers);
      const label = JSON.stringify(headers);
      assert.equal(res.headers.location, rt.config.quickExitUrl, label);
      assert.equal(res.headers['clear-site-data'], '"cache", "cookies", "storage"', label);
      assert.equal(await sessionsOf(), before - 1, `${label}: the session ended`);
      assert.equal((await client.get('/account')).status, 303, label);
    }
  });
});

describe('the API', () => {
  test('is described by an OpenAPI 3.1 document generated from the routes', async () => {
    const doc = (await new TestClient(rt.app).get('/api/v1/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/sessions',
      '/api/v1/sessions/{id}',
      '/api/v1/invites',
      '/healthz',
      '/readyz',
    ]) {
      assert.ok(doc.paths[path], path);
    }
    const community = [
      ['get', '/api/v1/groups'],
      ['post', '/api/v1/groups'],
      ['get', '/api/v1/groups/{id}'],
      ['patch', '/api/v1/groups/{id}'],
      ['post', '/api/v1/groups/{id}/join'],
      ['post', '/api/v1/groups/{id}/leave'],
      ['get', '/api/v1/groups/{id}/members'],
      ['get', '/api/v1/groups/{id}/requests'],
      ['post', '/api/v1/groups/{id}/requests/{requestId}/approve'],
      ['post', '/api/v1/groups/{id}/requests/{requestId}/decline'],
      ['post', '/api/v1/groups/{id}/invites'],
      ['get', '/api/v1/groups/{id}/threads'],
      ['post', '/api/v1/groups/{id}/threads'],
      ['get', '/api/v1/threads/{id}'],
      ['post', '/api/v1/threads/{id}/posts'],
      ['patch', '/api/v1/posts/{id}'],
      ['delete', '/api/v1/posts/{id}'],
      ['post', '/api/v1/posts/{id}/reactions/{kind}'],
      ['delete', '/api/v1/posts/{id}/reactions/{kind}'],
      ['get', '/api/v1/notifications'],
      ['get', '/api/v1/search'],
    ] as const;
    for (const [method, path] of community) assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
    assert.equal(doc.paths['/login'], undefined, 'HTML pages are not part of the API');
    assert.ok(doc.paths['/api/v1/auth/register'].post.responses['201']);
    assert.ok(doc.paths['/api/v1/auth/register'].post.responses['409']);
  });

  test('health and readiness', async () => {
    const client = new TestClient(rt.app);
    assert.deepEqual((await client.get('/healthz')).json(), { status: 'ok' });
    const backend = rt.ctx.engine === 'postgres' ? 'postgres' : 'local';
    assert.deepEqual((await client.get('/readyz')).json(), { status: 'ok', realtime: { backend, connected: true } });
  });

  test('a bad bearer token is refused with 401, not ignored', async () => {
    const client = new TestClient(rt.app);
    client.bearer = 'not-a-real-token';
    const res = await client.get('/api/v1/me');
    assert.equal(res.status, 401);
    assert.equal(res.json().error.code, 'unauthenticated');
  });

  test('wrong content types and bodies never cause a 500', async () => {
    const client = new TestClient(rt.app);
    const xml = await rt.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
      remoteAddress: client.remoteAddress,
    });
    assert.equal(xml.statusCode, 415);
    assert.equal(xml.json().error.code, 'unsupported_media_type');
    const form = await client.request('POST', '/api/v1/auth/register', {
      form: { username: 'cross_site', passphrase: 'a form from elsewhere' },
    });
    assert.equal(form.status, 415, 'the API refuses form bodies');
    const nullBody = await rt.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: 'null',
      remoteAddress: client.remoteAddress,
    });
    assert.equal(nullBody.statusCode, 400);
  });
});

describe('deny by default', () => {
  test('a route without a policy stops the app from starting', async () => {
    const probe = await buildApp(rt.ctx);
    assert.throws(() => probe.get('/forgot-a-policy', async () => 'oops'), /declares no policy/);
    await probe.close();
  });
});

test('request logs hold method, route pattern, status and duration only', async () => {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({ ...rt.ctx, config: { ...rt.ctx.config, logLevel: 'info' } }, { logStream });
  const user = await createUser(rt, { username: 'log_subject' });
  const client = new TestClient(app);
  await signInAs(rt, client, user);
  await client.get('/account/sessions?secret=query-value', { 'user-agent': 'Mozilla/5.0 UniqueAgent/1.0' });
  await client.get('/lang/en?next=/safety');
  await app.close();
  const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.route);
  assert.ok(requestLines.length >= 2);
  for (const line of requestLines) {
    assert.deepEqual(Object.keys(line).sort(), ['level', 'method', 'ms', 'reqId', 'route', 'status', 'time'].sort());
  }
  assert.ok(
    requestLines.some((l) => l.route === '/lang/:locale'),
    'the pattern, not the URL',
  );
  const all = lines.join('\n');
  for (const secret of [client.remoteAddress, 'query-value', 'UniqueAgent', 'log_subject', user.id, 'sanad_session']) {
    assert.ok(!all.includes(secret), `logs must not contain ${secret}`);
  }
});
