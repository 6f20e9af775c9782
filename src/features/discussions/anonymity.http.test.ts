// Anonymity that holds (ADR 0018): what a moderator, a member or a seized database can and cannot
// learn about who wrote an anonymous post.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { defaultPassphrase } from '../../../test/support/seed.js';
import type { TestClient } from '../../../test/support/client.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type ApiMember = Awaited<ReturnType<typeof member>>;

async function joinAll(groupId: string, people: ApiMember[]) {
  for (const p of people) assert.equal((await p.api.api('POST', `/api/v1/groups/${groupId}/join`, {})).status, 200);
}

async function makeModerator(owner: ApiMember, groupId: string, userId: string) {
  assert.equal(
    (await owner.api.api('PATCH', `/api/v1/groups/${groupId}/members/${userId}`, { role: 'moderator' })).status,
    204,
  );
}

const auditRows = async () =>
  rt.ctx.db.selectFrom('audit_log').select(['id', 'actor_id', 'action', 'subject']).execute();
/** The moderation log (ADR 0047): bans are moderation; refused attempts stay in the audit log. */
const logRows = async () =>
  rt.ctx.db
    .selectFrom('moderation_log')
    .select(['id', 'actor_id', 'action', 'group_id as subject', 'target_user_id'])
    .execute();

describe('banning the author of an anonymous post', () => {
  test('leaves every member list exactly as it was, while the author can no longer post, react or read', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, {
      visibility: 'public',
      anonymousPosting: true,
      membersListOpen: true,
      name: 'Masks allowed',
    });
    const moderatorWeb = await browserMember(rt, 'modw');
    const memberWeb = await browserMember(rt, 'memw');
    for (const web of [moderatorWeb, memberWeb])
      assert.equal((await web.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {})).status, 303);
    await makeModerator(owner, group.id, moderatorWeb.user.id);
    const author = await member(rt, 'auth');
    const bystander = await member(rt, 'bys');
    await joinAll(group.id, [author, bystander]);
    const { threadId, postId: openingId } = await threadIn(bystander.api, group.id, { title: 'Ordinary thread' });
    const abusive = (
      await author.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
        body: 'cruel anonymous words',
        anonymous: true,
      })
    ).json();
    // Closed now: a banned author must lose read access too.
    assert.equal((await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, { visibility: 'private' })).status, 200);

    const memberLists = async () => ({
      moderatorApi: (await owner.api.get(`/api/v1/groups/${group.id}/members`)).body,
      memberApi: (await bystander.api.get(`/api/v1/groups/${group.id}/members`)).body,
      moderatorPage: (await moderatorWeb.web.get(`/groups/${group.id}/members`)).body,
      memberPage: (await memberWeb.web.get(`/groups/${group.id}/members`)).body,
    });
    const before = await memberLists();
    assert.ok(before.moderatorApi.includes(author.user.username), 'the author is listed before the ban');
    assert.ok(before.memberPage.includes(author.user.username));

    const ban = await moderatorWeb.web.submit(`/posts/${abusive.post.id}/ban`, `/posts/${abusive.post.id}/ban`, {});
    assert.equal(ban.status, 303);
    rt.advance(60_000);

    const afterBan = await memberLists();
    assert.deepEqual(afterBan, before, 'no member list changes, for moderators or members, as pages or API');
    assert.equal(
      (await author.api.get(`/api/v1/groups/${group.id}`)).json().group.membership,
      'member',
      'still a member on paper',
    );

    // The author can no longer take part, in any way.
    assert.equal(
      (await author.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'named now' })).status,
      404,
    );
    assert.equal(
      (
        await author.api.api('POST', `/api/v1/groups/${group.id}/threads`, {
          title: 'Again',
          body: 'x',
          anonymous: true,
        })
      ).status,
      404,
    );
    assert.equal((await author.api.api('POST', `/api/v1/posts/${openingId}/reactions/hug`)).status, 404);
    assert.equal(
      (await author.api.get(`/api/v1/threads/${threadId}`)).status,
      404,
      'a closed group is no longer readable',
    );
    assert.equal((await author.api.get(`/api/v1/groups/${group.id}/threads`)).status, 404);
    assert.equal((await author.api.get(`/api/v1/groups/${group.id}/members`)).status, 404);
    assert.equal((await author.api.get('/api/v1/search?q=ordinary')).json().results.length, 0, 'nor searchable');
    assert.doesNotMatch((await author.api.get('/')).body, /Ordinary thread/, 'nor on their home page');
    assert.match((await bystander.api.get('/')).body, /Ordinary thread/);
    const authorPage = (await author.api.get(`/groups/${group.id}`)).body;
    assert.match(authorPage, /banned the author of one of your anonymous posts/, 'only the author is told');
    assert.doesNotMatch((await memberWeb.web.get(`/groups/${group.id}`)).body, /one of your anonymous posts/);
    // Everyone else carries on.
    assert.equal(
      (await bystander.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'still here' })).status,
      201,
    );

    // The database alone does not name the author.
    assert.equal(
      (await rt.ctx.db.selectFrom('group_bans').select('user_id').where('group_id', '=', group.id).execute()).length,
      0,
    );
    const hashed = await rt.ctx.db.selectFrom('anonymous_bans').selectAll().where('group_id', '=', group.id).execute();
    assert.equal(hashed.length, 1);
    assert.ok(!JSON.stringify(hashed).includes(author.user.id));
    assert.match((await moderatorWeb.web.get(`/groups/${group.id}/bans`)).body, /The author of an anonymous post/);

    // Leaving is the author's own choice; coming back is closed.
    assert.equal((await author.api.api('POST', `/api/v1/groups/${group.id}/leave`)).status, 204);
    assert.equal(
      (
        await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, {
          visibility: 'public',
          confirmVisibilityIncrease: true,
        })
      ).status,
      200,
    );
    assert.equal((await author.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 403);
  });

  test('answers and audits the same whether the author is the owner, a moderator, a member or the moderator themself', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, {
      visibility: 'public',
      anonymousPosting: true,
      name: 'Four authors',
    });
    const acting = await member(rt, 'act');
    const fellow = await member(rt, 'fel');
    const plain = await member(rt, 'pla');
    await joinAll(group.id, [acting, fellow, plain]);
    await makeModerator(owner, group.id, acting.user.id);
    await makeModerator(owner, group.id, fellow.user.id);
    const { threadId } = await threadIn(plain.api, group.id, { title: 'Where masks meet' });
    const post = async (who: ApiMember) =>
      (await who.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'masked', anonymous: true })).json().post
        .id as string;
    // The moderator's own post goes last: banning it ends their moderating too.
    const authors = {
      owner: await post(owner),
      moderator: await post(fellow),
      member: await post(plain),
      themself: await post(acting),
    };

    const answers: Record<string, string> = {};
    const audits: Record<string, string> = {};
    for (const [role, postId] of Object.entries(authors)) {
      const seen = new Set((await logRows()).map((r) => r.id));
      const response = await acting.api.api('POST', `/api/v1/posts/${postId}/ban-author`);
      answers[role] = JSON.stringify({
        status: response.status,
        body: response.body,
        type: response.headers['content-type'] ?? null,
        length: response.headers['content-length'] ?? null,
      });
      const added = (await logRows()).filter((r) => !seen.has(r.id));
      audits[role] = JSON.stringify(
        added.map(({ actor_id, action, subject, target_user_id }) => ({ actor_id, action, subject, target_user_id })),
      );
    }
    for (const role of ['moderator', 'member', 'themself']) {
      assert.equal(answers[role], answers.owner, `the answer for a ${role} author is the owner's`);
      assert.equal(audits[role], audits.owner, `the audit row for a ${role} author is the owner's`);
    }
    assert.equal(JSON.parse(answers.owner!).status, 204);
    assert.deepEqual(
      JSON.parse(audits.owner!),
      [{ actor_id: acting.user.id, action: 'group.ban.anonymous', subject: group.id, target_user_id: null }],
      'one row naming the moderator and the group, never the author',
    );

    // The owner cannot be banned from their own group: only their anonymous posting ends.
    assert.equal(
      (await owner.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'named, still fine' })).status,
      201,
    );
    const masked = await owner.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: 'masked again',
      anonymous: true,
    });
    assert.equal(masked.status, 422);
    assert.match(masked.body, /can no longer post anonymously/);
    // Everyone else the ban reached has stopped taking part, the acting moderator included.
    for (const who of [fellow, plain, acting])
      assert.equal((await who.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'x' })).status, 403);
    assert.equal(
      (await acting.api.api('POST', `/api/v1/posts/${authors.member}/hide`, { hidden: true })).status,
      403,
      'no more moderating',
    );
  });

  test('refusals to ban a named author are recorded too', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { visibility: 'public', name: 'Named refusals' });
    const moderator = await member(rt, 'mod');
    await joinAll(group.id, [moderator]);
    await makeModerator(owner, group.id, moderator.user.id);
    const { postId } = await threadIn(owner.api, group.id);
    assert.equal((await moderator.api.api('POST', `/api/v1/posts/${postId}/ban-author`)).status, 403);
    const rows = (await auditRows()).filter((r) => r.actor_id === moderator.user.id);
    assert.deepEqual(
      rows.map((r) => [r.action, r.subject]),
      [['group.ban.refused', group.id]],
    );
  });
});

describe('notifications about anonymous posts', () => {
  test('reach the author like every other watcher, so no gap is shaped like them, and are never shown to the author', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, {
      visibility: 'public',
      anonymousPosting: true,
      name: 'Watched masks',
    });
    const author = await member(rt, 'auth');
    const watcher = await member(rt, 'wat');
    await joinAll(group.id, [author, watcher]);
    for (const who of [author, watcher])
      assert.equal((await who.api.api('PUT', `/api/v1/groups/${group.id}/watch`)).status, 204);
    const named = await threadIn(owner.api, group.id, { title: 'Everyone talks here' });
    // Both take part by name first, so both watch the thread.
    for (const who of [author, watcher])
      await who.api.api('POST', `/api/v1/threads/${named.threadId}/posts`, { body: `hello from ${who.user.username}` });
    await author.api.api('POST', '/api/v1/notifications/read');

    const maskedThread = await threadIn(author.api, group.id, { title: 'Masked opening', anonymous: true });
    const maskedReply = (
      await author.api.api('POST', `/api/v1/threads/${named.threadId}/posts`, { body: 'masked reply', anonymous: true })
    ).json().post.id as string;

    const recipients = async (postId: string) =>
      (
        await rt.ctx.db
          .selectFrom('notifications')
          .select(['user_id', 'kind', 'read'])
          .where('subject_id', '=', postId)
          .execute()
      )
        .map((r) => `${r.user_id}:${r.kind}:${r.read}`)
        .sort();
    assert.deepEqual(
      await recipients(maskedThread.postId),
      [`${author.user.id}:thread:0`, `${watcher.user.id}:thread:0`].sort(),
      'every group watcher, the author included, alike',
    );
    assert.deepEqual(
      await recipients(maskedReply),
      [`${author.user.id}:reply:0`, `${owner.user.id}:reply:0`, `${watcher.user.id}:reply:0`].sort(),
      'every thread watcher, the author included, alike',
    );

    const own = (await author.api.get('/api/v1/notifications')).json();
    assert.equal(own.unread, 0, 'the author is not told about their own post');
    assert.ok(
      !own.notifications.some(
        (n: { href: string }) => n.href === `/posts/${maskedThread.postId}` || n.href === `/posts/${maskedReply}`,
      ),
    );
    const web = await author.api.get('/notifications');
    assert.doesNotMatch(web.body, /Masked opening/);
    assert.doesNotMatch(web.body, /class="count-badge"/);
    const theirs = (await watcher.api.get('/api/v1/notifications')).json();
    assert.ok(
      theirs.notifications.some((n: { href: string }) => n.href === `/posts/${maskedReply}`),
      'others are told as before',
    );

    // Named posts are unchanged: nobody is told about their own.
    const namedReply = (
      await author.api.api('POST', `/api/v1/threads/${named.threadId}/posts`, { body: 'named reply' })
    ).json().post.id as string;
    assert.ok(!(await recipients(namedReply)).some((r) => r.startsWith(author.user.id)));
  });

  test('name the author among the people an anonymous post mentions, like everyone else it names', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { visibility: 'public', anonymousPosting: true, name: 'Named masks' });
    const author = await member(rt, 'auth');
    const friend = await member(rt, 'fri');
    await joinAll(group.id, [author, friend]);
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Who said what' });
    const body = `as @${author.user.username} and @${friend.user.username} said before`;
    const reply = (await author.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body, anonymous: true })).json()
      .post.id as string;
    const opening = (
      await author.api.api('POST', `/api/v1/groups/${group.id}/threads`, {
        title: 'Masked names',
        body,
        anonymous: true,
      })
    ).json().post.id as string;
    for (const postId of [reply, opening]) {
      const mentioned = (
        await rt.ctx.db
          .selectFrom('notifications')
          .select('user_id')
          .where('subject_id', '=', postId)
          .where('kind', '=', 'mention')
          .execute()
      )
        .map((r) => r.user_id)
        .sort();
      assert.deepEqual(
        mentioned,
        [author.user.id, friend.user.id].sort(),
        'the author named in their own anonymous post is not the one missing',
      );
    }
    const own = (await author.api.get('/api/v1/notifications')).json();
    assert.equal(own.unread, 0, 'and is never shown it');
    assert.ok(
      !own.notifications.some((n: { href: string }) => n.href === `/posts/${reply}` || n.href === `/posts/${opening}`),
    );
  });
});

describe('mentions of an author banned through an anonymous post', () => {
  test('still leave them a row like every other member named, so the stored rows do not single out who is banned', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, {
      visibility: 'public',
      anonymousPosting: true,
      name: 'Closed masks',
    });
    const author = await member(rt, 'auth');
    const friend = await member(rt, 'fri');
    await joinAll(group.id, [author, friend]);
    assert.equal((await owner.api.api('PATCH', `/api/v1/groups/${group.id}`, { visibility: 'private' })).status, 200);
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Before the ban' });
    const masked = (
      await author.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'masked', anonymous: true })
    ).json().post.id as string;
    assert.equal((await owner.api.api('POST', `/api/v1/posts/${masked}/ban-author`)).status, 204);

    const body = `thinking of @${author.user.username} and @${friend.user.username}`;
    const reply = (await owner.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body })).json().post.id as string;
    const mentioned = (
      await rt.ctx.db
        .selectFrom('notifications')
        .select('user_id')
        .where('subject_id', '=', reply)
        .where('kind', '=', 'mention')
        .execute()
    )
      .map((r) => r.user_id)
      .sort();
    assert.deepEqual(
      mentioned,
      [author.user.id, friend.user.id].sort(),
      'the banned author is not the one member named but not told',
    );
    const shown = (await author.api.get('/api/v1/notifications')).json().notifications as { postId: string | null }[];
    assert.ok(!shown.some((n) => n.postId === reply), 'the banned author, who may not read the group, is not shown it');
  });
});

describe('erasing anonymous posts apart from the account', () => {
  async function setUp() {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, {
      visibility: 'public',
      anonymousPosting: true,
      name: 'Erasable masks',
    });
    return { owner, group };
  }

  async function writeBoth(
    who: { api: TestClient } | { web: TestClient },
    owner: ApiMember,
    groupId: string,
    word: string,
  ) {
    const { threadId } = await threadIn(owner.api, groupId, { title: `Thread ${word}` });
    const client = 'api' in who ? who.api : who.web;
    const token = 'web' in who ? { 'x-csrf-token': (await who.web.get('/api/v1/me')).json().csrfToken } : undefined;
    const send = (body: Record<string, unknown>) =>
      client.api('POST', `/api/v1/threads/${threadId}/posts`, body, token);
    assert.equal((await send({ body: `${word} named words` })).status, 201);
    assert.equal((await send({ body: `${word} masked words`, anonymous: true })).status, 201);
    const opening = await client.api(
      'POST',
      `/api/v1/groups/${groupId}/threads`,
      { title: `${word} masked thread`, body: `${word} masked opening`, anonymous: true },
      token,
    );
    assert.equal(opening.status, 201);
    return threadId;
  }

  const bodiesWith = async (word: string) =>
    (await rt.ctx.db.selectFrom('posts').select('body').execute())
      .map((p) => p.body)
      .filter((b) => b.includes(word))
      .sort();

  test('over the API: only the anonymous posts go, the account and its named posts stay', async () => {
    const { owner, group } = await setUp();
    const writer = await member(rt, 'wri');
    await joinAll(group.id, [writer]);
    await writeBoth(writer, owner, group.id, 'quokkaapi');
    assert.equal(
      (await writer.api.api('DELETE', '/api/v1/me/anonymous-posts', { current: 'not my passphrase at all' })).status,
      422,
    );
    assert.equal((await writer.api.api('DELETE', '/api/v1/me/anonymous-posts', {})).status, 422);
    const erased = await writer.api.api('DELETE', '/api/v1/me/anonymous-posts', { current: defaultPassphrase });
    assert.equal(erased.status, 200);
    assert.deepEqual(erased.json(), { erased: 2 });
    assert.deepEqual(await bodiesWith('quokkaapi'), ['quokkaapi named words']);
    assert.equal(
      (await owner.api.get('/api/v1/search?q=quokkaapi')).json().results.length,
      2,
      'the named post and its thread remain findable',
    );
    assert.equal((await writer.api.get('/api/v1/me')).status, 200, 'the account stays');
    assert.deepEqual(
      (await writer.api.api('DELETE', '/api/v1/me/anonymous-posts', { current: defaultPassphrase })).json(),
      { erased: 0 },
    );
  });

  test('from the account page, which also says what deleting the account links', async () => {
    const { owner, group } = await setUp();
    const writer = await browserMember(rt, 'wrw');
    assert.equal((await writer.web.submit(`/groups/${group.id}`, `/groups/${group.id}/join`, {})).status, 303);
    const threadId = await writeBoth(writer, owner, group.id, 'quokkaweb');
    const composer = (await writer.web.get(`/threads/${threadId}`)).body;
    assert.match(composer, /erase your anonymous posts first/, 'the composer says deletion links the two');
    assert.match(
      composer,
      /takes over your account and can see which anonymous posts are yours/,
      'and what a reset hands over',
    );
    const account = await writer.web.get('/account');
    assert.match(account.body, /action="\/account\/anonymous-posts\/erase"/);
    assert.match(account.body, /removed at the same moment/);

    const unconfirmed = await writer.web.submit('/account', '/account/anonymous-posts/erase', {
      current: defaultPassphrase,
    });
    assert.equal(unconfirmed.status, 422);
    assert.match(unconfirmed.body, /Tick the box to confirm that your anonymous posts should be erased/);
    assert.equal((await bodiesWith('quokkaweb')).length, 3, 'nothing erased without the confirmation');
    const done = await writer.web.submit('/account', '/account/anonymous-posts/erase', {
      current: defaultPassphrase,
      confirm: 'on',
    });
    assert.equal(done.status, 303);
    assert.match((await writer.web.get(done.headers.location as string)).body, /Your anonymous posts have been erased/);
    assert.deepEqual(await bodiesWith('quokkaweb'), ['quokkaweb named words']);

    writer.web.acceptLanguage = 'ar';
    writer.web.cookies.delete('sanad_lang');
    assert.match((await writer.web.get('/account')).body, /محو مشاركاتي المجهولة/);
  });
});
