// Replies to anonymous posts (ADR 0043): an anonymous author hears of replies only when they ask,
// and asking stores nothing that links their account to the thread or the post.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { defaultPassphrase } from '../../../test/support/seed.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type ApiMember = Awaited<ReturnType<typeof member>>;
type WebMember = Awaited<ReturnType<typeof browserMember>>;

/** An anonymous-friendly group with an author (browser), two other members and its owner. */
async function setUp() {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', anonymousPosting: true });
  const author = await browserMember(rt, 'anon');
  const replier = await member(rt, 'rep');
  const bystander = await member(rt, 'bys');
  for (const p of [replier, bystander])
    assert.equal((await p.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  await joinByInvite(owner, group.id, author);
  return { owner, group, author, replier, bystander };
}

async function joinByInvite(owner: ApiMember, groupId: string, who: WebMember) {
  const link = (await owner.api.api('POST', `/api/v1/groups/${groupId}/invites`, {})).json().invite.url as string;
  const path = new URL(link, 'http://x').pathname;
  const joined = await who.web.submit(path, path, {});
  assert.ok([200, 303].includes(joined.status), joined.body);
}

const subscriptions = () => rt.ctx.db.selectFrom('anonymous_subscriptions').selectAll().execute();
/** The count beside "Notifications" in the navigation. */
const badge = (html: string) => /class="count-badge"[^>]*>(?:<[^>]+>[^<]*<\/[^>]+>)*\s*([0-9]+)/.exec(html)?.[1] ?? '0';

async function anonymousThread(author: WebMember, groupId: string, fields: Record<string, string>) {
  const r = await author.web.submit(`/groups/${groupId}/threads/new`, `/groups/${groupId}/threads`, {
    title: 'Asking quietly',
    body: 'Is anyone else coming out at work this year?',
    anonymous: 'on',
    ...fields,
  });
  assert.equal(r.status, 303, r.body);
  return String(r.headers.location).split('/').pop()!;
}

describe('the composer says it plainly', () => {
  test('in English and Arabic, where anonymous posts are allowed: no replies are told unless asked, and what asking stores', async () => {
    const { group, author } = await setUp();
    const en = await author.web.get(`/groups/${group.id}/threads/new`);
    assert.match(en.body, /name="notifyReplies"/);
    assert.match(en.body, /without this you will not be told of replies/);
    assert.match(en.body, /stores only this discussion and the coded mark your anonymous post already carries/);
    author.web.cookies.set('sanad_lang', 'ar');
    const ar = await author.web.get(`/groups/${group.id}/threads/new`);
    author.web.cookies.delete('sanad_lang');
    assert.match(ar.body, /لا يصل أي إشعار بالردود/);
    assert.match(ar.body, /الرمز المشفّر نفسه/);
  });
});

describe('asking to hear of replies', () => {
  test('stores the thread and the post’s keyed hash only; replies are counted for the author alone, then seen', async () => {
    const { group, author, replier, bystander } = await setUp();
    const threadId = await anonymousThread(author, group.id, { notifyReplies: 'on' });

    const rows = await subscriptions();
    const mine = rows.filter((r) => r.thread_id === threadId);
    assert.equal(mine.length, 1);
    assert.deepEqual(Object.keys(mine[0]!).sort(), ['author_ref', 'seen_at', 'thread_id']);
    const post = await rt.ctx.db
      .selectFrom('posts')
      .select(['author_ref', 'author_id'])
      .where('thread_id', '=', threadId)
      .executeTakeFirstOrThrow();
    assert.equal(mine[0]!.author_ref, post.author_ref, 'the same keyed hash the post already has');
    assert.equal(post.author_id, null);
    assert.ok(!JSON.stringify(rows).includes(author.user.id), 'no account id anywhere in the rows');
    const watches = await rt.ctx.db
      .selectFrom('thread_watches')
      .selectAll()
      .where('thread_id', '=', threadId)
      .execute();
    assert.deepEqual(watches, [], 'not watched');

    rt.advance(1000);
    const reply = (
      await replier.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Me too, next month.' })
    ).json().post.id as string;
    rt.advance(1000);
    await replier.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Good luck to us both.' });

    // Nothing stored for the author: no notification row names them.
    const rowsForAuthor = await rt.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', author.user.id)
      .execute();
    assert.deepEqual(rowsForAuthor, []);

    const home = await author.web.get('/');
    assert.equal(badge(home.body), '2', 'the navigation counts them');
    const notifications = await author.web.get('/notifications');
    assert.match(notifications.body, /href="\/anonymous-replies"[^>]*>Replies where you wrote anonymously: 2 new/);
    const api = (await author.web.get('/api/v1/me/anonymous-replies')).json();
    assert.deepEqual(api.threads, [
      { threadId, title: 'Asking quietly', group: group.name, newReplies: 2, firstNewPostId: reply },
    ]);

    const page = await author.web.get('/anonymous-replies');
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`href="/posts/${reply}"`), 'leads to the first new reply');
    assert.match(page.body, /2 new replies in “<bdi>Asking quietly<\/bdi>”/);
    const again = await author.web.get('/anonymous-replies');
    assert.match(again.body, /No new replies in/, 'opening the page counted them as seen');
    assert.equal(badge((await author.web.get('/')).body), '0');

    // The author's own replies, named or anonymous, are not news to them.
    const csrf = (await author.web.get('/api/v1/me')).json().csrfToken;
    rt.advance(1000);
    await author.web.api(
      'POST',
      `/api/v1/threads/${threadId}/posts`,
      { body: 'Thank you.', anonymous: true },
      {
        'x-csrf-token': csrf,
      },
    );
    assert.equal((await author.web.get('/api/v1/me/anonymous-replies')).json().threads[0].newReplies, 0);

    // Nobody else is shown it.
    for (const other of [replier, bystander])
      assert.deepEqual((await other.api.get('/api/v1/me/anonymous-replies')).json().threads, []);
    const bystanderPage = await browserMember(rt, 'look');
    assert.doesNotMatch((await bystanderPage.web.get('/anonymous-replies')).body, /Asking quietly/);
  });

  test('without asking, an anonymous author stores nothing and hears of nothing', async () => {
    const { group, author, replier } = await setUp();
    const before = (await subscriptions()).length;
    const threadId = await anonymousThread(author, group.id, {});
    assert.equal((await subscriptions()).length, before);
    await replier.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'A reply nobody hears of.' });
    assert.deepEqual((await author.web.get('/api/v1/me/anonymous-replies')).json().threads, []);
    // Ticking it without posting anonymously stores nothing either: a named post is watched as always.
    const named = await author.web.submit(`/groups/${group.id}/threads/new`, `/groups/${group.id}/threads`, {
      title: 'Under my name',
      body: 'Named words',
      notifyReplies: 'on',
    });
    assert.equal(named.status, 303);
    assert.equal((await subscriptions()).length, before);
  });

  test('an anonymous reply may ask too, and stopping works from the page and the API', async () => {
    const { group, author, replier } = await setUp();
    const { threadId } = await threadIn(replier.api, group.id, { title: 'A named question' });
    const replied = await author.web.submit(`/threads/${threadId}`, `/threads/${threadId}/posts`, {
      body: 'An anonymous answer',
      anonymous: 'on',
      notifyReplies: 'on',
    });
    assert.equal(replied.status, 303);
    rt.advance(1000);
    await replier.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Thank you, whoever you are.' });
    assert.equal((await author.web.get('/api/v1/me/anonymous-replies')).json().threads[0].newReplies, 1);

    const stopped = await author.web.submit('/anonymous-replies', `/anonymous-replies/${threadId}/stop`, {});
    assert.equal(stopped.status, 303);
    assert.equal(stopped.headers.location, '/anonymous-replies?done=stopped');
    assert.match((await author.web.get('/anonymous-replies?done=stopped')).body, /You will no longer hear of replies/);
    assert.deepEqual((await author.web.get('/api/v1/me/anonymous-replies')).json().threads, []);
    assert.equal((await subscriptions()).filter((r) => r.thread_id === threadId).length, 0);

    // The API stops with one answer, whether there was anything to stop.
    const other = await member(rt, 'x');
    assert.equal((await other.api.api('DELETE', `/api/v1/threads/${threadId}/anonymous-replies`)).status, 204);
  });

  test('a member who left the group is shown nothing of it', async () => {
    const { group, author, replier } = await setUp();
    const threadId = await anonymousThread(author, group.id, { notifyReplies: 'on' });
    await replier.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'A reply' });
    const csrf = (await author.web.get('/api/v1/me')).json().csrfToken;
    assert.equal(
      (await author.web.api('POST', `/api/v1/groups/${group.id}/leave`, {}, { 'x-csrf-token': csrf })).status,
      204,
    );
    assert.deepEqual((await author.web.get('/api/v1/me/anonymous-replies')).json().threads, []);
  });
});

describe('erasure', () => {
  test('erasing anonymous posts, or the account, takes the subscriptions with them', async () => {
    const { owner, group, author, replier } = await setUp();
    const threadId = await anonymousThread(author, group.id, { notifyReplies: 'on' });
    const { threadId: other } = await threadIn(replier.api, group.id, { title: 'Someone else’s' });
    await author.web.submit(`/threads/${other}`, `/threads/${other}/posts`, {
      body: 'Anonymous here',
      anonymous: 'on',
      notifyReplies: 'on',
    });
    const theirs = async () =>
      (await subscriptions()).filter((r) => r.thread_id === threadId || r.thread_id === other).length;
    assert.equal(await theirs(), 2);
    const csrf = { 'x-csrf-token': (await author.web.get('/api/v1/me')).json().csrfToken };
    const erased = await author.web.api('DELETE', '/api/v1/me/anonymous-posts', { current: defaultPassphrase }, csrf);
    assert.equal(erased.status, 200, erased.body);
    assert.equal(await theirs(), 0);

    // Again, then the account goes: the eraser finds them by the keyed hash.
    const second = await browserMember(rt, 'gone');
    await joinByInvite(owner, group.id, second);
    const { threadId: third } = await threadIn(replier.api, group.id, { title: 'A third' });
    await second.web.submit(`/threads/${third}`, `/threads/${third}/posts`, {
      body: 'Anonymous again',
      anonymous: 'on',
      notifyReplies: 'on',
    });
    assert.equal((await subscriptions()).filter((r) => r.thread_id === third).length, 1);
    const csrf2 = { 'x-csrf-token': (await second.web.get('/api/v1/me')).json().csrfToken };
    assert.equal((await second.web.api('DELETE', '/api/v1/me', { current: defaultPassphrase }, csrf2)).status, 204);
    assert.equal((await subscriptions()).filter((r) => r.thread_id === third).length, 0);
  });
});
