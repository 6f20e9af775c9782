import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serviceContext } from '../app-context.js';
import { loadModules } from '../platform/modules.js';
import { hashToken } from '../security/tokens.js';
import { unseal } from '../security/kept.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../test/support/community.js';
import { csrfTokenIn, TestClient, type TestResponse } from '../../test/support/client.js';
import { defaultPassphrase } from '../../test/support/seed.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const sameOrigin = { 'sec-fetch-site': 'same-origin' };
const words = 'كلمات لم تُرسل بعد — words not sent yet';

/** A member of a group, in a browser (cookie session) and by API (the same session), with a thread open. */
async function writer(visibility: 'public' | 'private' = 'public') {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility });
  const writer = await browserMember(rt, 'kw');
  const api = new TestClient(rt.app);
  api.bearer = writer.web.cookies.get('sanad_session');
  if (visibility === 'public') {
    assert.equal((await api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  } else {
    const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, {})).json().invite;
    assert.equal((await api.api('POST', `/api/v1/group-invites/${invite.code}/accept`)).status, 200);
  }
  const { threadId, postId } = await threadIn(owner.api, group.id, { title: 'Owner opens', body: 'Welcome' });
  return { owner, group, web: writer.web, api, user: writer.user, threadId, postId };
}

/** The session ends under the open page: revoked elsewhere, its row gone; the cookie stays in the browser. */
async function endSessions(userId: string) {
  await rt.ctx.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Loads the form's page (its CSRF token) while signed in; returns a sender for after the session ends. */
async function openForm(web: TestClient, page: string) {
  const token = csrfTokenIn((await web.get(page)).body);
  return (action: string, fields: Record<string, string>, headers: Record<string, string> = sameOrigin) =>
    web.request('POST', action, { form: { ...fields, _csrf: token }, headers });
}

async function signIn(web: TestClient, username: string, next = '/') {
  const res = await web.submit('/login', '/login', { username, passphrase: defaultPassphrase, next });
  assert.equal(res.status, 303, res.body);
  return res.headers.location as string;
}

const keptRows = () => rt.ctx.db.selectFrom('kept_submissions').selectAll().execute();
const keptCookie = (web: TestClient) => web.cookies.get('sanad_kept');
const textareaHolds = (res: TestResponse, name: string, text: string) =>
  new RegExp(`<textarea[^>]*name="${name}"[^>]*>${escapeRe(escapeHtml(text))}</textarea>`).test(res.body);
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a reply sent after its session ended', () => {
  test('is kept: 401 page with a sign-in link back to the thread; after sign-in the composer holds it, once', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    const before = (await keptRows()).length;

    const res = await send(`/threads/${w.threadId}/posts`, { body: words, warning: 'violence', anonymous: 'on' });
    assert.equal(res.status, 401);
    assert.match(res.body, /Nothing is lost: what you wrote is kept until you sign in again/);
    const next = encodeURIComponent(`/threads/${w.threadId}#reply`);
    assert.ok(res.body.includes(`href="/login?next=${next}"`), 'the sign-in link leads back to the thread');
    assert.ok(res.body.includes(escapeHtml(words)), 'the words are shown to copy');
    assert.equal((await keptRows()).length, before + 1);
    const cookie = (res.headers['set-cookie'] as string[] | string | undefined)?.toString() ?? '';
    assert.match(cookie, /sanad_kept=[^;]+;.*HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.ok(keptCookie(w.web));
    const posts = await rt.ctx.db.selectFrom('posts').select('id').where('thread_id', '=', w.threadId).execute();
    assert.equal(posts.length, 1, 'nothing was posted');

    // The sign-in page says so.
    assert.match(
      (await w.web.get('/login')).body,
      /Your text is kept: after signing in, the form opens again with it\./,
    );
    // Sign-in opened from anywhere (the header's link: next = /) leads back to the composer.
    const location = await signIn(w.web, w.user.username, '/');
    assert.equal(location, `/threads/${w.threadId}#reply`);
    const page = await w.web.get(`/threads/${w.threadId}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Your text was kept when your session ended/);
    assert.ok(textareaHolds(page, 'body', words), 'the composer holds the words');
    assert.match(page.body, /<option value="violence" selected/);
    assert.equal((await keptRows()).length, before, 'the row is deleted on use');
    assert.equal(keptCookie(w.web), undefined, 'the cookie is cleared');

    const again = await w.web.get(`/threads/${w.threadId}`);
    assert.ok(!again.body.includes(escapeHtml(words)), 'once only');
    assert.doesNotMatch(again.body, /Your text was kept/);

    // The member sends it, as they meant to.
    const sent = await w.web.submit(`/threads/${w.threadId}`, `/threads/${w.threadId}/posts`, { body: words });
    assert.equal(sent.status, 303);
  });

  test('the composer’s preview and draft buttons keep the words for its reply form too', async () => {
    for (const button of ['preview', 'draft']) {
      const w = await writer();
      const send = await openForm(w.web, `/threads/${w.threadId}`);
      await endSessions(w.user.id);
      const res = await send(`/threads/${w.threadId}/${button}`, { body: `${words} (${button})` });
      assert.equal(res.status, 401);
      assert.match(res.body, /kept until you sign in again/);
      assert.equal(await signIn(w.web, w.user.username), `/threads/${w.threadId}#reply`);
      assert.ok(textareaHolds(await w.web.get(`/threads/${w.threadId}`), 'body', `${words} (${button})`));
    }
  });

  test('an idle session that timed out keeps the words too', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    rt.advance((rt.config.sessionIdleMinutes + 31) * 60_000);
    const res = await send(`/threads/${w.threadId}/posts`, { body: words });
    assert.equal(res.status, 401);
    assert.match(res.body, /kept until you sign in again/);
    assert.equal(await signIn(w.web, w.user.username), `/threads/${w.threadId}#reply`);
    assert.ok(textareaHolds(await w.web.get(`/threads/${w.threadId}`), 'body', words));
  });

  test('the token opens it once: a copy of the cookie replayed after use gets nothing', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    await send(`/threads/${w.threadId}/posts`, { body: words });
    const token = keptCookie(w.web)!;
    await signIn(w.web, w.user.username);
    assert.ok(textareaHolds(await w.web.get(`/threads/${w.threadId}`), 'body', words));

    const other = await browserMember(rt, 'replay');
    const otherApi = new TestClient(rt.app);
    otherApi.bearer = other.web.cookies.get('sanad_session');
    await otherApi.api('POST', `/api/v1/groups/${w.group.id}/join`, {});
    other.web.cookies.set('sanad_kept', token);
    const page = await other.web.get(`/threads/${w.threadId}`);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(escapeHtml(words)));
    assert.equal(keptCookie(other.web), undefined, 'a used token is cleared');
  });

  test('a seized row reveals neither the words nor where they were going', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    await send(`/threads/${w.threadId}/posts`, { body: words });
    const token = keptCookie(w.web)!;
    const row = await rt.ctx.db
      .selectFrom('kept_submissions')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow();
    assert.deepEqual(Object.keys(row).sort(), ['expires_at', 'sealed', 'token_hash']);
    const stored = JSON.stringify(row);
    for (const secret of [words, 'words not sent', w.threadId, w.group.id, w.user.id, w.user.username, token]) {
      assert.ok(!stored.includes(secret), `the row does not hold ${secret}`);
    }
    assert.ok(!Buffer.from(row.sealed, 'base64url').toString('latin1').includes('words not sent'));
    assert.equal(unseal('another-token-entirely', row.sealed), null, 'another token opens nothing');
    assert.equal(unseal(token, row.sealed)?.fields.body, words, 'the token opens it');
    assert.ok(Number(row.expires_at) <= rt.ctx.now() + 24 * 3600_000);
  });

  test('expired kept text is refused, then purged by the job', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    await send(`/threads/${w.threadId}/posts`, { body: words });
    const token = keptCookie(w.web)!;
    rt.advance(25 * 3600_000);
    assert.equal(await signIn(w.web, w.user.username, '/groups'), '/groups', 'expired text leads nowhere');
    const page = await w.web.get(`/threads/${w.threadId}`);
    assert.ok(!page.body.includes(escapeHtml(words)));
    const job = (await loadModules()).flatMap((m) => m.jobs ?? []).find((j) => j.name === 'sessions.purgeKept');
    assert.ok(job, 'the sessions module declares the purge');
    await job.run(serviceContext(rt.ctx), {});
    const left = await rt.ctx.db
      .selectFrom('kept_submissions')
      .select('token_hash')
      .where('token_hash', '=', hashToken(token))
      .execute();
    assert.equal(left.length, 0);
    assert.equal(
      (
        await rt.ctx.db
          .selectFrom('kept_submissions')
          .select('token_hash')
          .where('expires_at', '<=', rt.ctx.now())
          .execute()
      ).length,
      0,
    );
  });

  test('a member who lost access does not get it into that composer: readable shows it to copy, unreadable drops it', async () => {
    // Left a public group: the thread is readable, not writable.
    const pub = await writer('public');
    const sendPub = await openForm(pub.web, `/threads/${pub.threadId}`);
    await endSessions(pub.user.id);
    await sendPub(`/threads/${pub.threadId}/posts`, { body: words });
    await rt.ctx.db.deleteFrom('group_members').where('user_id', '=', pub.user.id).execute();
    assert.equal(await signIn(pub.web, pub.user.username), `/threads/${pub.threadId}#reply`);
    const page = await pub.web.get(`/threads/${pub.threadId}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /action="\/threads\/[^"]+\/posts"/, 'no composer');
    assert.match(page.body, /it can no longer be sent here/);
    assert.match(page.body, /<textarea[^>]*readonly[^>]*>/);
    assert.ok(page.body.includes(escapeHtml(words)), 'shown to copy');
    assert.doesNotMatch(page.body, /<textarea[^>]*name="body"[^>]*>كلمات/, 'not in a field that is sent');

    // Removed from a private group: the thread is a 404, and the words are gone with it.
    const priv = await writer('private');
    const sendPriv = await openForm(priv.web, `/threads/${priv.threadId}`);
    await endSessions(priv.user.id);
    await sendPriv(`/threads/${priv.threadId}/posts`, { body: words });
    const token = keptCookie(priv.web)!;
    assert.equal(
      (await priv.owner.api.api('DELETE', `/api/v1/groups/${priv.group.id}/members/${priv.user.id}`)).status,
      204,
    );
    await signIn(priv.web, priv.user.username);
    const gone = await priv.web.get(`/threads/${priv.threadId}`);
    assert.equal(gone.status, 404);
    assert.ok(!gone.body.includes(escapeHtml(words)));
    const row = await rt.ctx.db
      .selectFrom('kept_submissions')
      .select('token_hash')
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    assert.equal(row, undefined, 'dropped, not left for the next sign-in');
  });

  test('a form posted from another site keeps nothing and shows nothing back', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    const before = (await keptRows()).length;
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { referer: 'https://evil.example/page' },
    ]) {
      const res = await send(`/threads/${w.threadId}/posts`, { body: 'planted words' }, headers);
      assert.equal(res.status, 401);
      assert.match(res.body, /Nothing was sent\. Sign in, then write it again\./);
      assert.ok(!res.body.includes('planted words'));
      assert.match(res.body, /href="\/login"/);
    }
    assert.equal((await keptRows()).length, before);
    assert.equal(keptCookie(w.web), undefined);
  });

  test('a newer kept text replaces the older one in the same browser; sign-out forgets it', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    const before = (await keptRows()).length;
    await send(`/threads/${w.threadId}/posts`, { body: 'first try' });
    await send(`/threads/${w.threadId}/posts`, { body: 'second try' });
    assert.equal((await keptRows()).length, before + 1);
    await signIn(w.web, w.user.username, '/groups');
    // Signing out before writing it again forgets it: nothing is left for whoever signs in next.
    const logout = await w.web.submit('/', '/logout', {});
    assert.equal(logout.status, 303);
    assert.equal((await keptRows()).length, before);
    assert.equal(keptCookie(w.web), undefined);
  });

  test('one address keeps at most twenty an hour; past that the words are shown to copy, not stored', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    for (let i = 0; i < 20; i++)
      assert.equal((await send(`/threads/${w.threadId}/posts`, { body: `try ${i}` })).status, 401);
    const before = await keptRows();
    const res = await send(`/threads/${w.threadId}/posts`, { body: 'one too many' });
    assert.equal(res.status, 401);
    assert.match(res.body, /Nothing was sent/);
    assert.match(res.body, /<textarea[^>]*readonly[^>]*>one too many<\/textarea>/, 'shown to copy');
    assert.deepEqual(await keptRows(), before, 'nothing stored, nothing replaced');
  });

  test('the JSON API is answered as before, and keeps nothing', async () => {
    const w = await writer();
    await endSessions(w.user.id);
    const before = (await keptRows()).length;
    const res = await w.api.api('POST', `/api/v1/threads/${w.threadId}/posts`, { body: words });
    assert.equal(res.status, 401);
    assert.equal(res.json().error.code, 'unauthenticated');
    assert.equal((await keptRows()).length, before);
  });
});

describe('a new thread, and an edit, sent after the session ended', () => {
  test('a new thread comes back in the new-thread form, title and words', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/groups/${w.group.id}/threads/new`);
    await endSessions(w.user.id);
    const res = await send(`/groups/${w.group.id}/threads`, { title: 'عنوان محفوظ', body: words });
    assert.equal(res.status, 401);
    assert.ok(res.body.includes(`next=${encodeURIComponent(`/groups/${w.group.id}/threads/new`)}`));
    assert.equal(await signIn(w.web, w.user.username), `/groups/${w.group.id}/threads/new`);
    const page = await w.web.get(`/groups/${w.group.id}/threads/new`);
    assert.match(page.body, /Your text was kept/);
    assert.match(page.body, /name="title"[^>]*value="عنوان محفوظ"/);
    assert.ok(textareaHolds(page, 'body', words));
  });

  test('an edit comes back in the edit form, over the post as it stands', async () => {
    const w = await writer();
    const own = (await w.api.api('POST', `/api/v1/threads/${w.threadId}/posts`, { body: 'Before the edit' })).json();
    const postId = own.post.id as string;
    const send = await openForm(w.web, `/posts/${postId}/edit`);
    await endSessions(w.user.id);
    const res = await send(`/posts/${postId}/edit`, { body: 'After the edit, kept' });
    assert.equal(res.status, 401);
    assert.equal(await signIn(w.web, w.user.username), `/posts/${postId}/edit`);
    const page = await w.web.get(`/posts/${postId}/edit`);
    assert.match(page.body, /Your text was kept/);
    assert.ok(textareaHolds(page, 'body', 'After the edit, kept'));
  });
});

describe('a stale form with a live session (signed out and in again in another tab)', () => {
  test('the words are offered again with a fresh token, and sending them works', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    // Another tab signs out and in again: a new session, so the open page's token is stale.
    await endSessions(w.user.id);
    w.web.cookies.delete('sanad_session');
    await signIn(w.web, w.user.username);
    const res = await send(`/threads/${w.threadId}/posts`, { body: words });
    assert.equal(res.status, 403);
    assert.match(res.body, /This form had expired, so nothing was sent\. Nothing is lost/);
    assert.ok(textareaHolds(res, 'body', words));
    assert.ok(res.body.includes(`action="/threads/${w.threadId}/posts"`));
    const again = await w.web.request('POST', `/threads/${w.threadId}/posts`, {
      form: { body: words, _csrf: csrfTokenIn(res.body) },
    });
    assert.equal(again.status, 303);

    // From another site the words are not echoed back.
    const forged = await w.web.request('POST', `/threads/${w.threadId}/posts`, {
      form: { body: 'planted words', _csrf: 'stale' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(forged.status, 403);
    assert.ok(!forged.body.includes('planted words'));
  });
});

describe('other forms sent without a session', () => {
  test('answer a 401 page with a sign-in link, and keep nothing', async () => {
    const w = await writer();
    const send = await openForm(w.web, `/threads/${w.threadId}`);
    await endSessions(w.user.id);
    const before = (await keptRows()).length;
    const res = await send(`/posts/${w.postId}/reactions`, { toggle: 'hug' });
    assert.equal(res.status, 401);
    assert.match(res.body, /<h1>Please sign in first<\/h1>/);
    assert.match(res.body, /href="\/login"/);
    assert.equal((await keptRows()).length, before);
  });
});

describe('sign-in never leaves the site', () => {
  test('next outside the site is refused, with or without kept text', async () => {
    const web = new TestClient(rt.app);
    const { user } = await browserMember(rt, 'redir');
    for (const next of [
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/.//evil.example',
      '/..//evil.example',
      '/%2e//evil.example',
    ]) {
      const login = await web.get(`/login?next=${encodeURIComponent(next)}`);
      assert.match(login.body, /name="next" value="\/"/);
      assert.equal(await signIn(web, user.username, next), '/');
    }
  });
});
