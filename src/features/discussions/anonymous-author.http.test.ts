import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';

// ADR 0012 and 0018: nobody sees who wrote an anonymous post, not even moderators or the instance's
// staff. There is no policy that could answer otherwise (ADR 0032 removed `canSeeAuthor`): the post
// stores no author id, so every view has nothing to show. This walks every view that shows posts,
// as every kind of reader, and looks for the author's name and id.

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

async function staff(role: 'moderator' | 'admin') {
  const m = await member(rt, role.slice(0, 3));
  await rt.ctx.db.updateTable('users').set({ role }).where('id', '=', m.user.id).execute();
  return m;
}

test('an anonymous author is named in no view, to no reader', async () => {
  const owner = await member(rt);
  const author = await member(rt, 'secretauthor');
  const reader = await member(rt);
  const instanceModerator = await staff('moderator');
  const admin = await staff('admin');
  const group = await createGroupAs(owner.api, { anonymousPosting: true });
  for (const m of [author, reader])
    assert.equal((await m.api.api('POST', `/api/v1/groups/${group.id}/join`)).status < 300, true);
  await reader.api.api('POST', `/api/v1/groups/${group.id}/watch`, { on: true });

  const { threadId, postId } = await threadIn(author.api, group.id, {
    title: 'Zanzibar question',
    body: `Zanzibar words for @${reader.user.username}`,
    anonymous: true,
  });
  const reply = (
    await author.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Zanzibar again', anonymous: true })
  ).json();
  assert.ok(reply.post.id);
  // A moderator hides the reply, then bans its author: moderation views must stay silent too.
  assert.equal((await owner.api.api('POST', `/api/v1/posts/${reply.post.id}/hide`, { hidden: true })).status, 204);
  assert.equal((await owner.api.api('POST', `/api/v1/posts/${postId}/ban-author`)).status, 204);

  const views = [
    `/threads/${threadId}`,
    `/api/v1/threads/${threadId}`,
    `/groups/${group.id}`,
    `/api/v1/groups/${group.id}/threads`,
    '/search?q=Zanzibar',
    '/api/v1/search?q=Zanzibar',
    '/notifications',
    '/api/v1/notifications',
    '/',
    `/groups/${group.id}/bans`,
  ];
  const readers = { owner, reader, instanceModerator, admin };
  for (const [who, m] of Object.entries(readers)) {
    for (const url of views) {
      const response = await m.api.get(url);
      if (response.status >= 400) continue; // a page this reader may not open says nothing either
      assert.ok(!response.body.includes(author.user.username), `${who} ${url} names the author`);
      assert.ok(!response.body.includes(author.user.id), `${who} ${url} holds the author's id`);
    }
  }
  // The thread and search really were shown to the reader, so the checks above looked at posts.
  assert.match((await reader.api.get(`/api/v1/threads/${threadId}`)).body, /Zanzibar words/);
  assert.ok((await reader.api.get('/api/v1/search?q=Zanzibar')).json().results.length > 0);
  assert.ok((await reader.api.get('/api/v1/notifications')).json().notifications.length > 0);
  // "Your posts" lists named posts only: an anonymous one there would tie it to the account.
  const own = await author.api.get('/api/v1/me/posts');
  assert.ok(!own.body.includes(postId) && !own.body.includes(reply.post.id), 'own posts leave anonymous ones out');
  const ownPage = await author.api.get('/account/posts');
  assert.ok(!ownPage.body.includes('Zanzibar'), 'the own-posts page too');
});
