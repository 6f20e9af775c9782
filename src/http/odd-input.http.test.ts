import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { TestClient } from '../../test/support/client.js';
import { browserMember, createGroupAs, member, threadIn } from '../../test/support/community.js';
import { createUser, defaultPassphrase, signInAs } from '../../test/support/seed.js';
import { translator } from '../i18n/index.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const nul = '\u0000';

describe('a NUL character (U+0000) is refused at validation, the same way on both engines', () => {
  const expectedJson = (locale: 'en' | 'ar') => ({
    error: { code: 'bad_request', message: translator(locale)('error.nulCharacter') },
  });

  test('in API bodies, query strings and ids: 400 with one localised answer', async () => {
    const owner = await member(rt, 'nulown');
    const group = await createGroupAs(owner.api);
    const { threadId, postId } = await threadIn(owner.api, group.id);
    const visitor = new TestClient(rt.app);
    const cases: [TestClient, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown][] = [
      [visitor, 'POST', '/api/v1/auth/login', { username: `a${nul}b`, passphrase: defaultPassphrase }],
      [visitor, 'POST', '/api/v1/auth/login', { username: 'someone', passphrase: `x${nul}` }],
      [
        visitor,
        'POST',
        '/api/v1/auth/recover',
        { username: `a${nul}`, code: 'abcd-efgh', passphrase: defaultPassphrase },
      ],
      [
        visitor,
        'POST',
        '/api/v1/auth/recover',
        { username: 'someone', code: `ab${nul}`, passphrase: defaultPassphrase },
      ],
      [visitor, 'POST', '/api/v1/auth/register', { username: `new${nul}name`, passphrase: defaultPassphrase }],
      [owner.api, 'GET', `/api/v1/groups?q=${encodeURIComponent(`x${nul}`)}`, undefined],
      [owner.api, 'GET', `/api/v1/groups?country=${encodeURIComponent(`L${nul}`)}`, undefined],
      [owner.api, 'GET', `/api/v1/groups?tag=${encodeURIComponent(`books${nul}`)}`, undefined],
      [owner.api, 'GET', `/api/v1/groups?language=${encodeURIComponent(`a${nul}`)}`, undefined],
      [owner.api, 'GET', `/api/v1/search?q=${encodeURIComponent(`x${nul}`)}`, undefined],
      [
        owner.api,
        'POST',
        '/api/v1/groups',
        { name: `Group${nul}name`, description: 'd', languages: ['ar'], visibility: 'public' },
      ],
      [owner.api, 'PATCH', `/api/v1/groups/${group.id}`, { description: `d${nul}` }],
      [owner.api, 'PATCH', `/api/v1/groups/${group.id}`, { city: `Bei${nul}rut` }],
      [owner.api, 'PATCH', `/api/v1/groups/${group.id}`, { interests: [`books${nul}`] }],
      [owner.api, 'PATCH', `/api/v1/groups/${group.id}`, { questions: [`why${nul}?`] }],
      [owner.api, 'POST', `/api/v1/groups/${group.id}/join`, { answers: [`yes${nul}`] }],
      [owner.api, 'POST', `/api/v1/groups/${group.id}/threads`, { title: `Title${nul}`, body: 'body' }],
      [owner.api, 'POST', `/api/v1/threads/${threadId}/posts`, { body: `body${nul}` }],
      [owner.api, 'PATCH', `/api/v1/posts/${postId}`, { body: `edited${nul}` }],
      [owner.api, 'GET', `/api/v1/groups/${encodeURIComponent(`${group.id}${nul}`)}`, undefined],
      [owner.api, 'GET', `/api/v1/threads/${encodeURIComponent(`${nul}`)}`, undefined],
      [owner.api, 'DELETE', `/api/v1/posts/${encodeURIComponent(`${postId}${nul}`)}`, undefined],
      [owner.api, 'DELETE', `/api/v1/sessions/${encodeURIComponent(`s${nul}`)}`, undefined],
      [owner.api, 'POST', `/api/v1/group-invites/${encodeURIComponent(`CODE${nul}`)}/accept`, undefined],
      [owner.api, 'PATCH', `/api/v1/me/passphrase`, { current: `a${nul}`, passphrase: defaultPassphrase }],
    ];
    for (const [client, method, url, json] of cases) {
      const res = await client.api(method, url, json);
      const label = `${method} ${url} ${JSON.stringify(json)}`;
      assert.equal(res.status, 400, label);
      assert.deepEqual(res.json(), expectedJson('en'), label);
    }
    const arabic = new TestClient(rt.app);
    arabic.acceptLanguage = 'ar';
    const res = await arabic.api('POST', '/api/v1/auth/login', { username: `${nul}`, passphrase: defaultPassphrase });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), expectedJson('ar'));
  });

  test('in HTML forms and pages: a 400 page that says why, in the reader’s language', async () => {
    const admin = await createUser(rt, { username: 'nul_admin', role: 'admin' });
    const adminWeb = new TestClient(rt.app);
    await signInAs(rt, adminWeb, admin);
    const { web } = await browserMember(rt, 'nulweb');
    const owner = await member(rt, 'nulhtml');
    const group = await createGroupAs(owner.api);
    await web.get(`/groups/${group.id}`);
    await web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {});
    const { threadId } = await threadIn(owner.api, group.id);
    const visitor = new TestClient(rt.app);
    const message = translator('en')('error.nulCharacter');
    const forms: [TestClient, string, string, Record<string, string>][] = [
      [visitor, '/login', '/login', { username: `a${nul}`, passphrase: defaultPassphrase, next: '/' }],
      [visitor, '/recover', '/recover', { username: 'someone', code: `x${nul}`, passphrase: defaultPassphrase }],
      [web, '/groups/new', '/groups', { name: `Name${nul}`, description: 'd', languages: 'ar', visibility: 'public' }],
      [
        web,
        `/groups/${group.id}/threads/new`,
        `/groups/${group.id}/threads`,
        { title: 'A title', body: `words${nul}` },
      ],
      [web, `/threads/${threadId}`, `/threads/${threadId}/posts`, { body: `reply${nul}` }],
    ];
    for (const [client, page, action, fields] of forms) {
      const res = await client.submit(page, action, fields);
      assert.equal(res.status, 400, action);
      assert.ok(res.body.includes(message), action);
    }
    for (const [client, url] of [
      [web, `/groups?q=${encodeURIComponent(nul)}`],
      [web, `/groups?tag=${encodeURIComponent(`a${nul}`)}`],
      [web, `/search?q=${encodeURIComponent(`a${nul}`)}`],
      [adminWeb, `/admin/users?q=${encodeURIComponent(`a${nul}`)}`],
      [web, `/join/${encodeURIComponent(`CODE${nul}`)}`],
    ] as const) {
      const res = await client.get(url);
      assert.equal(res.status, 400, url);
      assert.ok(res.body.includes(message), url);
    }
  });
});
