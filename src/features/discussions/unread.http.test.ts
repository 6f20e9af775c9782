import assert from 'node:assert/strict';
import { TestClient } from '../../../test/support/client.js';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { defaultPassphrase } from '../../../test/support/seed.js';
import { CompiledQuery, sql } from 'kysely';
import { unreadQuery } from './services/unread.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

interface Listed {
  id: string;
  unread: { count: number; opened: boolean; firstPostId: string | null; page: number | null };
}

/** A public group with its owner (API) and a reader who joined it through the web. */
async function groupWithReader() {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  const writer = await member(rt, 'wri');
  await writer.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
  const reader = await browserMember(rt, 'rea');
  await reader.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {});
  rt.advance(1000);
  return { owner, writer, reader, group };
}

/** Replies one by one, a little apart, from the owner and the writer in turn (each stays under the post limit). */
async function replies(clients: TestClient[], threadId: string, count: number, label = 'Reply'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    rt.advance(7000);
    const r = await clients[i % clients.length]!.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: `${label} ${i}`,
    });
    assert.equal(r.status, 201, r.body);
    ids.push(r.json().post.id);
  }
  return ids;
}

const listed = async (client: TestClient, groupId: string, threadId: string): Promise<Listed> => {
  const response = await client.get(`/api/v1/groups/${groupId}/threads`);
  assert.equal(response.status, 200);
  return response.json().threads.find((t: Listed) => t.id === threadId);
};

/** The text of the thread's row in a list page, tags removed. */
function rowOf(html: string, threadId: string): string {
  const start = html.indexOf(`href="/threads/${threadId}"`);
  assert.ok(start > 0, 'the thread is listed');
  const end = html.indexOf('</li>', start);
  return html.slice(start, end);
}

describe('read positions and what is new', () => {
  test('counts, the marker at the first new post and the jump link to its page', async () => {
    const { owner, writer, reader, group } = await groupWithReader();
    const { threadId, postId: opening } = await threadIn(owner.api, group.id, { title: 'Safe doctors in Amman' });

    // Never opened, written since the reader joined: "new", without a number, and a link to its start.
    const fresh = await listed(reader.web, group.id, threadId);
    assert.deepEqual(fresh.unread, { count: 1, opened: false, firstPostId: opening, page: 1 });
    let row = rowOf((await reader.web.get(`/groups/${group.id}`)).body, threadId);
    assert.match(row, /<a class="unread-link" href="\/threads\/[^"#?]+#first-unread">New: not opened yet<\/a>/);

    // Opening the thread shows the marker at the opening post and moves the reader's place to the end.
    let page = (await reader.web.get(`/threads/${threadId}`)).body;
    assert.match(
      page,
      new RegExp(
        `<h2 id="first-unread" class="unread-marker">New posts start here</h2><article[^>]*id="post-${opening}"`,
      ),
    );
    assert.equal((await listed(reader.web, group.id, threadId)).unread.count, 0);
    row = rowOf((await reader.web.get(`/groups/${group.id}`)).body, threadId);
    assert.doesNotMatch(row, /unread-link/);
    assert.doesNotMatch((await reader.web.get(`/threads/${threadId}`)).body, /first-unread/, 'nothing new: no marker');

    // Twenty-four replies: the reader has seen none, so the first new one is on page 1, the 21st reply on page 2.
    const third = await member(rt, 'thi');
    await third.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    // Three writers: one alone would meet the limit of ten posts a minute.
    const ids = await replies([owner.api, writer.api, third.api], threadId, 24);
    let unread = (await listed(reader.web, group.id, threadId)).unread;
    assert.deepEqual(unread, { count: 24, opened: true, firstPostId: ids[0], page: 1 });
    row = rowOf((await reader.web.get(`/groups/${group.id}`)).body, threadId);
    assert.match(row, new RegExp(`href="/threads/${threadId}#first-unread">24 new posts</a>`));

    // Page 1 shows posts 1–20 (the opening post and 19 replies): the place moves to the 19th reply.
    page = (await reader.web.get(`/threads/${threadId}`)).body;
    assert.match(page, new RegExp(`id="first-unread"[^>]*>[^<]*</h2><article[^>]*id="post-${ids[0]}"`));
    unread = (await listed(reader.web, group.id, threadId)).unread;
    assert.deepEqual(unread, { count: 5, opened: true, firstPostId: ids[19], page: 2 });
    row = rowOf((await reader.web.get(`/groups/${group.id}`)).body, threadId);
    assert.match(row, new RegExp(`href="/threads/${threadId}\\?page=2#first-unread">5 new posts</a>`));

    // The jump link opens page 2 with the marker at the first new post; going back to page 1 moves nothing back.
    const jumped = (await reader.web.get(`/threads/${threadId}?page=2`)).body;
    assert.match(jumped, new RegExp(`id="first-unread"[^>]*>[^<]*</h2><article[^>]*id="post-${ids[19]}"`));
    assert.equal((jumped.match(/id="first-unread"/g) ?? []).length, 1, 'one marker');
    await reader.web.get(`/threads/${threadId}`);
    assert.equal((await listed(reader.web, group.id, threadId)).unread.count, 0, 'never backwards');
    const stored = await rt.ctx.db
      .selectFrom('thread_reads')
      .select('post_id')
      .where('user_id', '=', reader.user.id)
      .where('thread_id', '=', threadId)
      .executeTakeFirstOrThrow();
    assert.equal(stored.post_id, ids[23]);
  });

  test('Arabic counts use the plural forms; the reader’s own posts are never new to them', async () => {
    const { owner, writer, reader, group } = await groupWithReader();
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Plural forms' });
    await reader.web.get(`/threads/${threadId}`);
    reader.web.acceptLanguage = 'ar';
    await replies([owner.api, writer.api], threadId, 2);
    assert.match(rowOf((await reader.web.get(`/groups/${group.id}`)).body, threadId), />مشاركتان جديدتان</);
    await replies([owner.api], threadId, 1);
    assert.match(rowOf((await reader.web.get(`/groups/${group.id}`)).body, threadId), />3 مشاركات جديدة</);
    await reader.web.get(`/threads/${threadId}`);
    rt.advance(7000);
    // The reader replies through the form: their own reply is not new, and the page they land on marks nothing.
    const replied = await reader.web.submit(`/threads/${threadId}`, `/threads/${threadId}/posts`, { body: 'Mine' });
    assert.equal(replied.status, 303);
    await replies([owner.api], threadId, 1);
    assert.match(rowOf((await reader.web.get(`/groups/${group.id}`)).body, threadId), />مشاركة جديدة واحدة</);
    const api = await member(rt);
    await api.api.api('POST', `/api/v1/groups/${group.id}/join`, {});
    rt.advance(1000);
    await api.api.get(`/api/v1/threads/${threadId}`);
    rt.advance(7000);
    await api.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Mine, through the API' });
    assert.equal((await listed(api.api, group.id, threadId)).unread.count, 0, 'own posts count for nobody');
  });

  test('the home page lists what is new since the last visit, with counts and jump links', async () => {
    const { owner, writer, reader, group } = await groupWithReader();
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Home news thread' });
    const quiet = await threadIn(owner.api, group.id, { title: 'Already read thread' });
    await reader.web.get(`/threads/${threadId}`);
    await reader.web.get(`/threads/${quiet.threadId}`);
    let home = (await reader.web.get('/')).body;
    const newSection = (html: string) =>
      html.slice(html.indexOf('id="new-title"'), html.indexOf('id="activity-title"'));
    assert.match(newSection(home), /Nothing new since your last visit\./);
    const ids = await replies([owner.api, writer.api], threadId, 3);
    home = (await reader.web.get('/')).body;
    const fresh = newSection(home);
    assert.ok(fresh.includes('Home news thread'));
    assert.ok(!fresh.includes('Already read thread'), 'read threads are not new');
    assert.match(fresh, new RegExp(`href="/threads/${threadId}#first-unread">3 new posts</a>`));
    // The recent activity below lists the others, not the same thread twice.
    const others = home.slice(home.indexOf('id="activity-title"'));
    assert.match(others, /Other recent discussions in your groups/);
    assert.ok(!others.includes('Home news thread'), 'listed once, as new');
    assert.ok(others.includes('Already read thread'));
    // The API answers the same, from the same service.
    const activity = (await reader.web.api('GET', '/api/v1/me/activity')).json();
    assert.deepEqual(
      activity.new.map((t: { id: string }) => t.id),
      [threadId],
    );
    assert.equal(activity.new[0].unread.count, 3);
    assert.equal(activity.new[0].groupName, group.name);
    assert.ok(activity.recent.some((t: { id: string }) => t.id === quiet.threadId));
    assert.ok(!activity.recent.some((t: { id: string }) => t.id === threadId));
    assert.equal((await new TestClient(rt.app).api('GET', '/api/v1/me/activity')).status, 401);
    const marked = (await reader.web.get(`/threads/${threadId}`)).body;
    assert.match(marked, new RegExp(`id="first-unread"[^>]*>[^<]*</h2><article[^>]*id="post-${ids[0]}"`));
    assert.match(newSection((await reader.web.get('/')).body), /Nothing new since your last visit\./);
    // A group the reader has not joined: its threads are new to nobody until opened.
    const other = await createGroupAs(owner.api, { visibility: 'public', name: 'Not joined' });
    await threadIn(owner.api, other.id, { title: 'Outside thread' });
    assert.ok(!newSection((await reader.web.get('/')).body).includes('Outside thread'));
  });

  test('hidden posts are new to nobody; a member removed from a private group sees no counts from it', async () => {
    const { owner, writer, reader, group } = await groupWithReader();
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Moderated thread' });
    await reader.web.get(`/threads/${threadId}`);
    const [hiddenId, shownId] = await replies([writer.api], threadId, 2, 'Maybe hidden');
    assert.equal((await owner.api.api('POST', `/api/v1/posts/${hiddenId}/hide`, { hidden: true })).status, 204);
    const unread = (await listed(reader.web, group.id, threadId)).unread;
    assert.equal(unread.count, 1, 'the hidden post is not counted');
    assert.equal(unread.firstPostId, shownId);
    assert.equal((await listed(owner.api, group.id, threadId)).unread.count, 1, 'not by moderators either');
    const page = (await reader.web.get(`/threads/${threadId}`)).body;
    assert.match(page, new RegExp(`id="first-unread"[^>]*>[^<]*</h2><article[^>]*id="post-${shownId}"`));

    // The group turns private and the reader is removed: nothing of it is counted or listed for them.
    assert.equal((await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, { visibility: 'private' })).status, 200);
    await replies([writer.api], threadId, 2, 'After removal');
    assert.ok((await reader.web.get('/')).body.includes('Moderated thread'), 'still a member: listed as new');
    const removed = await owner.api.api('DELETE', `/api/v1/groups/${group.id}/members/${reader.user.id}`);
    assert.equal(removed.status, 204);
    const home = (await reader.web.get('/')).body;
    assert.ok(!home.includes('Moderated thread'));
    assert.ok(!home.includes('unread-link'));
    assert.equal((await reader.web.get(`/api/v1/groups/${group.id}/threads`)).status, 404);
  });

  test('read positions are the member’s own: never in another member’s answers, gone with the account or the thread', async () => {
    const { owner, writer, reader, group } = await groupWithReader();
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Private reading' });
    const second = await threadIn(owner.api, group.id, { title: 'Deleted later' });
    await replies([owner.api], threadId, 2);
    // The writer joined before the thread was written: for them, everything but their own posts is new.
    assert.equal((await listed(writer.api, group.id, threadId)).unread.count, 3);
    await reader.web.get(`/threads/${threadId}`);
    await reader.web.get(`/threads/${second.threadId}`);
    assert.equal((await listed(reader.web, group.id, threadId)).unread.count, 0);
    const writerView = await writer.api.get(`/api/v1/groups/${group.id}/threads`);
    assert.equal(
      writerView.json().threads.find((t: Listed) => t.id === threadId).unread.count,
      3,
      'the reader’s reading changes nothing for others',
    );
    assert.ok(!writerView.body.includes(reader.user.id));
    const thread = (await writer.api.get(`/api/v1/threads/${threadId}`)).body;
    assert.ok(!thread.includes(reader.user.id) && !/thread_reads|readers/.test(thread));

    const rows = () =>
      rt.ctx.db
        .selectFrom('thread_reads')
        .select(['user_id', 'thread_id'])
        .where('user_id', '=', reader.user.id)
        .execute();
    assert.equal((await rows()).length, 2);
    // Deleting a thread (its opening post, with nothing else in it) deletes the places in it.
    const secondOpening = (await owner.api.get(`/api/v1/threads/${second.threadId}`)).json().posts[0].id;
    assert.equal((await owner.api.api('DELETE', `/api/v1/posts/${secondOpening}`)).status, 204);
    assert.equal(
      await rt.ctx.db.selectFrom('threads').select('id').where('id', '=', second.threadId).executeTakeFirst(),
      undefined,
    );
    assert.deepEqual(
      (await rows()).map((r) => r.thread_id),
      [threadId],
    );

    // Deleting the account deletes every place it had.
    assert.equal((await reader.web.get('/account')).status, 200);
    const deleted = await reader.web.submit('/account/delete', '/account/delete', {
      current: defaultPassphrase,
      confirm: 'on',
    });
    assert.ok(deleted.status < 400, `deleted: ${deleted.status}`);
    assert.equal((await rows()).length, 0);
  });
});

describe('the cost of counting', () => {
  test('the counts read each thread’s posts through its index, from the member’s place on', async () => {
    const { owner, reader, group } = await groupWithReader();
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Planned' });
    await reader.web.get(`/threads/${threadId}`);
    const query = unreadQuery(rt.ctx.db, reader.user.id, [threadId]).compile();
    // Statistics gathered now, not whenever autovacuum happens to run, so the plan is the same every time.
    if (rt.ctx.engine === 'postgres') await sql`analyze posts, threads, thread_reads, group_members`.execute(rt.ctx.db);
    const plan = await rt.ctx.db.transaction().execute(async (trx) => {
      // On tables this small PostgreSQL may rightly prefer a scan: ask whether the indexes can answer.
      if (rt.ctx.engine === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
      const prefix = rt.ctx.engine === 'sqlite' ? 'explain query plan ' : 'explain ';
      const result = await trx.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
      );
      return result.rows.map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
    });
    assert.match(plan, /posts_in_thread/);
    assert.match(plan, /thread_reads_pk|thread_reads_thread|sqlite_autoindex_thread_reads/);
    // Both lookups walk a range of the thread's index, from the place on, not the whole thread.
    assert.doesNotMatch(plan, /posts_in_thread \(thread_id=\?\)|Index Cond: \(thread_id = t\.id\)$/m, plan);
    assert.match(plan, /posts_in_thread \(thread_id=\? AND created_at>\?\)|created_at >= COALESCE/);
    assert.doesNotMatch(plan, /SCAN (posts|thread_reads|group_members)\b(?! USING)|Seq Scan/, plan);
  });
});

describe('leaving a group', () => {
  for (const how of ['leaves', 'is removed'] as const) {
    test(`a member who ${how}: no read position in the group's threads is left behind`, async () => {
      const owner = await member(rt, 'own');
      const group = await createGroupAs(owner.api, { visibility: 'private' });
      const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 1 })).json().invite;
      const reader = await member(rt, 'rea');
      const accepted = await reader.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
      assert.equal(accepted.status, 200);
      const { threadId } = await threadIn(owner.api, group.id, { title: 'Kept between us', body: 'Hello' });
      const other = await createGroupAs(owner.api, { visibility: 'public' });
      const elsewhere = await threadIn(owner.api, other.id, { title: 'Elsewhere', body: 'Hello' });
      for (const id of [threadId, elsewhere.threadId])
        assert.equal((await reader.api.get(`/api/v1/threads/${id}`)).status, 200);
      const positions = () =>
        rt.ctx.db.selectFrom('thread_reads').select('thread_id').where('user_id', '=', reader.user.id).execute();
      assert.equal((await positions()).length, 2);
      const gone =
        how === 'leaves'
          ? await reader.api.api('POST', `/api/v1/groups/${group.id}/leave`, {})
          : await owner.api.api('DELETE', `/api/v1/groups/${group.id}/members/${reader.user.id}`);
      assert.ok(gone.status < 300, gone.body);
      assert.deepEqual(
        (await positions()).map((r) => r.thread_id),
        [elsewhere.threadId],
        'only the position in the other group stays',
      );
    });
  }
});
