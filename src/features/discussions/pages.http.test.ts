// Keeping one's place in a thread (ADR 0036): numbered pages both ways, a post's address opens the
// page that holds it, and every action on a post comes back to that page, at the post.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { serviceContext } from '../../app-context.js';
import { createSession } from '../../security/sessions.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import type { SeededUser } from '../../../test/support/seed.js';
import { postsBefore } from './services/read-thread.js';

let rt: TestRuntime;

async function webFor(user: SeededUser): Promise<TestClient> {
  const web = new TestClient(rt.app);
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux')).token);
  return web;
}

/** A public group's thread of 45 posts (three pages of 20, 20 and 5), written by its owner and six members. */
async function threePageThread() {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  const others: Awaited<ReturnType<typeof member>>[] = [];
  // Six writers: each stays under the limit of ten posts a minute.
  for (let i = 0; i < 6; i++) {
    const m = await member(rt);
    await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    others.push(m);
  }
  const { threadId, postId } = await threadIn(owner.api, group.id, { title: 'Long thread', body: 'Post 0' });
  const ids = [postId];
  for (let i = 1; i < 45; i++) {
    rt.advance(7000);
    const r = await others[i % 6]!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Post ${i}` });
    assert.equal(r.status, 201, r.body);
    ids.push(r.json().post.id as string);
  }
  return { owner, group, others, threadId, ids };
}

type Thread = Awaited<ReturnType<typeof threePageThread>>;
let thread: Thread;
let ownerWeb: TestClient;
before(async () => {
  rt = await createTestRuntime();
  thread = await threePageThread();
  ownerWeb = await webFor(thread.owner.user);
});
after(async () => rt.close());

const postBodies = (html: string) => [...html.matchAll(/<p dir="auto">(Post \d+)<\/p>/g)].map((m) => m[1]);
const location = (r: { headers: Record<string, unknown> }) => r.headers.location as string;

describe('a thread pages both ways', () => {
  test('each page says where it is and links to the first, previous, next and last pages', async () => {
    const { threadId } = thread;
    const first = (await ownerWeb.get(`/threads/${threadId}`)).body;
    assert.deepEqual(
      postBodies(first),
      Array.from({ length: 20 }, (_, i) => `Post ${i}`),
    );
    assert.match(first, /<nav class="thread-pages" aria-label="Pages of this discussion">/);
    assert.match(first, /<nav class="thread-pages" aria-label="Pages of this discussion, after the posts">/);
    assert.match(first, /Page 1 of 3/);
    assert.match(
      first,
      new RegExp(`href="/threads/${threadId}" class="thread-pages-number" aria-label="Page 1" aria-current="page"`),
    );
    assert.match(first, new RegExp(`href="/threads/${threadId}\\?page=2" rel="next"`));
    assert.match(first, new RegExp(`<a href="/threads/${threadId}\\?page=3">Last</a>`));
    assert.doesNotMatch(first, /rel="prev"/, 'the first page has nothing before it');

    const second = (await ownerWeb.get(`/threads/${threadId}?page=2`)).body;
    assert.deepEqual(
      postBodies(second),
      Array.from({ length: 20 }, (_, i) => `Post ${i + 20}`),
    );
    assert.match(second, /Page 2 of 3/);
    assert.match(second, new RegExp(`<a href="/threads/${threadId}">First</a>`));
    assert.match(second, new RegExp(`href="/threads/${threadId}" rel="prev"`));
    assert.match(second, new RegExp(`href="/threads/${threadId}\\?page=3" rel="next"`));
    assert.match(second, /aria-label="Page 2" aria-current="page"/);

    const last = (await ownerWeb.get(`/threads/${threadId}?page=3`)).body;
    assert.deepEqual(postBodies(last), ['Post 40', 'Post 41', 'Post 42', 'Post 43', 'Post 44']);
    assert.doesNotMatch(last, /rel="next"/);

    const past = await ownerWeb.get(`/threads/${threadId}?page=9`);
    assert.equal(past.status, 303, 'a page past the end leads to the last page');
    assert.equal(location(past), `/threads/${threadId}?page=3`);
    assert.equal((await ownerWeb.get(`/threads/${threadId}?page=0`)).status, 400);
  });

  test('in Arabic too, without assuming who reads', async () => {
    const html = (await ownerWeb.get(`/threads/${thread.threadId}?page=2`, { 'accept-language': 'ar' })).body;
    assert.match(html, /aria-label="صفحات هذا النقاش"/);
    assert.match(html, /الصفحة 2 من 3/);
    assert.match(html, /rel="prev">السابقة</);
  });

  test("a post's address, and old `?at=` and `?after=` links, open the page that holds the post", async () => {
    const { threadId, ids } = thread;
    const early = await ownerWeb.get(`/posts/${ids[3]}`);
    assert.equal(early.status, 303);
    assert.equal(location(early), `/threads/${threadId}#post-${ids[3]}`);
    assert.equal(location(await ownerWeb.get(`/posts/${ids[25]}`)), `/threads/${threadId}?page=2#post-${ids[25]}`);
    assert.equal(location(await ownerWeb.get(`/posts/${ids[40]}`)), `/threads/${threadId}?page=3#post-${ids[40]}`);

    const old = await ownerWeb.get(`/threads/${threadId}?at=${ids[25]}`);
    assert.equal(old.status, 303);
    assert.equal(location(old), `/threads/${threadId}?page=2#post-${ids[25]}`);
    const page1 = (await thread.owner.api.get(`/api/v1/threads/${threadId}`)).json();
    assert.equal(
      location(await ownerWeb.get(`/threads/${threadId}?after=${page1.next}`)),
      `/threads/${threadId}?page=2#post-${ids[20]}`,
    );
  });
});

describe('after an action on a post, the member is back on its page, at the post', () => {
  test('reply, react, edit, hide and ban each lead to the page that holds the post', async () => {
    const { threadId, ids, others } = thread;
    const onPage2 = ids[27]!;
    const back = `/threads/${threadId}?page=2#post-${onPage2}`;
    const page2 = `/threads/${threadId}?page=2`;

    const reacted = await ownerWeb.submit(page2, `/posts/${onPage2}/reactions`, { toggle: 'hug' });
    assert.equal(reacted.status, 303);
    assert.equal(location(reacted), back, 'reacting');
    const reactedAgain = await ownerWeb.submit(page2, `/posts/${onPage2}/reactions`, { toggle: 'hug' });
    assert.equal(location(reactedAgain), back, 'taking a reaction back');

    const hidden = await ownerWeb.submit(page2, `/posts/${onPage2}/hide`, { hidden: '1' });
    assert.equal(location(hidden), back, 'hiding');
    const shown = await ownerWeb.submit(page2, `/posts/${onPage2}/hide`, { hidden: '0' });
    assert.equal(location(shown), back, 'showing again');

    const author = others[27 % 6]!;
    const authorWeb = await webFor(author.user);
    const edited = await authorWeb.submit(`/posts/${onPage2}/edit`, `/posts/${onPage2}/edit`, { body: 'Post 27' });
    assert.equal(edited.status, 303);
    assert.equal(location(edited), back, 'editing');

    const replied = await authorWeb.submit(`/threads/${threadId}?page=3`, `/threads/${threadId}/posts`, {
      body: 'A new reply, the 46th post',
    });
    assert.equal(replied.status, 303);
    const newest = await rt.ctx.db
      .selectFrom('posts')
      .select('id')
      .where('thread_id', '=', threadId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(location(replied), `/threads/${threadId}?page=3#post-${newest.id}`, 'replying');
    const landed = (await authorWeb.get(location(replied).split('#')[0]!)).body;
    assert.match(landed, /Post 40/, 'with everything above it on that page');
    assert.match(landed, new RegExp(`id="post-${newest.id}"`));

    const banned = await ownerWeb.submit(`/posts/${ids[44]}/ban`, `/posts/${ids[44]}/ban`, {});
    assert.equal(banned.status, 303);
    assert.equal(location(banned), `/threads/${threadId}?page=3#post-${ids[44]}`, 'banning');

    // Clean up for the tests after: the newest reply goes.
    assert.equal((await author.api.api('DELETE', `/api/v1/posts/${newest.id}`)).status, 204);
  });

  test("deleting one's reply leads back to the page that held it, at the post after it (or before it)", async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    const writers = [owner];
    for (let i = 0; i < 2; i++) {
      const writer = await member(rt);
      await writer.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
      writers.push(writer);
    }
    const { threadId, postId } = await threadIn(owner.api, group.id, { body: 'Post 0' });
    const ids = [postId];
    for (let i = 1; i <= 23; i++) {
      rt.advance(7000);
      const r = await writers[i % 3]!.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Post ${i}` });
      assert.equal(r.status, 201, r.body);
      ids.push(r.json().post.id);
    }
    // Page 2 holds posts 20 to 23; writers[1] wrote 22.
    const writerWeb = await webFor(writers[1]!.user);
    const ownWeb = await webFor(owner.user);
    const page2 = `/threads/${threadId}?page=2`;
    const deleted = await writerWeb.submit(`/posts/${ids[22]}/delete`, `/posts/${ids[22]}/delete`, {});
    assert.equal(deleted.status, 303);
    assert.equal(location(deleted), `${page2}&done=deleted#post-${ids[23]}`, 'on its page, at the post after it');
    const landed = await writerWeb.get(location(deleted).split('#')[0]!);
    assert.match(landed.body, /Page 2 of 2/);
    assert.match(landed.body, /Post 20/);
    assert.match(landed.body, /The post was deleted\./);

    // The last post of the thread: the post before it.
    const last = await ownWeb.submit(`/posts/${ids[23]}/delete`, `/posts/${ids[23]}/delete`, {});
    assert.equal(location(last), `${page2}&done=deleted#post-${ids[21]}`, 'the last post: at the one before it');

    // The only posts left on page 2 go: page 2 is gone, so the nearest page, at the post before them.
    await ownWeb.submit(`/posts/${ids[21]}/delete`, `/posts/${ids[21]}/delete`, {});
    const only = await ownWeb.submit(`/posts/${ids[20]}/delete`, `/posts/${ids[20]}/delete`, {});
    assert.equal(location(only), `/threads/${threadId}?done=deleted#post-${ids[19]}`, 'page 2 gone: page 1');
  });

  test('a reply refused for its words comes back on the last page, with the words kept', async () => {
    const { threadId } = thread;
    const refused = await ownerWeb.submit(`/threads/${threadId}`, `/threads/${threadId}/posts`, { body: ' ' });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /Page 3 of 3/);
  });
});

describe('a post has one page for every reader', () => {
  test('hidden posts keep their place for everyone; a deleted reply moves the later posts up', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    const writers = [owner];
    for (let i = 0; i < 2; i++) {
      const writer = await member(rt);
      await writer.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
      writers.push(writer);
    }
    const reader = await member(rt);
    const { threadId, postId } = await threadIn(owner.api, group.id, { body: 'Post 0' });
    const ids = [postId];
    for (let i = 1; i <= 21; i++) {
      rt.advance(7000);
      const api = writers[i % 3]!.api;
      ids.push((await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Post ${i}` })).json().post.id);
    }
    for (const id of ids.slice(1, 4))
      assert.equal((await owner.api.api('POST', `/api/v1/posts/${id}/hide`, { hidden: true })).status, 204);
    const readerWeb = await webFor(reader.user);
    const target = ids[20]!;
    assert.equal(location(await readerWeb.get(`/posts/${target}`)), `/threads/${threadId}?page=2#post-${target}`);
    assert.equal(location(await ownerWeb.get(`/posts/${target}`)), `/threads/${threadId}?page=2#post-${target}`);
    const asReader = (await reader.api.get(`/api/v1/threads/${threadId}?at=${target}`)).json();
    const asModerator = (await owner.api.get(`/api/v1/threads/${threadId}?at=${target}`)).json();
    assert.deepEqual(asReader.pages, asModerator.pages);
    assert.deepEqual(
      asReader.posts.map((p: { id: string }) => p.id),
      asModerator.posts.map((p: { id: string }) => p.id),
    );

    assert.equal((await owner.api.api('DELETE', `/api/v1/posts/${ids[5]}`)).status, 204);
    assert.equal(
      location(await readerWeb.get(`/posts/${target}`)),
      `/threads/${threadId}#post-${target}`,
      'one post fewer before it: back on the first page',
    );
  });
});

describe('the API pages the same way', () => {
  test('page numbers, the page that holds a post, and cursors, each saying where the page is', async () => {
    const { threadId, ids, owner } = thread;
    const second = (await owner.api.get(`/api/v1/threads/${threadId}?page=2`)).json();
    assert.deepEqual(second.pages, { number: 2, count: 3, size: 20, posts: 45 });
    assert.equal(second.posts[0].id, ids[20]);
    assert.equal(second.posts.length, 20);

    const holding = (await owner.api.get(`/api/v1/threads/${threadId}?at=${ids[44]}`)).json();
    assert.equal(holding.pages.number, 3);
    assert.deepEqual(
      holding.posts.map((p: { id: string }) => p.id),
      ids.slice(40),
    );
    assert.equal(holding.next, null);

    const walked = (await owner.api.get(`/api/v1/threads/${threadId}?after=${second.next}`)).json();
    assert.equal(walked.posts[0].id, ids[40]);
    assert.equal(walked.pages.number, 3);

    const beyond = (await owner.api.get(`/api/v1/threads/${threadId}?page=4`)).json();
    assert.deepEqual(beyond.posts, []);
    assert.equal(beyond.pages.count, 3);
    assert.equal((await owner.api.get(`/api/v1/threads/${threadId}?page=first`)).status, 400);
  });

  test("counting a post's place reads the thread's index", async () => {
    const query = postsBefore(rt.ctx.db, thread.threadId, { at: Date.now(), id: thread.ids[30]! }).compile();
    const plan = await rt.ctx.db.transaction().execute(async (trx) => {
      // On a table this small PostgreSQL may rightly prefer a scan: ask whether the index can answer.
      if (rt.ctx.engine === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
      const prefix = rt.ctx.engine === 'sqlite' ? 'explain query plan ' : 'explain ';
      const result = await trx.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
      );
      return result.rows.map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
    });
    assert.match(plan, /posts_in_thread/);
    assert.doesNotMatch(plan, /SCAN posts\b(?! USING)|Seq Scan/);
  });
});
