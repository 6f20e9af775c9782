import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { translator } from '../i18n/index.js';
import type { MessageKey } from '../i18n/index.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { browserMember, createGroupAs, groupDefaults, member, threadIn } from '../../test/support/community.js';
import { createUser } from '../../test/support/seed.js';
import { createSession } from '../security/sessions.js';
import { serviceContext } from '../app-context.js';
import { csrfTokenIn, TestClient, type TestResponse } from '../../test/support/client.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const en = translator('en');
const ar = translator('ar');

/** Runs `attempt` `allowed` times (each must succeed), then once more: that one is the 429 returned. */
async function exceed(
  allowed: number,
  attempt: (i: number) => Promise<TestResponse>,
  ok: number[] = [200, 201, 204, 303],
): Promise<TestResponse> {
  for (let i = 0; i < allowed; i++) {
    const response = await attempt(i);
    assert.ok(
      ok.includes(response.status),
      `attempt ${i + 1} of ${allowed} answered ${response.status}: ${response.body.slice(0, 200)}`,
    );
  }
  return attempt(allowed);
}

/** A 429 with Retry-After, saying `key` in English, and in Arabic when asked again in Arabic. */
async function assertLimited(
  response: TestResponse,
  key: MessageKey,
  again: () => Promise<TestResponse>,
  client: TestClient,
) {
  assert.equal(response.status, 429, response.body.slice(0, 300));
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(retryAfter >= 1, `Retry-After is ${response.headers['retry-after']}`);
  const isJson = String(response.headers['content-type']).startsWith('application/json');
  const said = (r: TestResponse) => (isJson ? r.json().error.message : r.body);
  if (isJson) {
    assert.equal(response.json().error.code, 'rate_limited');
    assert.equal(said(response), en(key));
  } else {
    assert.ok(said(response).includes(en(key).replace(/'/g, '&#x27;')), 'the English message is on the page');
  }
  client.acceptLanguage = 'ar';
  try {
    const arabic = await again();
    assert.equal(arabic.status, 429);
    assert.ok(Number(arabic.headers['retry-after']) >= 1);
    if (isJson) assert.equal(said(arabic), ar(key));
    else assert.ok(said(arabic).includes(ar(key)), 'the Arabic message is on the page');
  } finally {
    client.acceptLanguage = 'en';
  }
}

async function publicGroupWith(...clients: TestClient[]) {
  const owner = await member(rt);
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  for (const client of clients) {
    const joined = client.bearer
      ? await client.api('POST', `/api/v1/groups/${group.id}/join`, {})
      : await client.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {});
    assert.ok([200, 303].includes(joined.status));
  }
  const { threadId, postId } = await threadIn(owner.api, group.id);
  return { owner, group, threadId, postId };
}

describe('posts', () => {
  test('the API: ten posts a minute, then 429 with Retry-After in English and Arabic; nothing is stored', async () => {
    const { user, api } = await member(rt);
    const { threadId } = await publicGroupWith(api);
    const reply = (i: number) => api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Reply number ${i}` });
    const refused = await exceed(10, reply);
    await assertLimited(refused, 'limit.post', () => reply(99), api);
    const started = await api.api('POST', `/api/v1/groups/${(await publicGroupWith(api)).group.id}/threads`, {
      title: 'Another thread',
      body: 'Hello',
    });
    assert.equal(started.status, 429, 'threads and replies share the limit');
    const stored = await rt.ctx.db.selectFrom('posts').select('id').where('author_id', '=', user.id).execute();
    assert.equal(stored.length, 10);
  });

  test('the HTML form: the refusal keeps what the member wrote, ready to send again', async () => {
    const { web } = await browserMember(rt);
    const { threadId, group } = await publicGroupWith(web);
    const token = csrfTokenIn((await web.get(`/threads/${threadId}`)).body);
    const words = 'Long reply that must not be lost & <kept> as typed';
    const reply = () => web.postForm(`/threads/${threadId}/posts`, { body: words, _csrf: token });
    const refused = await exceed(10, reply);
    await assertLimited(refused, 'limit.post', reply, web);
    assert.match(
      refused.body,
      new RegExp(`<form method="post" action="/threads/${threadId}/posts" class="kept-form">`),
    );
    assert.ok(
      refused.body.includes('Long reply that must not be lost &amp; &lt;kept> as typed</textarea>'),
      'the text is in the form, escaped',
    );
    assert.match(refused.body, /name="_csrf" value="[^"]+"/, 'with a fresh CSRF token');
    assert.match(
      refused.body,
      /<h1>Not sent yet<\/h1><p class="lead">You have posted a lot/,
      'a short heading, the reason below it',
    );
    const newThread = await web.postForm(`/groups/${group.id}/threads`, {
      title: 'My new thread',
      body: 'Opening words',
      _csrf: token,
    });
    assert.equal(newThread.status, 429);
    assert.ok(
      newThread.body.includes('>My new thread</textarea>') && newThread.body.includes('>Opening words</textarea>'),
    );
  });
});

describe('mentions', () => {
  test('sixty people named an hour: a post naming more is refused; one naming nobody still goes through', async () => {
    const { api } = await member(rt);
    const { threadId } = await publicGroupWith(api);
    const names = (i: number) => Array.from({ length: 10 }, (_, n) => `@someone_${i}_${n}`).join(' ');
    const reply = (i: number) => api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Hello ${names(i)}` });
    const refused = await exceed(6, reply);
    await assertLimited(refused, 'limit.mention', () => reply(7), api);
    assert.equal((await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'No names here' })).status, 201);
  });
});

describe('groups', () => {
  test('ten groups a day, on the API and in the form (which keeps the name and description)', async () => {
    const { api } = await member(rt);
    const create = (i: number) => api.api('POST', '/api/v1/groups', { ...groupDefaults, name: `Group number ${i}` });
    await assertLimited(await exceed(10, create), 'limit.group', () => create(99), api);

    const { web } = await browserMember(rt);
    const token = csrfTokenIn((await web.get('/groups/new')).body);
    const form = {
      name: 'Readers of Tunis',
      description: 'A reading circle',
      languages: 'ar',
      visibility: 'public',
      _csrf: token,
    };
    const submit = () => web.postForm('/groups', form);
    const refused = await exceed(10, submit);
    await assertLimited(refused, 'limit.group', submit, web);
    assert.ok(
      refused.body.includes('>Readers of Tunis</textarea>') && refused.body.includes('>A reading circle</textarea>'),
    );
    assert.match(refused.body, /<input type="hidden" name="languages" value="ar"\/?>/);
  });
});

describe('reactions', () => {
  test('sixty a minute, on the API and with the HTML toggle', async () => {
    const { api } = await member(rt);
    const { postId } = await publicGroupWith(api);
    const react = (i: number) => api.api(i % 2 ? 'DELETE' : 'POST', `/api/v1/posts/${postId}/reactions/hug`);
    await assertLimited(await exceed(60, react), 'limit.reaction', () => react(0), api);

    const { web } = await browserMember(rt);
    const shared = await publicGroupWith(web);
    const token = csrfTokenIn((await web.get(`/threads/${shared.threadId}`)).body);
    const toggle = () => web.postForm(`/posts/${shared.postId}/reactions`, { toggle: 'hug', _csrf: token });
    await assertLimited(await exceed(60, toggle), 'limit.reaction', toggle, web);
  });
});

describe('invites', () => {
  test('twenty invite links an hour, group links and site invites together', async () => {
    const admin = await createUser(rt, { username: `admin_${Date.now()}`, role: 'admin' });
    const api = new TestClient(rt.app);
    api.bearer = (await createSession(serviceContext(rt.ctx), admin.id, 'Test · Linux')).token;
    const group = await createGroupAs(api, { visibility: 'private' });
    const link = () => api.api('POST', `/api/v1/groups/${group.id}/invites`, {});
    for (let i = 0; i < 15; i++) assert.equal((await link()).status, 201);
    const site = () => api.api('POST', '/api/v1/invites', {});
    await assertLimited(await exceed(5, site), 'limit.invite', link, api);
  });
});

describe('searches', () => {
  test('thirty a minute on the API and the page; opening the empty search page does not count', async () => {
    const { api } = await member(rt);
    const find = (i: number) => api.get(`/api/v1/search?q=word${i}`);
    await assertLimited(await exceed(30, find), 'limit.search', () => find(0), api);

    const { web } = await browserMember(rt);
    for (let i = 0; i < 40; i++) assert.equal((await web.get('/search')).status, 200);
    const page = (i: number) => web.get(`/search?q=word${i}`);
    await assertLimited(await exceed(30, page, [200]), 'limit.search', () => page(0), web);
  });
});

describe('joining', () => {
  test('thirty joins or requests an hour: asking, withdrawing and asking again cannot flood the moderators', async () => {
    const owner = await member(rt);
    const group = await createGroupAs(owner.api, { visibility: 'private' });
    const page = `/groups/${group.id}`;
    const { web } = await browserMember(rt);
    const askAndWithdraw = async () => {
      const asked = await web.submit(page, `${page}/join`, {});
      assert.equal((await web.submit(page, `${page}/request/withdraw`, {})).status, 303);
      return asked;
    };
    const refused = await exceed(30, askAndWithdraw);
    assert.equal(refused.status, 429);
    assert.ok(refused.body.includes(en('limit.join').replace(/'/g, '&#x27;')), 'the page says why');
    const told = await rt.ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', owner.user.id)
      .where('kind', '=', 'join_request')
      .execute();
    assert.equal(told.length, 30, 'the moderator was told thirty times, not more');

    const token = { 'x-csrf-token': (await web.get('/api/v1/me')).json().csrfToken as string };
    const ask = () => web.api('POST', `/api/v1/groups/${group.id}/join`, {}, token);
    await assertLimited(await ask(), 'limit.join', ask, web);
  });
});

describe('directory searches', () => {
  test('count as searches, on the API and the page; browsing the directory without words does not', async () => {
    const { api } = await member(rt);
    for (let i = 0; i < 40; i++) assert.equal((await api.get('/api/v1/groups')).status, 200);
    const find = (i: number) => api.get(`/api/v1/groups?q=word${i}`);
    await assertLimited(await exceed(30, find, [200]), 'limit.search', () => find(0), api);

    const { web } = await browserMember(rt);
    for (let i = 0; i < 40; i++) assert.equal((await web.get('/groups')).status, 200);
    const page = (i: number) => web.get(`/groups?q=word${i}`);
    await assertLimited(await exceed(30, page, [200]), 'limit.search', () => page(0), web);
  });
});

describe('passphrase confirmations', () => {
  test('ten tries in a quarter hour on the account pages, then 429 even for the right passphrase, API and HTML alike', async () => {
    const { user, api } = await member(rt);
    const wrong = () => api.api('POST', '/api/v1/me/recovery-codes', { current: 'not my passphrase at all' });
    const refused = await exceed(10, wrong, [422]);
    await assertLimited(refused, 'limit.passphrase', wrong, api);
    // Every page that asks for the passphrase shares the count: a stolen session cannot guess on elsewhere.
    assert.equal((await api.api('DELETE', '/api/v1/me', { current: user.passphrase })).status, 429);
    assert.equal((await api.api('DELETE', '/api/v1/me/anonymous-posts', { current: user.passphrase })).status, 429);
    assert.equal(
      (
        await api.api('POST', '/api/v1/me/passphrase', {
          current: user.passphrase,
          passphrase: 'a brand new long passphrase',
        })
      ).status,
      429,
    );
    assert.equal((await api.get('/api/v1/me')).status, 200, 'the account itself is untouched');
  });

  test('the HTML refusal never writes the passphrase back into the page', async () => {
    const { user, web } = await browserMember(rt);
    const token = csrfTokenIn((await web.get('/account')).body);
    const secret = 'wrong passphrase marker 7f3k';
    const attempt = () => web.postForm('/account/recovery-codes', { current: secret, _csrf: token });
    const refused = await exceed(10, attempt, [200, 422]);
    await assertLimited(refused, 'limit.passphrase', attempt, web);
    assert.ok(!refused.body.includes(secret), 'no passphrase in the page');
    const right = await web.postForm('/account/delete', { current: user.passphrase, confirm: 'on', _csrf: token });
    assert.equal(right.status, 429);
    assert.ok(!right.body.includes(user.passphrase), 'not even the right one');
  });
});

describe('limits are per account', () => {
  test("one member's flood does not limit another", async () => {
    const flooder = await member(rt);
    const other = await member(rt);
    const { threadId } = await publicGroupWith(flooder.api, other.api);
    await exceed(10, (i) => flooder.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Flood ${i}` }));
    assert.equal((await other.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'My reply' })).status, 201);
  });
});
