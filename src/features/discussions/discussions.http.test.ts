import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { defaultPassphrase } from '../../../test/support/seed.js';
import { TestClient } from '../../../test/support/client.js';
import { forgetRenderedMarkdown, renderMarkdown } from '../../security/sanitize-html.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

async function publicGroupWith(count: number, options: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', ...options });
  const others = [];
  for (let i = 0; i < count; i++) {
    const m = await member(rt);
    await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    others.push(m);
  }
  return { owner, group, others };
}

describe('threads and replies', () => {
  test('members post and reply; posts page by cursor, oldest first; threads sort by latest activity', async () => {
    const { owner, group, others } = await publicGroupWith(3);
    const [alice] = others;
    const first = await threadIn(owner.api, group.id, { title: 'Coming out to my mother', body: 'Where do I start?' });
    rt.advance(1000);
    const second = await threadIn(alice!.api, group.id, { title: 'Finding a kind doctor', body: 'Any names?' });
    for (let i = 0; i < 24; i++) {
      rt.advance(10);
      // Three members take turns: one alone would meet the limit of ten posts a minute.
      const r = await others[i % 3]!.api.api('POST', `/api/v1/threads/${first.threadId}/posts`, {
        body: `Reply number ${i}`,
      });
      assert.equal(r.status, 201);
    }
    const threads = (await owner.api.get(`/api/v1/groups/${group.id}/threads`)).json().threads;
    assert.deepEqual(
      threads.map((t: { id: string }) => t.id),
      [first.threadId, second.threadId],
      'the busiest thread rises',
    );
    assert.equal(threads[0].replyCount, 24);

    const page1 = (await owner.api.get(`/api/v1/threads/${first.threadId}`)).json();
    assert.equal(page1.posts.length, 20);
    assert.equal(page1.posts[0].body, 'Where do I start?');
    assert.equal(page1.posts[1].body, 'Reply number 0');
    const page2 = (await owner.api.get(`/api/v1/threads/${first.threadId}?after=${page1.next}`)).json();
    assert.deepEqual(
      page2.posts.map((p: { body: string }) => p.body),
      ['Reply number 19', 'Reply number 20', 'Reply number 21', 'Reply number 22', 'Reply number 23'],
    );
    assert.equal(page2.next, null);
    assert.deepEqual(Object.keys(page1.posts[0].author).sort(), ['kind', 'username']);
    assert.ok(!JSON.stringify(page1).includes(owner.user.id), 'no user ids leave the server');

    const outsider = await member(rt);
    assert.equal(
      (await outsider.api.api('POST', `/api/v1/threads/${first.threadId}/posts`, { body: 'drive-by' })).status,
      403,
      'readers who have not joined cannot post',
    );
  });

  test('Markdown is rendered safely: raw HTML is text, links are marked, images are never loaded', async () => {
    const { owner, group } = await publicGroupWith(0);
    const body =
      'Hello <script>alert(1)</script> **bold** [site](https://example.org) [bad](javascript:alert(1)) ![pic](https://tracker.example/pixel.png) <img src=x onerror=alert(1)>';
    const { threadId } = await threadIn(owner.api, group.id, { body });
    const web = await browserMember(rt);
    const html = (await web.web.get(`/threads/${threadId}`)).body;
    assert.ok(!html.includes('<script>alert'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('<strong>bold</strong>'));
    assert.ok(html.includes('<a href="https://example.org" rel="nofollow noopener noreferrer ugc">site</a>'));
    assert.ok(!/href="javascript:/i.test(html));
    assert.ok(!/<img/i.test(html), 'no image element at all');
    assert.ok(
      html.includes('href="https://tracker.example/pixel.png"'),
      'the image is a link the reader may choose to follow',
    );
    assert.match(html, /<div class="post-body" dir="auto">/);
    assert.match(html, /<h1 dir="auto">A first question<\/h1>/);
  });

  test('authors edit and delete their own posts; deleted words leave the database and the search index', async () => {
    const { owner, group, others } = await publicGroupWith(1);
    const [bob] = others;
    const { threadId, postId } = await threadIn(owner.api, group.id, {
      title: 'Opening words',
      body: 'تفاصيل شخصية جدا',
    });
    const reply = (
      await bob!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'kumquat memories' })
    ).json();
    assert.equal((await owner.api.api('PATCH', `/api/v1/posts/${reply.post.id}`, { body: 'hijacked' })).status, 403);
    renderMarkdown('kumquat memories'); // as a page showing the reply would
    assert.equal(
      (await bob!.api.api('PATCH', `/api/v1/posts/${reply.post.id}`, { body: 'kumquat memories, edited' })).status,
      204,
    );
    assert.equal(forgetRenderedMarkdown('kumquat memories'), false, 'the words before the edit are not kept in memory');
    assert.equal((await owner.api.api('PATCH', `/api/v1/posts/${postId}`, { title: 'Better title' })).status, 204);
    const thread = (await bob!.api.get(`/api/v1/threads/${threadId}`)).json();
    assert.equal(thread.thread.title, 'Better title');
    assert.ok(thread.posts[1].editedAt);

    renderMarkdown('kumquat memories, edited');
    assert.equal((await bob!.api.api('DELETE', `/api/v1/posts/${reply.post.id}`)).status, 204);
    assert.equal(forgetRenderedMarkdown('kumquat memories, edited'), false, 'deleted words are not kept in memory');
    assert.equal(
      await rt.ctx.db.selectFrom('posts').select('id').where('id', '=', reply.post.id).executeTakeFirst(),
      undefined,
    );
    assert.equal((await bob!.api.get('/api/v1/search?q=kumquat')).json().results.length, 0);

    // The opening post with a reply leaves an empty marker; without replies the thread goes.
    await bob!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'still here' });
    assert.equal((await owner.api.api('DELETE', `/api/v1/posts/${postId}`)).status, 204);
    const row = await rt.ctx.db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirstOrThrow();
    assert.deepEqual([row.body, row.author_id, row.deleted], ['', null, 1]);
    assert.equal((await bob!.api.get(`/api/v1/search?q=${encodeURIComponent('شخصية')}`)).json().results.length, 0);
    const after = (await bob!.api.get(`/api/v1/threads/${threadId}`)).json();
    assert.deepEqual(after.posts[0].author, { kind: 'deleted' });

    const solo = await threadIn(owner.api, group.id, { title: 'Short lived', body: 'gone soon' });
    await owner.api.api('DELETE', `/api/v1/posts/${solo.postId}`);
    assert.equal((await owner.api.get(`/api/v1/threads/${solo.threadId}`)).status, 404);
  });

  test('quotes refer to an earlier post and disappear with it', async () => {
    const { owner, group, others } = await publicGroupWith(1);
    const { threadId, postId } = await threadIn(owner.api, group.id, { body: 'The words being quoted' });
    const quoting = await others[0]!.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: 'I agree',
      quotePostId: postId,
    });
    assert.equal(quoting.status, 201);
    let posts = (await owner.api.get(`/api/v1/threads/${threadId}`)).json().posts;
    assert.equal(posts[1].quote.excerpt, 'The words being quoted');
    const elsewhere = await threadIn(owner.api, group.id);
    const wrong = await others[0]!.api.api('POST', `/api/v1/threads/${elsewhere.threadId}/posts`, {
      body: 'x',
      quotePostId: postId,
    });
    assert.equal(wrong.status, 422, 'only posts of the same thread can be quoted');
    await owner.api.api('DELETE', `/api/v1/posts/${postId}`);
    posts = (await owner.api.get(`/api/v1/threads/${threadId}`)).json().posts;
    assert.equal(posts[1].quote.excerpt, '', 'the quote of a deleted post keeps no words');
    assert.equal(posts[1].quote.unavailable, true);
  });
});

describe('content warnings and reactions', () => {
  test('a warned post is folded in a details element; a member can choose to hide that kind', async () => {
    const { owner, group } = await publicGroupWith(0);
    const { threadId } = await threadIn(owner.api, group.id, {
      body: 'A hard story',
      warning: 'family_rejection',
      warningText: 'my father',
    });
    const reader = await browserMember(rt);
    let html = (await reader.web.get(`/threads/${threadId}`)).body;
    assert.match(
      html,
      /<details class="content-warning"><summary><span class="tag tag-warning">Content warning: family rejection<\/span>/,
    );
    assert.ok(html.includes('A hard story'), 'folded, not removed');
    const saved = await reader.web.submit('/account/warnings', '/account/warnings', {
      family_rejection: 'hide',
      violence: 'fold',
    });
    assert.equal(saved.status, 303);
    html = (await reader.web.get(`/threads/${threadId}`)).body;
    assert.ok(!html.includes('A hard story'));
    assert.match(html, /hidden by your settings/);
    const bad = await owner.api.api('POST', `/api/v1/groups/${group.id}/threads`, {
      title: 'Bad warning',
      body: 'x',
      warning: 'spoilers',
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.json().error.fields[0].field, 'warning');
  });

  test('reactions show counts only, never who', async () => {
    const { owner, group, others } = await publicGroupWith(2);
    const { threadId, postId } = await threadIn(owner.api, group.id);
    for (const m of others)
      assert.equal((await m.api.api('POST', `/api/v1/posts/${postId}/reactions/hug`)).status, 200);
    const twice = await others[0]!.api.api('POST', `/api/v1/posts/${postId}/reactions/hug`);
    assert.equal(twice.json().reactions.hug, 2, 'reacting twice counts once');
    const taken = await others[1]!.api.api('DELETE', `/api/v1/posts/${postId}/reactions/hug`);
    assert.equal(taken.json().reactions.hug, 1);
    assert.equal((await others[0]!.api.api('POST', `/api/v1/posts/${postId}/reactions/angry`)).status, 400);
    const page = (await owner.api.get(`/api/v1/threads/${threadId}`)).json();
    assert.deepEqual(page.posts[0].reactions, { support: 0, hug: 1, strength: 0, thanks: 0 });
    assert.deepEqual(page.posts[0].myReactions, []);
    const serialised = JSON.stringify(page);
    for (const m of others) assert.ok(!serialised.includes(m.user.username));
    const web = await browserMember(rt);
    await web.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {});
    let html = (await web.web.get(`/threads/${threadId}`)).body;
    assert.match(html, /Hug · 1/);
    const toggled = await web.web.submit(`/threads/${threadId}`, `/posts/${postId}/reactions`, { toggle: 'hug' });
    assert.equal(toggled.status, 303);
    html = (await web.web.get(`/threads/${threadId}`)).body;
    assert.match(html, /aria-pressed="true">Hug · 2</, 'the form toggles a reaction on');
    await web.web.submit(`/threads/${threadId}`, `/posts/${postId}/reactions`, { toggle: 'hug' });
    assert.match((await web.web.get(`/threads/${threadId}`)).body, /aria-pressed="false">Hug · 1</, 'and off again');
  });
});

describe('anonymous posts', () => {
  test('show a pseudonym stable within a thread, and nothing anywhere reveals the author', async () => {
    const { owner, group, others } = await publicGroupWith(2, { anonymousPosting: true });
    const [secret, reader] = others;
    const offGroup = await createGroupAs(owner.api, { visibility: 'public', name: 'No masks here' });
    await secret!.api.api('POST', `/api/v1/groups/${offGroup.id}/join`, {});
    assert.equal(
      (await threadIn(secret!.api, offGroup.id, { anonymous: true }).catch((e: Error) => e.message))
        .toString()
        .includes('422'),
      true,
      'groups must allow it',
    );

    const { threadId, postId } = await threadIn(secret!.api, group.id, {
      title: 'Something I never said aloud',
      body: 'uniquezebra confession',
      anonymous: true,
    });
    const second = (
      await secret!.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
        body: `and more, @${reader!.user.username}`,
        anonymous: true,
      })
    ).json();
    await reader!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'I hear you' });

    const asReader = (await reader!.api.get(`/api/v1/threads/${threadId}`)).json();
    const [opening, again] = asReader.posts;
    assert.equal(opening.author.kind, 'anonymous');
    assert.equal(opening.author.pseudonym, again.author.pseudonym, 'one pseudonym per author per thread');
    assert.equal(opening.mine, false);
    const asAuthor = (await secret!.api.get(`/api/v1/threads/${threadId}`)).json();
    assert.equal(asAuthor.posts[0].mine, true, 'the author still recognises their post');
    assert.equal(asAuthor.posts[0].canEdit, true);

    const web = await browserMember(rt);
    await web.web.request('POST', `/api/v1/groups/${group.id}/join`, {
      json: {},
      headers: { 'x-csrf-token': (await web.web.get('/api/v1/me')).json().csrfToken },
    });
    const sources = [
      JSON.stringify(asReader),
      JSON.stringify((await owner.api.get(`/api/v1/threads/${threadId}`)).json()),
      JSON.stringify((await owner.api.get(`/api/v1/groups/${group.id}/threads`)).json()),
      JSON.stringify((await reader!.api.get('/api/v1/search?q=uniquezebra')).json()),
      JSON.stringify((await owner.api.get('/api/v1/notifications')).json()),
      JSON.stringify((await reader!.api.get('/api/v1/notifications')).json()),
      (await web.web.get(`/threads/${threadId}`)).body,
      (await web.web.get(`/groups/${group.id}`)).body,
      (await web.web.get('/search?q=uniquezebra')).body,
    ];
    for (const source of sources) {
      assert.ok(!source.includes(secret!.user.username), 'no username');
      assert.ok(!source.includes(secret!.user.id), 'no user id');
    }
    assert.equal(
      (await reader!.api.get('/api/v1/search?q=uniquezebra')).json().results.length,
      1,
      'the words are searchable, the author is not',
    );
    assert.equal(
      (await reader!.api.get('/api/v1/notifications')).json().notifications[0].kind,
      'mention',
      'an anonymous mention still arrives, naming no one',
    );
    const stored = await rt.ctx.db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirstOrThrow();
    assert.equal(stored.author_id, null);
    assert.ok(stored.author_box && !stored.author_box.includes(secret!.user.id), 'the author is kept only encrypted');
    const watch = await rt.ctx.db
      .selectFrom('thread_watches')
      .selectAll()
      .where('thread_id', '=', threadId)
      .where('user_id', '=', secret!.user.id)
      .execute();
    assert.equal(watch.length, 0, 'anonymous threads are not watched automatically');

    assert.equal((await reader!.api.api('PATCH', `/api/v1/posts/${second.post.id}`, { body: 'not mine' })).status, 403);
    assert.equal(
      (await secret!.api.api('PATCH', `/api/v1/posts/${second.post.id}`, { body: 'edited by me' })).status,
      204,
    );
  });

  test('moderators hide, delete and ban the author of an anonymous post without learning who it is', async () => {
    const { owner, group, others } = await publicGroupWith(2, { anonymousPosting: true });
    const [troll, bystander] = others;
    const { threadId } = await threadIn(bystander!.api, group.id, { title: 'Ordinary thread' });
    const abusive = (
      await troll!.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
        body: 'cruel anonymous words',
        anonymous: true,
      })
    ).json();

    assert.equal((await owner.api.api('POST', `/api/v1/posts/${abusive.post.id}/hide`, { hidden: true })).status, 204);
    const seen = (await bystander!.api.get(`/api/v1/threads/${threadId}`)).json().posts[1];
    assert.equal(seen.hidden, true);
    assert.equal(seen.body, '', 'hidden posts keep their words from readers');
    assert.equal((await bystander!.api.get('/api/v1/search?q=cruel')).json().results.length, 0);
    assert.equal(
      (await owner.api.get(`/api/v1/threads/${threadId}`)).json().posts[1].body,
      'cruel anonymous words',
      'moderators still see what they hid',
    );

    const banned = await owner.api.api('POST', `/api/v1/posts/${abusive.post.id}/ban-author`);
    assert.equal(banned.status, 204);
    assert.equal(banned.body, '', 'the answer says nothing about who');
    assert.equal(
      (await troll!.api.get(`/api/v1/groups/${group.id}`)).json().group.membership,
      'member',
      'still listed, so nobody can tell who it was (ADR 0018)',
    );
    assert.equal(
      (await troll!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'more cruelty' })).status,
      403,
      'but no longer taking part',
    );
    const bans = await owner.api.get(`/groups/${group.id}/bans`);
    assert.match(bans.body, /The author of an anonymous post/);
    assert.ok(!bans.body.includes(troll!.user.username), 'the ban list does not name them');
    const auditRows = await rt.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject', '=', troll!.user.id)
      .execute();
    assert.equal(auditRows.length, 0, 'the audit log does not name the banned author either');
    const logRows = await rt.ctx.db
      .selectFrom('moderation_log')
      .selectAll()
      .where((eb) => eb.or([eb('target_user_id', '=', troll!.user.id), eb('target_id', '=', troll!.user.id)]))
      .execute();
    assert.equal(logRows.length, 0, 'nor does the moderation log');
    assert.equal((await owner.api.api('DELETE', `/api/v1/posts/${abusive.post.id}`)).status, 204);
  });
});

describe('who can read what', () => {
  test('private and hidden group content is missing for outsiders: pages, API, search, mentions', async () => {
    const owner = await member(rt);
    const outsider = await member(rt);
    const web = await browserMember(rt);
    for (const visibility of ['private', 'hidden'] as const) {
      const group = await createGroupAs(owner.api, { visibility, name: `A ${visibility} place` });
      const { threadId, postId } = await threadIn(owner.api, group.id, {
        title: `secretword${visibility}`,
        body: `Hello @${outsider.user.username}`,
      });
      assert.equal((await outsider.api.get(`/api/v1/threads/${threadId}`)).status, 404);
      assert.equal((await outsider.api.get(`/api/v1/groups/${group.id}/threads`)).status, 404);
      assert.equal((await outsider.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'hi' })).status, 404);
      assert.equal((await outsider.api.api('POST', `/api/v1/posts/${postId}/reactions/hug`)).status, 404);
      assert.equal((await web.web.get(`/threads/${threadId}`)).status, 404);
      assert.equal((await web.web.get(`/posts/${postId}`)).status, 404);
      assert.equal((await outsider.api.get(`/api/v1/search?q=secretword${visibility}`)).json().results.length, 0);
      assert.equal((await owner.api.get(`/api/v1/search?q=secretword${visibility}`)).json().results.length, 1);
    }
    assert.equal(
      (await outsider.api.get('/api/v1/notifications')).json().notifications.length,
      0,
      'a mention where you cannot read tells you nothing',
    );
  });

  test('search finds Arabic forms across threads and replies, with a highlighted snippet', async () => {
    const { owner, group } = await publicGroupWith(0);
    await threadIn(owner.api, group.id, { title: 'دعم العائلة', body: 'كيف أتحدث مع عائلتي عن نفسي؟' });
    const reader = await member(rt);
    const results = (await reader.api.get(`/api/v1/search?q=${encodeURIComponent('بعائلتي')}`)).json().results;
    assert.equal(results.length, 1);
    assert.equal(results[0].kind, 'thread');
    assert.ok(
      results[0].snippet.some((part: { text: string; match: boolean }) => part.match && part.text === 'عائلتي'),
    );
    const threadOnly = (await reader.api.get(`/api/v1/search?q=${encodeURIComponent('العائلة')}&type=post`)).json()
      .results;
    assert.equal(threadOnly.length, 0);
    assert.equal((await new TestClient(rt.app).get('/search?q=x')).status, 303, 'visitors are sent to sign in');
  });
});

describe('watching and notifications', () => {
  test('replies notify watchers, mentions notify readers, and the unread count shows in the page', async () => {
    const { owner, group, others } = await publicGroupWith(1);
    const [friend] = others;
    const watcher = await browserMember(rt);
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Watch me' });
    await friend!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'first reply' });
    const notes = (await owner.api.get('/api/v1/notifications')).json();
    assert.equal(notes.unread, 1);
    assert.equal(notes.notifications[0].kind, 'reply');
    assert.match(notes.notifications[0].text, /Watch me/);

    await friend!.api.api('PUT', `/api/v1/groups/${group.id}/watch`);
    await threadIn(owner.api, group.id, { title: 'Second topic', body: `Thoughts, @${friend!.user.username}?` });
    const friendNotes = (await friend!.api.get('/api/v1/notifications'))
      .json()
      .notifications.map((n: { kind: string }) => n.kind)
      .sort();
    assert.deepEqual(friendNotes, ['mention', 'thread']);

    assert.equal((await owner.api.api('POST', '/api/v1/notifications/read')).status, 204);
    assert.equal((await owner.api.get('/api/v1/notifications')).json().unread, 0);

    const page = await watcher.web.get('/');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /class="count-badge"/);
  });
});

describe('home and account deletion', () => {
  test('the home page shows recent activity from the member’s groups only', async () => {
    const { owner, group } = await publicGroupWith(0);
    await threadIn(owner.api, group.id, { title: 'News from my group' });
    const web = await browserMember(rt);
    assert.ok(!(await web.web.get('/')).body.includes('News from my group'));
    await web.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {});
    assert.ok((await web.web.get('/')).body.includes('News from my group'));
  });

  test('deleting an account deletes what it wrote, anonymous posts included, and hands on its groups', async () => {
    const { group, others } = await publicGroupWith(1, { anonymousPosting: true });
    const [stayer] = others;
    const leaver = await member(rt);
    await leaver.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    const kept = await threadIn(stayer!.api, group.id, { title: 'Stays' });
    await leaver.api.api('POST', `/api/v1/threads/${kept.threadId}/posts`, { body: 'xylophonic named words' });
    await leaver.api.api('POST', `/api/v1/threads/${kept.threadId}/posts`, {
      body: 'xylophonic masked words',
      anonymous: true,
    });
    const ownGroup = await createGroupAs(leaver.api, { visibility: 'public', name: 'Leaver group' });
    await stayer!.api.api('POST', `/api/v1/groups/${ownGroup.id}/join`, {});

    assert.equal((await leaver.api.api('DELETE', '/api/v1/me', { current: defaultPassphrase })).status, 204);
    const posts = await rt.ctx.db.selectFrom('posts').select('body').where('thread_id', '=', kept.threadId).execute();
    assert.ok(!posts.some((p) => p.body.includes('xylophonic')), 'both posts are gone');
    assert.equal((await stayer!.api.get('/api/v1/search?q=xylophonic')).json().results.length, 0);
    assert.equal((await stayer!.api.get(`/api/v1/groups/${ownGroup.id}`)).json().group.membership, 'owner');
    assert.equal((await stayer!.api.get(`/api/v1/threads/${kept.threadId}`)).json().thread.replyCount, 0);
  });
});
