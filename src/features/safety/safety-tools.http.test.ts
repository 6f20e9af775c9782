// Member tools (ADR 0052) through the API and the HTML pages, on both engines: blocks withhold posts
// both ways and reach nobody with mentions or reactions, without telling the blocked member; mutes
// hide for the muter only; watched words block, hold and flag whatever tashkeel, tatweel or letter
// variants are put in; slow mode refuses with 429 and is recorded in the moderation log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { serviceContext } from '../../app-context.js';
import { createSession } from '../../security/sessions.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

async function inBrowser(person: Person): Promise<TestClient> {
  const web = new TestClient(rt.app);
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), person.user.id, 'Test · Linux')).token);
  return web;
}

/** A public group with its owner, a group moderator and three members. */
async function scene(options: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', ...options });
  const join = async (m: Person) =>
    assert.equal((await m.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  const moderator = await member(rt, 'gmod');
  const [a, b, c] = [await member(rt, 'a'), await member(rt, 'b'), await member(rt, 'c')];
  for (const m of [moderator, a!, b!, c!]) await join(m);
  await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${moderator.user.id}`, { role: 'moderator' });
  return { owner, group, moderator, a: a!, b: b!, c: c! };
}

const postsOf = async (who: Person, threadId: string) =>
  (await who.api.get(`/api/v1/threads/${threadId}`)).json().posts as {
    id: string;
    body: string;
    author: { kind: string; username?: string };
    withheld: boolean;
    held: boolean;
    hidden: boolean;
  }[];
const notesOf = async (who: Person) =>
  (await who.api.get('/api/v1/notifications')).json().notifications as { kind: string }[];

describe('blocks and mutes', () => {
  test('a block withholds posts both ways, in the API and the page, and the blocked member is not told', async () => {
    const { group, a, b, c } = await scene();
    const { threadId, postId: opening } = await threadIn(a.api, group.id, {
      title: 'A shelter list',
      body: 'Words of A',
    });
    const reply = await b.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Words of B' });
    assert.equal(reply.status, 201);
    const replyId = reply.json().post.id;

    const blocked = await a.api.api('POST', '/api/v1/blocks', { username: b.user.username });
    assert.equal(blocked.status, 201);
    assert.equal(blocked.json().block.userId, b.user.id);
    // Twice changes nothing.
    assert.equal((await a.api.api('POST', '/api/v1/blocks', { userId: b.user.id })).status, 201);

    const seenByA = await postsOf(a, threadId);
    const bsPost = seenByA.find((p) => p.id === replyId)!;
    assert.equal(bsPost.withheld, true);
    assert.equal(bsPost.body, '');
    assert.deepEqual(bsPost.author, { kind: 'notShown' });
    const seenByB = await postsOf(b, threadId);
    assert.equal(seenByB.find((p) => p.id === opening)!.withheld, true, 'both ways');
    assert.equal(seenByB.find((p) => p.id === opening)!.body, '');
    // Everyone else sees both, in the same places.
    const seenByC = await postsOf(c, threadId);
    assert.deepEqual(
      seenByC.map((p) => [p.id, p.withheld, p.body]),
      [
        [opening, false, 'Words of A'],
        [replyId, false, 'Words of B'],
      ],
    );
    assert.deepEqual(
      seenByA.map((p) => p.id),
      seenByC.map((p) => p.id),
      'a withheld post keeps its place',
    );

    // The page: a neutral line in place of the post, without its words or its author's name.
    const pageA = await (await inBrowser(a)).get(`/threads/${threadId}`);
    assert.equal(pageA.status, 200);
    assert.ok(!pageA.body.includes('Words of B'));
    assert.ok(pageA.body.includes('A post is not shown here.'));
    const pageB = await (await inBrowser(b)).get(`/threads/${threadId}`);
    assert.ok(!pageB.body.includes('Words of A'));
    assert.ok(!pageB.body.includes(`>${a.user.username}<`));

    // The blocked member's own list says nothing of it, and their block list is their own.
    assert.deepEqual((await b.api.get('/api/v1/blocks')).json().blocks, []);
    assert.deepEqual(
      (await a.api.get('/api/v1/blocks')).json().blocks.map((p: { userId: string }) => p.userId),
      [b.user.id],
    );

    // Undone, both see each other again.
    assert.equal((await a.api.api('DELETE', `/api/v1/blocks/${b.user.id}`)).status, 204);
    assert.equal((await postsOf(a, threadId)).find((p) => p.id === replyId)!.body, 'Words of B');
  });

  test('a block and a mute keep threads out of lists, the home activity and search results', async () => {
    const { group, a, b, c } = await scene();
    const { threadId } = await threadIn(b.api, group.id, { title: 'Zebracorn meeting', body: 'zebracorn notes' });
    const reply = await b.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'more zebracorn words' });
    const listed = async (who: Person) =>
      (await who.api.get(`/api/v1/groups/${group.id}/threads`)).json().threads.map((t: { id: string }) => t.id);
    const activity = async (who: Person) =>
      ((b) => [...b.new, ...b.recent].map((t: { id: string }) => t.id))(
        (await who.api.get('/api/v1/me/activity')).json(),
      );
    const found = async (who: Person) =>
      (await who.api.get('/api/v1/search?q=zebracorn'))
        .json()
        .results.map((r: { id: string }) => r.id)
        .sort();
    assert.ok((await listed(a)).includes(threadId));
    assert.ok((await activity(a)).includes(threadId));
    assert.deepEqual(await found(a), [reply.json().post.id, threadId].sort());
    await a.api.api('POST', '/api/v1/blocks', { userId: b.user.id });
    await c.api.api('POST', '/api/v1/mutes', { userId: b.user.id });
    for (const who of [a, c]) {
      assert.ok(!(await listed(who)).includes(threadId));
      assert.ok(!(await activity(who)).includes(threadId));
      assert.deepEqual(await found(who), []);
    }
    // And the other way: the blocked member no longer finds the blocker's threads.
    const own = await threadIn(a.api, group.id, { title: 'Zebracorn again', body: 'zebracorn' });
    assert.ok(!(await listed(b)).includes(own.threadId));
    assert.ok(!(await found(b)).includes(own.threadId));
  });

  test('mentions and replies between blocked members notify nobody, either way', async () => {
    const { group, a, b, c } = await scene();
    await b.api.api('POST', '/api/v1/blocks', { userId: a.user.id });
    const { threadId } = await threadIn(a.api, group.id, {
      title: 'Hello',
      body: `Thoughts, @${b.user.username} and @${c.user.username}?`,
    });
    assert.deepEqual(
      (await notesOf(b)).map((n) => n.kind),
      [],
      'the blocker is not told of a mention by the blocked',
    );
    assert.deepEqual(
      (await notesOf(c)).map((n) => n.kind),
      ['mention'],
    );
    // The blocker names the blocked: nobody is told, and the post is published as any other.
    const named = await b.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `@${a.user.username} hi` });
    assert.equal(named.status, 201);
    assert.deepEqual(
      (await notesOf(a)).map((n) => n.kind),
      [],
      'no mention, and no reply notice to the watching author',
    );
    // An anonymous-free third member's reply still reaches the watching author.
    await c.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'me too' });
    assert.deepEqual(
      (await notesOf(a)).map((n) => n.kind),
      ['reply'],
    );
  });

  test('an anonymous post stays shown across a block, so the block never names its author', async () => {
    const { group, a, b } = await scene({ anonymousPosting: true });
    const { threadId } = await threadIn(a.api, group.id, { body: 'Words of A' });
    const anonymous = await b.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: 'Anonymous words',
      anonymous: true,
    });
    assert.equal(anonymous.status, 201);
    const postId = anonymous.json().post.id;
    await a.api.api('POST', '/api/v1/blocks', { userId: b.user.id });
    const seen = (await postsOf(a, threadId)).find((p) => p.id === postId)!;
    assert.equal(seen.withheld, false);
    assert.equal(seen.body, 'Anonymous words');
    assert.equal(seen.author.kind, 'anonymous');
    // Reacting to it works as on any post: refusing would say who wrote it.
    const reacted = await a.api.api('POST', `/api/v1/posts/${postId}/reactions/hug`);
    assert.equal(reacted.json().reactions.hug, 1);
    // A mention written anonymously reaches the person named like any other: withholding it alone
    // would tell them its author is in a block with them.
    await b.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `@${a.user.username} hi`, anonymous: true });
    assert.ok((await notesOf(a)).some((n) => n.kind === 'mention'));
  });

  test('a reaction across a block changes nothing and says nothing', async () => {
    const { group, a, b } = await scene();
    const { postId } = await threadIn(a.api, group.id);
    await a.api.api('POST', '/api/v1/blocks', { userId: b.user.id });
    const reacted = await b.api.api('POST', `/api/v1/posts/${postId}/reactions/support`);
    assert.equal(reacted.status, 200, 'no error that reveals the block');
    assert.equal(reacted.json().reactions.support, 0);
    const count = await rt.ctx.db
      .selectFrom('reactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('post_id', '=', postId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  test('a mute hides posts from the muter only; the muted can still mention them', async () => {
    const { group, a, b, c } = await scene();
    const { threadId, postId } = await threadIn(b.api, group.id, { body: 'Words of B' });
    const muted = await a.api.api('POST', '/api/v1/mutes', { username: `@${b.user.username}` });
    assert.equal(muted.status, 201);
    assert.equal((await postsOf(a, threadId)).find((p) => p.id === postId)!.withheld, true);
    assert.equal((await postsOf(c, threadId)).find((p) => p.id === postId)!.withheld, false);
    assert.equal((await postsOf(b, threadId)).find((p) => p.id === postId)!.body, 'Words of B');
    await b.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `@${a.user.username} hello` });
    assert.deepEqual(
      (await notesOf(a)).map((n) => n.kind),
      ['mention'],
    );
    assert.deepEqual((await b.api.get('/api/v1/mutes')).json().mutes, []);
    assert.equal((await a.api.get('/api/v1/mutes')).json().mutes[0].userId, b.user.id);
  });

  test('nobody blocks themself or a name that does not exist; moderators still see what they moderate', async () => {
    const { group, a, moderator } = await scene();
    const self = await a.api.api('POST', '/api/v1/blocks', { userId: a.user.id });
    assert.equal(self.status, 422);
    assert.equal(self.json().error.fields[0].field, 'userId');
    assert.equal((await a.api.api('POST', '/api/v1/blocks', { username: 'nobody_here_at_all' })).status, 422);
    const { threadId, postId } = await threadIn(a.api, group.id, { body: 'Words of A' });
    await a.api.api('POST', '/api/v1/blocks', { userId: moderator.user.id });
    const seen = (await postsOf(moderator, threadId)).find((p) => p.id === postId)!;
    assert.equal(seen.withheld, false);
    assert.equal(seen.body, 'Words of A');
  });

  test('the account page lists blocks and mutes with undo, and the post menu blocks', async () => {
    const { group, a, b } = await scene();
    const { threadId, postId } = await threadIn(b.api, group.id, { body: 'Words of B' });
    const web = await inBrowser(a);
    const page = await web.get(`/threads/${threadId}`);
    assert.ok(page.body.includes('action="/account/blocks"'));
    const done = await web.submit(`/threads/${threadId}`, '/account/blocks', { userId: b.user.id });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/account/blocks?done=blocked');
    const list = await web.get('/account/blocks?done=blocked');
    assert.ok(list.body.includes(b.user.username));
    assert.ok((await web.get(`/threads/${threadId}`)).body.includes('A post is not shown here.'));
    const undo = await web.submit('/account/blocks', `/account/blocks/${b.user.id}/delete`, {});
    assert.equal(undo.status, 303);
    assert.ok((await web.get(`/threads/${threadId}#post-${postId}`)).body.includes('Words of B'));
    // A name that does not exist: the form again, the problem beside the field, in Arabic too.
    const wrong = await web.submit('/account/blocks', '/account/blocks', { username: 'no_such_member_x' });
    assert.equal(wrong.status, 422);
    assert.ok(wrong.body.includes('There is no member of that name.'));
  });
});

describe('watched words', () => {
  const casesOf = async (postId: string) =>
    rt.ctx.db
      .selectFrom('moderation_cases')
      .innerJoin('reports', 'reports.case_id', 'moderation_cases.id')
      .select(['moderation_cases.status', 'reports.reason', 'reports.reporter_id'])
      .where('moderation_cases.target_type', '=', 'post')
      .where('moderation_cases.target_id', '=', postId)
      .execute();

  test('a group hold word holds a post with tashkeel, tatweel or alef variants in it; the author sees it waiting', async () => {
    const { owner, group, a, c } = await scene();
    const added = await owner.api.api('POST', '/api/v1/watched-words', {
      groupId: group.id,
      phrase: 'مثلا',
      action: 'hold',
    });
    assert.equal(added.status, 201);
    const { threadId } = await threadIn(c.api, group.id, { title: 'سؤال', body: 'مرحبا' });
    for (const body of ['هذا مَثَلاً نص', 'هذا مـــثلا نص', 'هذا مثلاً كلام']) {
      const sent = await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body });
      assert.equal(sent.status, 201, body);
      const postId = sent.json().post.id;
      const mine = (await postsOf(a, threadId)).find((p) => p.id === postId)!;
      assert.equal(mine.held, true, body);
      assert.equal(mine.hidden, true);
      assert.equal(mine.body, body, 'the author still reads their words');
      const others = (await postsOf(c, threadId)).find((p) => p.id === postId)!;
      assert.equal(others.body, '', 'hidden from others');
      assert.deepEqual(await casesOf(postId), [{ status: 'open', reason: 'held', reporter_id: null }]);
    }
    const page = await (await inBrowser(a)).get(`/threads/${threadId}`);
    assert.ok(page.body.includes('Your post is waiting for a moderator.'));
    // An edit that puts the word in holds a published post again, out of search too.
    const clean = await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'نص عادي' });
    const cleanId = clean.json().post.id;
    assert.equal((await postsOf(c, threadId)).find((p) => p.id === cleanId)!.hidden, false);
    assert.equal((await a.api.api('PATCH', `/api/v1/posts/${cleanId}`, { body: 'نص مُثُلاً' })).status, 204);
    assert.equal((await postsOf(c, threadId)).find((p) => p.id === cleanId)!.body, '');
    assert.equal((await postsOf(a, threadId)).find((p) => p.id === cleanId)!.held, true);
    // A word inside another word is not matched: whole words only.
    const inside = await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'مثلاتي' });
    assert.equal((await postsOf(c, threadId)).find((p) => p.id === inside.json().post.id)!.hidden, false);
  });

  test('an instance block word refuses the post beside the field, and an alef variant flags it', async () => {
    const { group, a } = await scene();
    const staff = await member(rt, 'staff');
    await rt.ctx.db.updateTable('users').set({ role: 'moderator' }).where('id', '=', staff.user.id).execute();
    const block = await staff.api.api('POST', '/api/v1/watched-words', { phrase: 'كَلِمَة مَمْنُوعَة', action: 'block' });
    assert.equal(block.status, 201);
    assert.equal(
      (await staff.api.api('POST', '/api/v1/watched-words', { phrase: 'أحمر', action: 'flag' })).status,
      201,
    );
    // Members may not read or change the instance's list.
    assert.equal((await a.api.get('/api/v1/watched-words')).status, 403);
    assert.equal((await a.api.api('POST', '/api/v1/watched-words', { phrase: 'x', action: 'block' })).status, 403);

    const { threadId } = await threadIn(a.api, group.id);
    const refused = await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'هذه كلمـــة ممنوعه هنا' });
    assert.equal(refused.status, 422);
    assert.equal(refused.json().error.fields[0].field, 'body');
    assert.match(refused.json().error.fields[0].message, /كَلِمَة مَمْنُوعَة/);
    const title = await a.api.api('POST', `/api/v1/groups/${group.id}/threads`, { title: 'كلمة ممنوعة', body: 'ok' });
    assert.equal(title.status, 422);
    assert.equal(title.json().error.fields[0].field, 'title');

    const flagged = await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'اللون إحمر اليوم' });
    assert.equal(flagged.status, 201);
    const postId = flagged.json().post.id;
    assert.equal((await postsOf(a, threadId)).find((p) => p.id === postId)!.hidden, false, 'published');
    assert.deepEqual(await casesOf(postId), [{ status: 'open', reason: 'watched_word', reporter_id: null }]);

    // An edit meets the words too; the form keeps what was written.
    const web = await inBrowser(a);
    const edit = await web.submit(`/posts/${postId}/edit`, `/posts/${postId}/edit`, { body: 'كلمة مَمنوعة' });
    assert.equal(edit.status, 422);
    assert.ok(edit.body.includes('كلمة مَمنوعة'));
    // Clean up the instance list, so the other tests' posts meet none of it.
    for (const w of (await staff.api.get('/api/v1/watched-words')).json().watchedWords)
      assert.equal((await staff.api.api('DELETE', `/api/v1/watched-words/${w.id}`)).status, 204);
  });

  test("a group's list is its owner's and moderators' only, and the group tools page works without script", async () => {
    const { owner, group, moderator, a } = await scene();
    assert.equal(
      (await a.api.api('POST', '/api/v1/watched-words', { groupId: group.id, phrase: 'x', action: 'flag' })).status,
      403,
    );
    assert.equal((await a.api.get(`/api/v1/watched-words?groupId=${group.id}`)).status, 403);
    const web = await inBrowser(moderator);
    const added = await web.submit(`/groups/${group.id}/tools`, `/groups/${group.id}/watched-words`, {
      phrase: 'كلمة',
      action: 'hold',
    });
    assert.equal(added.status, 303);
    const words = (await owner.api.get(`/api/v1/watched-words?groupId=${group.id}`)).json().watchedWords;
    assert.deepEqual(
      words.map((w: { phrase: string; action: string }) => [w.phrase, w.action]),
      [['كلمة', 'hold']],
    );
    const empty = await web.submit(`/groups/${group.id}/tools`, `/groups/${group.id}/watched-words`, {
      phrase: ' ',
      action: 'hold',
    });
    assert.equal(empty.status, 422);
    assert.equal((await (await inBrowser(a)).get(`/groups/${group.id}/tools`)).status, 403);
  });
});

describe('slow mode', () => {
  test('a group slow mode refuses a second post soon after with 429 and how long, logs the change, spares moderators', async () => {
    const { group, moderator, a } = await scene();
    assert.equal((await a.api.api('PUT', `/api/v1/groups/${group.id}/slow-mode`, { seconds: 60 })).status, 403);
    const set = await moderator.api.api('PUT', `/api/v1/groups/${group.id}/slow-mode`, {
      seconds: 60,
      reason: 'Heated',
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json(), { slowMode: { seconds: 60 } });
    const log = await rt.ctx.db
      .selectFrom('moderation_log')
      .select(['action', 'detail', 'reason', 'actor_id', 'group_id'])
      .where('group_id', '=', group.id)
      .where('action', '=', 'slow_mode.set')
      .execute();
    assert.equal(log.length, 1);
    assert.deepEqual(JSON.parse(log[0]!.detail!), { seconds: 60 });
    assert.equal(log[0]!.reason, 'Heated');
    assert.equal(log[0]!.actor_id, moderator.user.id);

    const { threadId } = await threadIn(moderator.api, group.id);
    assert.equal((await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'first' })).status, 201);
    const second = await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'second' });
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers['retry-after']) > 0);
    assert.match(second.json().error.fields[0].message, /post again in \d+ seconds/);
    // Moderators are not held back.
    assert.equal((await moderator.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'mod' })).status, 201);
    assert.equal((await moderator.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'mod 2' })).status, 201);

    // The form answers 429 with the words kept and the wait in Arabic.
    const web = await inBrowser(a);
    web.cookies.set('sanad_lang', 'ar');
    const form = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/posts`, { body: 'كلامي المحفوظ' });
    assert.equal(form.status, 429);
    assert.ok(form.body.includes('كلامي المحفوظ'));
    assert.ok(form.body.includes('الوضع البطيء مفعّل هنا'));

    // Setting the same again records nothing; turning it off is recorded.
    await moderator.api.api('PUT', `/api/v1/groups/${group.id}/slow-mode`, { seconds: 60 });
    await moderator.api.api('PUT', `/api/v1/groups/${group.id}/slow-mode`, { seconds: 0 });
    const rows = await rt.ctx.db
      .selectFrom('moderation_log')
      .select('detail')
      .where('group_id', '=', group.id)
      .where('action', '=', 'slow_mode.set')
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      rows.map((r) => JSON.parse(r.detail!).seconds),
      [60, 0],
    );
    assert.equal((await a.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'third' })).status, 201);
  });

  test('a thread slow mode holds in that thread only, set through its form', async () => {
    const { group, owner, a } = await scene();
    const one = await threadIn(owner.api, group.id, { title: 'Slow' });
    const two = await threadIn(owner.api, group.id, { title: 'Fast' });
    const web = await inBrowser(owner);
    const saved = await web.submit(`/threads/${one.threadId}/slow-mode`, `/threads/${one.threadId}/slow-mode`, {
      seconds: '120',
      reason: '',
    });
    assert.equal(saved.status, 303);
    const bad = await web.submit(`/threads/${one.threadId}/slow-mode`, `/threads/${one.threadId}/slow-mode`, {
      seconds: 'soon',
    });
    assert.equal(bad.status, 422);
    assert.equal((await a.api.api('POST', `/api/v1/threads/${one.threadId}/posts`, { body: 'one' })).status, 201);
    assert.equal((await a.api.api('POST', `/api/v1/threads/${one.threadId}/posts`, { body: 'two' })).status, 429);
    assert.equal((await a.api.api('POST', `/api/v1/threads/${two.threadId}/posts`, { body: 'elsewhere' })).status, 201);
    const log = await rt.ctx.db
      .selectFrom('moderation_log')
      .select(['target_type', 'target_id'])
      .where('action', '=', 'slow_mode.set')
      .where('target_id', '=', one.threadId)
      .execute();
    assert.deepEqual(log, [{ target_type: 'thread', target_id: one.threadId }]);
  });
});
