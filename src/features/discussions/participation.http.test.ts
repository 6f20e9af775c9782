import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { up as stripBidiControls } from '../../db/migrations/0007_strip_bidi_controls.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Visibility = 'public' | 'private' | 'hidden';

/** A group with its owner and one member who has written a thread and a reply in it. */
async function groupWithAuthor(visibility: Visibility, options: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility, ...options });
  const author = await browserMember(rt, 'auth');
  const api = new TestClient(rt.app);
  api.bearer = author.web.cookies.get('sanad_session');
  if (visibility === 'public') {
    assert.equal((await api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  } else {
    const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, {})).json().invite;
    assert.equal((await api.api('POST', `/api/v1/group-invites/${invite.code}/accept`)).status, 200);
  }
  const { threadId } = await threadIn(owner.api, group.id, { title: 'Owner opens', body: 'Welcome' });
  const reply = (await api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'My own words' })).json();
  return { owner, group, author: { ...author, api }, threadId, replyId: reply.post.id as string };
}

const ban = (g: Awaited<ReturnType<typeof groupWithAuthor>>) =>
  g.owner.api.api('DELETE', `/api/v1/groups/${g.group.id}/members/${g.author.user.id}?ban=true`);
const leave = (g: Awaited<ReturnType<typeof groupWithAuthor>>) =>
  g.author.api.api('POST', `/api/v1/groups/${g.group.id}/leave`);
const postExists = async (id: string) =>
  (await rt.ctx.db.selectFrom('posts').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

describe('a ban stops all participation; authors may always delete their own posts', () => {
  test('banned from a public group: may read, but not react, reply or edit; may still delete', async () => {
    const g = await groupWithAuthor('public');
    const { postId: ownerPost } = await threadIn(g.owner.api, g.group.id, { title: 'Second', body: 'Another' });
    assert.equal((await ban(g)).status, 204);
    const api = g.author.api;
    assert.equal((await api.get(`/api/v1/threads/${g.threadId}`)).status, 200, 'a public group is still readable');
    assert.equal(
      (await api.api('POST', `/api/v1/posts/${ownerPost}/reactions/support`)).status,
      403,
      'no reacting (API)',
    );
    assert.equal(
      (await g.author.web.submit(`/threads/${g.threadId}`, `/posts/${ownerPost}/reactions`, { toggle: 'hug' })).status,
      403,
      'no reacting (form)',
    );
    const reactions = await rt.ctx.db.selectFrom('reactions').select('kind').where('post_id', '=', ownerPost).execute();
    assert.equal(reactions.length, 0);
    assert.equal(
      (await api.api('POST', `/api/v1/threads/${g.threadId}/posts`, { body: 'still here' })).status,
      403,
      'no replying',
    );
    assert.equal(
      (await api.api('PATCH', `/api/v1/posts/${g.replyId}`, { body: 'rewritten after the ban' })).status,
      403,
      'no editing',
    );
    assert.equal((await g.author.web.get(`/posts/${g.replyId}/edit`)).status, 404, 'no edit form');
    const page = (await api.get(`/api/v1/threads/${g.threadId}`)).json();
    const mine = page.posts.find((p: { id: string }) => p.id === g.replyId);
    assert.deepEqual([mine.body, mine.canEdit, mine.canDelete], ['My own words', false, true]);
    assert.equal((await api.api('DELETE', `/api/v1/posts/${g.replyId}`)).status, 204, 'deleting their own post');
    assert.equal(await postExists(g.replyId), false);
  });

  test('left a public group: may no longer edit, may still delete', async () => {
    const g = await groupWithAuthor('public');
    assert.equal((await leave(g)).status, 204);
    assert.equal(
      (await g.author.api.api('PATCH', `/api/v1/posts/${g.replyId}`, { body: 'edited after leaving' })).status,
      403,
    );
    const res = await g.author.web.submit(`/posts/${g.replyId}/delete`, `/posts/${g.replyId}/delete`, {});
    assert.equal(res.status, 303);
    // Back in the thread, at the post before the deleted one (the opening post).
    assert.match(String(res.headers.location), new RegExp(`^/threads/${g.threadId}\\?done=deleted#post-`));
    assert.equal(await postExists(g.replyId), false);
  });

  for (const [visibility, how] of [
    ['private', 'left'],
    ['hidden', 'left'],
    ['private', 'banned'],
  ] as const) {
    test(`${how} a ${visibility} group: finds and deletes their posts without reading anything else`, async () => {
      const g = await groupWithAuthor(visibility, { anonymousPosting: true });
      const anonymous = (
        await g.author.api.api('POST', `/api/v1/threads/${g.threadId}/posts`, {
          body: 'said anonymously',
          anonymous: true,
        })
      ).json().post.id;
      const { postId: ownerPost } = await threadIn(g.owner.api, g.group.id, {
        title: 'Not theirs',
        body: 'Someone else',
      });
      assert.equal((how === 'left' ? await leave(g) : await ban(g)).status, 204);
      const { api, web } = g.author;
      // Nothing else becomes readable.
      assert.equal((await api.get(`/api/v1/threads/${g.threadId}`)).status, 404);
      assert.equal((await web.get(`/posts/${ownerPost}/delete`)).status, 404, 'another post is still missing');
      assert.equal((await api.api('DELETE', `/api/v1/posts/${ownerPost}`)).status, 404);
      assert.equal(
        (await api.api('PATCH', `/api/v1/posts/${g.replyId}`, { body: 'edit' })).status,
        404,
        'no editing where they cannot read',
      );

      // Their own signed posts are listed on the account page and in the API, with a way to delete them.
      const listed = (await api.get('/api/v1/me/posts')).json().posts;
      assert.deepEqual(
        listed.map((p: { id: string; readable: boolean }) => [p.id, p.readable]),
        [[g.replyId, false]],
        'anonymous posts are not listed',
      );
      assert.ok((await web.get('/account')).body.includes('href="/account/posts"'));
      const ownPage = await web.get('/account/posts');
      assert.ok(ownPage.body.includes('My own words'));
      assert.ok(ownPage.body.includes(`href="/posts/${g.replyId}/delete"`));
      assert.ok(
        !ownPage.body.includes('Someone else') && !ownPage.body.includes('Owner opens'),
        'nothing of the thread but their words',
      );

      const confirm = await web.get(`/posts/${g.replyId}/delete`);
      assert.equal(confirm.status, 200);
      assert.ok(
        confirm.body.includes('href="/account/posts"'),
        'cancel leads back to their posts, not to a missing page',
      );
      const deleted = await web.submit(`/posts/${g.replyId}/delete`, `/posts/${g.replyId}/delete`, {});
      assert.equal(deleted.status, 303);
      assert.equal(deleted.headers.location, '/account/posts?done=deleted');
      assert.equal(await postExists(g.replyId), false);
      // An anonymous post is theirs by its keyed hash: deleting it by id works too.
      assert.equal((await api.api('DELETE', `/api/v1/posts/${anonymous}`)).status, 204);
      assert.equal(await postExists(anonymous), false);
      assert.equal(await postExists(ownerPost), true);
    });
  }
});

describe('odd answers made right', () => {
  test("the edit form of someone else's readable post is missing (404), not forbidden", async () => {
    const g = await groupWithAuthor('public');
    const stranger = await browserMember(rt, 'str');
    assert.equal((await stranger.web.get(`/threads/${g.threadId}`)).status, 200, 'the post is readable');
    assert.equal((await stranger.web.get(`/posts/${g.replyId}/edit`)).status, 404);
    assert.equal(
      (await g.owner.api.get(`/posts/${g.replyId}/edit`)).status,
      404,
      'a moderator does not edit others either',
    );
    assert.equal((await g.author.web.get(`/posts/${g.replyId}/edit`)).status, 200);
  });

  test('joining through the API needs no body, as the document says', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { visibility: 'public' });
    const joiner = await member(rt, 'join');
    const bare = await joiner.api.request('POST', `/api/v1/groups/${group.id}/join`);
    assert.equal(bare.status, 200, bare.body);
    assert.equal(bare.json().status, 'joined');
    const other = await member(rt, 'join');
    const emptyJson = await other.api.request('POST', `/api/v1/groups/${group.id}/join`, {
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(emptyJson.status, 200, emptyJson.body);
    const invite = await owner.api.request('POST', `/api/v1/groups/${group.id}/invites`);
    assert.equal(invite.status, 201, 'invites take no body either');
    assert.equal((await owner.api.request('POST', '/api/v1/groups')).status, 400, 'a body that is required still is');
    const doc = (await owner.api.get('/api/v1/openapi.json')).json();
    assert.equal(doc.paths['/api/v1/groups/{id}/join'].post.requestBody.required, false);
    assert.equal(doc.paths['/api/v1/groups/{id}/invites'].post.requestBody.required, false);
    assert.equal(doc.paths['/api/v1/groups'].post.requestBody.required, true);
  });
});

describe('what strangers learn of a group', () => {
  test('the last activity of a group is shown to non-members by the day only, in the group and the directory', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, {
      visibility: 'private',
      name: 'Quiet private circle',
      country: 'JO',
    });
    const exact = Date.UTC(2026, 2, 14, 21, 7, 33, 123);
    const day = Date.UTC(2026, 2, 14);
    await rt.ctx.db.updateTable('groups').set({ last_activity_at: exact }).where('id', '=', group.id).execute();
    const stranger = await member(rt, 'str');
    assert.equal((await stranger.api.get(`/api/v1/groups/${group.id}`)).json().group.lastActivityAt, day);
    const listed = (await stranger.api.get('/api/v1/groups?country=JO'))
      .json()
      .groups.find((g: { id: string }) => g.id === group.id);
    assert.equal(listed.lastActivityAt, day);
    assert.equal(
      (await owner.api.get(`/api/v1/groups/${group.id}`)).json().group.lastActivityAt,
      exact,
      'members see the time',
    );

    // The directory's cursor carries the day too, never the time of the last group on a page.
    // Three founders take turns: one alone would meet the limit of ten groups a day (ADR 0023).
    const founders = [owner.api, (await member(rt, 'fa')).api, (await member(rt, 'fb')).api];
    for (let i = 0; i < 20; i++) await createGroupAs(founders[i % 3]!, { name: `Later group ${i}`, country: 'JO' });
    const page = (await stranger.api.get('/api/v1/groups?country=JO')).json();
    const next = (await stranger.api.get(`/api/v1/groups?country=JO&after=${page.next}`)).json();
    const seen = [...page.groups, ...next.groups].map((g: { id: string }) => g.id);
    assert.equal(seen.filter((id: string) => id === group.id).length, 1, 'every group once across the pages');
    for (const cursor of [page.next, next.next].filter(Boolean))
      assert.equal(Number(cursor.split('_')[0]) % 86_400_000, 0, cursor);
  });

  test('direction controls are removed from group names, places, tags, questions and thread titles', async () => {
    const owner = await member(rt, 'own');
    const rlo = '\u202E';
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    const group = await createGroupAs(owner.api, {
      visibility: 'private',
      name: `Safe${rlo}exe.gnp circle`,
      city: `Amm${all}an`,
      interests: [`po${all}etry`],
      questions: [`Why ${rlo}join?`],
    });
    assert.equal(group.name, 'Safeexe.gnp circle');
    assert.equal(group.city, 'Amman');
    assert.deepEqual(group.tags, [
      { kind: 'identity', label: 'queer' },
      { kind: 'interest', label: 'poetry' },
    ]);
    assert.deepEqual(group.questions, ['Why join?']);
    const { threadId } = await threadIn(owner.api, group.id, { title: `Hello ${all}world`, body: 'Body' });
    assert.equal((await owner.api.get(`/api/v1/threads/${threadId}`)).json().thread.title, 'Hello world');
    const renamed = (await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, { name: `\u2067Renamed\u2069` })).json()
      .group;
    assert.equal(renamed.name, 'Renamed');
    // Usernames never accepted them.
    const res = await new TestClient(rt.app).api('POST', '/api/v1/auth/register', {
      username: `ab${rlo}cd`,
      passphrase: 'a quiet river under old olive trees',
    });
    assert.equal(res.status, 422);

    // Rows saved before the rule lose them too.
    await rt.ctx.db
      .updateTable('groups')
      .set({ name: `Old${rlo} name`, city: `Old${all}town` })
      .where('id', '=', group.id)
      .execute();
    await rt.ctx.db
      .updateTable('threads')
      .set({ title: `Old ${all}title` })
      .where('id', '=', threadId)
      .execute();
    await stripBidiControls(rt.ctx.db);
    const stored = await rt.ctx.db
      .selectFrom('groups')
      .select(['name', 'city'])
      .where('id', '=', group.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { name: 'Old name', city: 'Oldtown' });
    const thread = await rt.ctx.db
      .selectFrom('threads')
      .select('title')
      .where('id', '=', threadId)
      .executeTakeFirstOrThrow();
    assert.equal(thread.title, 'Old title');
  });
});
