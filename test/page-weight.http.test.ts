import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';
import { TestClient } from './support/client.js';
import { pagesFor } from './support/pages.js';
import { createListing } from './support/resources.js';
import { createUser, signInAs } from './support/seed.js';
import { serviceContext } from '../src/app-context.js';
import { createSession } from '../src/security/sessions.js';

const budget = { total: 50 * 1024, javascript: 15 * 1024 };
let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

/** Bytes on the wire for a first visit: the page plus every stylesheet and script it loads, as the server compresses them. */
async function firstLoad(client: TestClient, path: string) {
  const headers = { 'accept-encoding': 'br, gzip' };
  const page = await client.request('GET', path, { headers });
  const html = (await client.get(path)).body;
  const assets = [...html.matchAll(/<(?:link rel="stylesheet"|script)[^>]*(?:href|src)="(\/assets\/[^"]+)"/g)].map(
    (m) => m[1]!,
  );
  assert.ok(assets.length >= 2, `${path} loads its stylesheet and script`);
  if (page.status === 200) assert.equal(page.headers['content-encoding'], 'br', `${path} is compressed`);
  let total = page.bytes;
  let javascript = 0;
  for (const asset of assets) {
    const res = await rt.app.inject({ method: 'GET', url: asset, headers });
    const size = res.rawPayload.length;
    total += size;
    if (asset.includes('.js')) javascript += size;
  }
  return { total, javascript };
}

test('every page loads under 50 KB compressed in all, with under 15 KB of JavaScript', async () => {
  const visitor = new TestClient(rt.app);
  const admin = new TestClient(rt.app);
  await signInAs(rt, admin, await createUser(rt, { username: 'weighs_pages', role: 'admin' }));
  // Every page without a parameter, found in the app's routes: a new module's pages are weighed too.
  const pages: [TestClient, string][] = [
    ...(await pagesFor(rt.app, visitor)).map((p) => [visitor, p] as [TestClient, string]),
    ...(await pagesFor(rt.app, admin)).map((p) => [admin, p] as [TestClient, string]),
    [visitor, '/missing-page'],
  ];
  for (const page of ['/login', '/', '/notifications', '/notifications/preferences', '/search', '/account/posts'])
    assert.ok(
      pages.some(([, p]) => p === page),
      `${page} is weighed`,
    );
  // A busy thread: twenty long posts with warnings, reactions and quotes.
  const adminApi = new TestClient(rt.app);
  adminApi.bearer = (
    await createSession(serviceContext(rt.ctx), (await createUser(rt, { username: 'weighs_threads' })).id, 'Test')
  ).token;
  const group = (
    await adminApi.api('POST', '/api/v1/groups', {
      name: 'Heavy group',
      description: 'Many words',
      languages: ['ar'],
      visibility: 'public',
    })
  ).json().group;
  const long = 'هذه رسالة طويلة عن تجربتي مع عائلتي والأصدقاء الذين ساعدوني كثيرا في الأيام الصعبة. '.repeat(8);
  const { threadId } = (
    await adminApi.api('POST', `/api/v1/groups/${group.id}/threads`, {
      title: 'A long discussion',
      body: long,
      warning: 'family_rejection',
    })
  ).json();
  for (let i = 0; i < 19; i++) await adminApi.api('POST', `/api/v1/threads/${threadId}/posts`, { body: long });
  await admin.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {});
  pages.push([admin, `/threads/${threadId}`], [admin, `/groups/${group.id}`]);
  // A busy listing of the resource directory: every section filled, and twenty members' long notes.
  const { serviceId } = await createListing(rt, {
    service: { description: long, eligibility_description: long.slice(0, 300) },
    terms: ['legal-aid', 'asylum-migration', 'housing-shelter', 'crisis-line'],
    address: { address_1: 'شارع الحمرا، بناية 12', city: 'بيروت', country: 'LB', confidential: true },
    phones: [{ number: '+961 1 234 567' }, { number: '+961 70 999 888', confidential: true }],
    schedules: [
      { byday: 'SA,SU,MO,TU,WE', opens_at: '09:00', closes_at: '13:00' },
      { byday: 'SA,SU,MO,TU,WE', opens_at: '14:00', closes_at: '17:00' },
      { byday: 'TH', opens_at: '22:00', closes_at: '02:00' },
    ],
    languages: ['ar', 'en', 'fr'],
  });
  for (let i = 0; i < 20; i++) {
    const writer = new TestClient(rt.app);
    writer.bearer = (
      await createSession(serviceContext(rt.ctx), (await createUser(rt, { username: `weighs_note_${i}` })).id, 'Test')
    ).token;
    const note = await writer.api('POST', `/api/v1/resources/${serviceId}/notes`, {
      body: long.slice(0, 990),
      rating: 'safe',
      anonymous: i % 2 === 0,
    });
    assert.equal(note.status, 201, note.body);
  }
  pages.push([visitor, `/resources/${serviceId}`]);
  for (const path of [`/resources/${serviceId}`, `/resources/${serviceId}/notes`, `/resources/${serviceId}/correct`])
    pages.push([admin, path]);
  for (const [client, path] of pages) {
    const weight = await firstLoad(client, path);
    assert.ok(weight.total < budget.total, `${path}: ${weight.total} bytes`);
    assert.ok(weight.javascript < budget.javascript, `${path}: ${weight.javascript} bytes of JavaScript`);
  }
});

test('assets are served compressed', async () => {
  const html = (await new TestClient(rt.app).get('/')).body;
  const css = /href="(\/assets\/app\.css[^"]+)"/.exec(html)![1]!;
  const res = await rt.app.inject({ method: 'GET', url: css, headers: { 'accept-encoding': 'br' } });
  assert.equal(res.headers['content-encoding'], 'br');
});
