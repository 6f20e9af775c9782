// Pinned and locked threads (ADR 0039), through the API and the HTML pages, on both engines: who may,
// the reason each needs and where it is kept, the order and pages of a group's list, and what a
// lock refuses and what it leaves alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { serviceContext } from '../../app-context.js';
import { translator } from '../../i18n/index.js';
import { createSession } from '../../security/sessions.js';
import type { Visibility } from '../groups/policy.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;
const en = translator('en');
const ar = translator('ar');

/** The same person in a browser: a session cookie, forms with CSRF tokens. */
async function inBrowser(person: Person): Promise<TestClient> {
  const web = new TestClient(rt.app);
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), person.user.id, 'Test · Linux')).token);
  return web;
}

async function withRole(role: 'moderator' | 'admin', prefix: string): Promise<Person> {
  const m = await member(rt, prefix);
  await rt.ctx.db.updateTable('users').set({ role }).where('id', '=', m.user.id).execute();
  return m;
}

/** A group with its owner, a group moderator and a member, joined through an invite link. */
async function scene(visibility: Visibility = 'public', options: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility, ...options });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 10 })).json().invite;
  const join = async (m: { api: Person['api'] }) =>
    assert.equal(
      (await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`)).status,
      200,
    );
  const moderator = await member(rt, 'gmod');
  const memberOf = await member(rt, 'mem');
  await join(moderator);
  await join(memberOf);
  await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${moderator.user.id}`, { role: 'moderator' });
  const thread = await threadIn(memberOf.api, group.id, { title: 'Where to find a kind doctor', body: 'Any names?' });
  return { owner, group, moderator, member: memberOf, thread, join };
}

const pin = (who: Person, threadId: string, pinned = true, reason = 'Useful for everyone') =>
  who.api.api('POST', `/api/v1/threads/${threadId}/pin`, { pinned, reason });
const lock = (who: Person, threadId: string, locked = true, reason = 'The discussion went in circles') =>
  who.api.api('POST', `/api/v1/threads/${threadId}/lock`, { locked, reason });

/** The moderation log's rows about a thread (ADR 0047); `subject` is the group, as the audit rows named it. */
const auditOf = (threadId: string) =>
  rt.ctx.db
    .selectFrom('moderation_log')
    .select(['actor_id', 'action', 'group_id as subject', 'target_id', 'reason'])
    .where('target_id', '=', threadId)
    .orderBy('created_at')
    .orderBy('action')
    .execute();

describe('who may pin and lock', () => {
  for (const visibility of ['public', 'private', 'hidden'] as const) {
    test(`${visibility} group: owner and moderators pin; every moderator locks; others are refused, and denied reads are 404`, async () => {
      const s = await scene(visibility);
      const outsider = await member(rt, 'out');
      const instanceModerator = await withRole('moderator', 'imod');
      const admin = await withRole('admin', 'adm');
      // A member banned by name: removed and banned, still a reader of a public group.
      const banned = await member(rt, 'ban');
      await s.join(banned);
      const post = await banned.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'hello' });
      await s.owner.api.api('POST', `/api/v1/posts/${post.json().post.id}/ban-author`);
      const readerStatus = visibility === 'public' ? 403 : 404;

      const expectedPin: [string, Person, number][] = [
        ['owner', s.owner, 204],
        ['group moderator', s.moderator, 204],
        ['member', s.member, 403],
        ['non-member', outsider, readerStatus],
        ['banned', banned, readerStatus],
        // Instance moderators reach the thread by id (ADR 0032), but pinning is the group's own business.
        ['instance moderator', instanceModerator, 403],
        ['administrator', admin, 403],
      ];
      for (const [who, person, status] of expectedPin) {
        const answer = await pin(person, s.thread.threadId, true);
        assert.equal(answer.status, status, `${who} pins: ${answer.body}`);
        if (status === 204) assert.equal((await pin(person, s.thread.threadId, false)).status, 204, `${who} unpins`);
      }
      const expectedLock: [string, Person, number][] = [
        ['owner', s.owner, 204],
        ['group moderator', s.moderator, 204],
        ['member', s.member, 403],
        ['non-member', outsider, readerStatus],
        ['banned', banned, readerStatus],
        ['instance moderator', instanceModerator, 204],
        ['administrator', admin, 204],
      ];
      for (const [who, person, status] of expectedLock) {
        const answer = await lock(person, s.thread.threadId, true);
        assert.equal(answer.status, status, `${who} locks: ${answer.body}`);
        if (status === 204) assert.equal((await lock(person, s.thread.threadId, false)).status, 204, `${who} unlocks`);
      }
      // A visitor is asked to sign in.
      const visitor = await rt.app.inject({
        method: 'POST',
        url: `/api/v1/threads/${s.thread.threadId}/lock`,
        payload: { locked: true, reason: 'x' },
      });
      assert.equal(visitor.statusCode, 401);
      // An unknown thread is as missing for a moderator as for anyone.
      assert.equal((await lock(s.owner, 'no-such-thread')).status, 404);
      // Every change, and only those, left an audit row: two per allowed pinner, two per allowed locker.
      const rows = await auditOf(s.thread.threadId);
      assert.equal(rows.filter((r) => r.action.startsWith('thread.')).length, 2 * 2 + 2 * 4);
    });
  }
});

describe('reasons', () => {
  test('a reason is required and short; the problem is said in the member’s language and the words are kept', async () => {
    const s = await scene();
    const blank = await pin(s.owner, s.thread.threadId, true, '   ');
    assert.equal(blank.status, 422);
    assert.deepEqual(blank.json().error.fields, [
      { field: 'reason', message: en('discussions.moderation.reasonRequired') },
    ]);
    const empty = await s.owner.api.api('POST', `/api/v1/threads/${s.thread.threadId}/lock`, { locked: true });
    assert.equal(empty.status, 422, 'the schema asks for the reason');
    assert.equal(empty.json().error.fields[0].field, 'reason');
    const long = await lock(s.owner, s.thread.threadId, true, 'x'.repeat(201));
    assert.equal(long.status, 422);
    assert.equal(long.json().error.fields[0].field, 'reason');
    const arabic = await s.owner.api.api(
      'POST',
      `/api/v1/threads/${s.thread.threadId}/pin`,
      { pinned: true, reason: ' ' },
      { 'accept-language': 'ar' },
    );
    assert.equal(arabic.json().error.fields[0].message, ar('discussions.moderation.reasonRequired'));
    assert.deepEqual(await auditOf(s.thread.threadId), [], 'nothing refused is recorded');

    // The HTML form: the same problem beside the field, the reason written kept, and the status.
    const web = await inBrowser(s.owner);
    const threadId = s.thread.threadId;
    const tooLong = 'سبب طويل '.repeat(30).trim();
    const refused = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/lock`, {
      locked: '1',
      reason: tooLong,
    });
    assert.equal(refused.status, 422);
    assert.ok(refused.body.includes(en('discussions.moderation.reasonLength', { max: 200 })));
    assert.ok(refused.body.includes(`value="${tooLong}"`), 'the reason as written');
    assert.match(refused.body, /<details class="panel thread-moderation" id="moderation" open/);
    assert.match(refused.body, /aria-invalid="true"/);
  });

  test('each change writes its audit row with the reason, in the group, about the thread', async () => {
    const s = await scene();
    assert.equal((await pin(s.moderator, s.thread.threadId, true, 'Group rules')).status, 204);
    rt.advance(1000);
    assert.equal((await lock(s.owner, s.thread.threadId, true, 'Rules are not discussed here')).status, 204);
    rt.advance(1000);
    assert.equal((await lock(s.owner, s.thread.threadId, false, 'Open for questions')).status, 204);
    rt.advance(1000);
    assert.equal((await pin(s.moderator, s.thread.threadId, false, 'Replaced by a newer version')).status, 204);
    const g = s.group.id;
    const t = s.thread.threadId;
    assert.deepEqual(await auditOf(t), [
      { actor_id: s.moderator.user.id, action: 'thread.pin', subject: g, target_id: t, reason: 'Group rules' },
      {
        actor_id: s.owner.user.id,
        action: 'thread.lock',
        subject: g,
        target_id: t,
        reason: 'Rules are not discussed here',
      },
      { actor_id: s.owner.user.id, action: 'thread.unlock', subject: g, target_id: t, reason: 'Open for questions' },
      {
        actor_id: s.moderator.user.id,
        action: 'thread.unpin',
        subject: g,
        target_id: t,
        reason: 'Replaced by a newer version',
      },
    ]);
  });

  test('asking for the state a thread is in is a conflict, and two moderators at once leave one change', async () => {
    const s = await scene();
    assert.equal((await pin(s.owner, s.thread.threadId, false)).status, 409, 'not pinned');
    assert.equal((await lock(s.owner, s.thread.threadId, false)).status, 409, 'not locked');
    const both = await Promise.all([lock(s.owner, s.thread.threadId), lock(s.moderator, s.thread.threadId)]);
    assert.deepEqual(both.map((r) => r.status).sort(), [204, 409]);
    assert.equal(both.find((r) => r.status === 409)!.json().error.message, en('discussions.lock.already'));
    const pins = await Promise.all([pin(s.owner, s.thread.threadId), pin(s.moderator, s.thread.threadId)]);
    assert.deepEqual(pins.map((r) => r.status).sort(), [204, 409]);
    const rows = await auditOf(s.thread.threadId);
    assert.deepEqual(rows.map((r) => r.action).sort(), ['thread.lock', 'thread.pin']);
  });

  test('when the thread is deleted, the reasons written about it go; the rows stay', async () => {
    const s = await scene();
    const { threadId, postId } = await threadIn(s.member.api, s.group.id, { title: 'Short lived' });
    await lock(s.owner, threadId, true, 'Naming words that must go');
    assert.equal((await s.member.api.api('DELETE', `/api/v1/posts/${postId}`)).status, 204);
    assert.equal(
      (await rt.ctx.db.selectFrom('threads').select('id').where('id', '=', threadId).executeTakeFirst()) ?? null,
      null,
    );
    assert.deepEqual(
      (await auditOf(threadId)).map((r) => [r.action, r.reason]),
      [['thread.lock', null]],
    );
  });
});

describe('a group’s list', () => {
  test('pinned threads come first, most recently pinned first, on the first page only; no thread is listed twice', async () => {
    const s = await scene();
    const ids: string[] = [s.thread.threadId];
    for (let i = 0; i < 24; i++) {
      rt.advance(1000);
      // Three members take turns: one alone would meet the limit of posts a minute.
      const writer = [s.owner, s.moderator, s.member][i % 3]!;
      ids.push((await threadIn(writer.api, s.group.id, { title: `Thread number ${i}` })).threadId);
    }
    // The oldest and a middle one, pinned in that order; the newest stays where activity puts it.
    const [oldest, middle] = [ids[0]!, ids[10]!];
    assert.equal((await pin(s.owner, oldest, true, 'Rules')).status, 204);
    rt.advance(1000);
    assert.equal((await pin(s.moderator, middle, true, 'Resources')).status, 204);

    const first = (await s.member.api.get(`/api/v1/groups/${s.group.id}/threads`)).json();
    const firstIds = first.threads.map((t: { id: string }) => t.id);
    assert.deepEqual(firstIds.slice(0, 2), [middle, oldest], 'most recently pinned first');
    assert.deepEqual(
      first.threads.map((t: { pinned: boolean }) => t.pinned),
      [true, true, ...Array(20).fill(false)],
    );
    const unpinned = ids.filter((id) => id !== oldest && id !== middle).reverse();
    assert.deepEqual(firstIds.slice(2), unpinned.slice(0, 20), 'then a full page by latest activity');
    assert.ok(first.next);
    const second = (await s.member.api.get(`/api/v1/groups/${s.group.id}/threads?after=${first.next}`)).json();
    const secondIds = second.threads.map((t: { id: string }) => t.id);
    assert.deepEqual(secondIds, unpinned.slice(20), 'the rest, without the pinned ones');
    assert.equal(second.next, null);
    assert.equal(new Set([...firstIds, ...secondIds]).size, ids.length, 'every thread once');

    // Activity does not move a pinned thread; unpinned, it goes back to its place by activity.
    rt.advance(1000);
    await s.member.api.api('POST', `/api/v1/threads/${oldest}/posts`, { body: 'A new reply' });
    const again = (await s.member.api.get(`/api/v1/groups/${s.group.id}/threads`)).json();
    assert.deepEqual(
      again.threads.slice(0, 2).map((t: { id: string }) => t.id),
      [middle, oldest],
    );
    await pin(s.owner, oldest, false, 'Old rules');
    const after = (await s.member.api.get(`/api/v1/groups/${s.group.id}/threads`)).json();
    assert.deepEqual(
      after.threads.slice(0, 2).map((t: { id: string }) => t.id),
      [middle, oldest],
    );
    assert.equal(after.threads[1].pinned, false, 'now first of the unpinned, by its new reply');

    // The HTML list says it in words, pinned ones first.
    const web = await browserMember(rt, 'reader');
    const html = (await web.web.get(`/groups/${s.group.id}`)).body;
    const firstRow = html.indexOf('thread-row');
    assert.ok(html.indexOf(en('discussions.state.pinned'), firstRow) < html.indexOf('Thread number 23'));
    assert.match(
      html,
      /<li class="thread-row thread-pinned"><p class="thread-state"><span class="tag tag-state">Pinned<\/span>/,
    );
  });

  test('a group pins a few threads at most', async () => {
    const s = await scene();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await threadIn([s.owner, s.moderator][i % 2]!.api, s.group.id)).threadId);
    for (const id of ids.slice(0, 5)) assert.equal((await pin(s.owner, id)).status, 204);
    const full = await pin(s.owner, ids[5]!);
    assert.equal(full.status, 409);
    assert.equal(full.json().error.message, en('discussions.pin.full'));
    assert.deepEqual(await auditOf(ids[5]!), [], 'the refused pin left no row');
    assert.equal((await pin(s.owner, ids[0]!, false)).status, 204);
    assert.equal((await pin(s.owner, ids[5]!)).status, 204);
  });
});

describe('a locked thread', () => {
  test('stays readable, takes no replies or edits from members (API), and says why', async () => {
    const s = await scene();
    const reply = await s.member.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'Before' });
    const replyId = reply.json().post.id as string;
    assert.equal((await lock(s.moderator, s.thread.threadId, true, 'Heated: taking a pause')).status, 204);

    const page = (await s.member.api.get(`/api/v1/threads/${s.thread.threadId}`)).json();
    assert.equal(page.thread.locked, true);
    assert.equal(page.thread.lockReason, 'Heated: taking a pause');
    assert.equal(page.canReply, false);
    assert.equal(page.posts.length, 2, 'still readable');
    assert.equal(page.posts[1].canEdit, false);
    assert.equal(page.posts[1].canDelete, true);

    const refused = await s.member.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'After' });
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.json().error, { code: 'conflict', message: en('discussions.locked.refused') });
    const refusedAr = await s.member.api.api(
      'POST',
      `/api/v1/threads/${s.thread.threadId}/posts`,
      { body: 'After' },
      { 'accept-language': 'ar' },
    );
    assert.equal(refusedAr.json().error.message, ar('discussions.locked.refused'));
    const edit = await s.member.api.api('PATCH', `/api/v1/posts/${replyId}`, { body: 'Changed' });
    assert.equal(edit.status, 409);
    assert.equal(edit.json().error.message, en('discussions.locked.noEdits'));
    // Reactions add no words and stay open; deleting one's own post always works.
    assert.equal((await s.owner.api.api('POST', `/api/v1/posts/${replyId}/reactions/support`)).status, 200);
    assert.equal((await s.member.api.api('DELETE', `/api/v1/posts/${replyId}`)).status, 204);

    // Those who may unlock it still reply and edit (a pinned, locked rules thread stays up to date).
    const byModerator = await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, {
      body: 'A note from the moderators',
    });
    assert.equal(byModerator.status, 201);
    const modPost = byModerator.json().post.id as string;
    assert.equal((await s.moderator.api.api('PATCH', `/api/v1/posts/${modPost}`, { body: 'Edited note' })).status, 204);
    assert.equal((await s.moderator.api.get(`/api/v1/threads/${s.thread.threadId}`)).json().canReply, true);

    // Unlocked, members reply again, and the reason is gone from the thread.
    assert.equal((await lock(s.owner, s.thread.threadId, false, 'Calmer now')).status, 204);
    const open = (await s.member.api.get(`/api/v1/threads/${s.thread.threadId}`)).json();
    assert.deepEqual([open.thread.locked, open.thread.lockReason, open.canReply], [false, null, true]);
    assert.equal(
      (await s.member.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'After' })).status,
      201,
    );
  });

  test('the page shows a notice with the reason instead of the reply form; a refused reply keeps its words', async () => {
    const s = await scene();
    const owner = await inBrowser(s.owner);
    const web = { web: await inBrowser(s.member) };
    const threadId = s.thread.threadId;

    // The moderation block is the owner's, not the member's.
    const before = await web.web.get(`/threads/${threadId}`);
    assert.ok(!before.body.includes('id="moderation"'));
    // The member opens the page while it is open, and the owner locks it meanwhile.
    const locked = await owner.submit(`/threads/${threadId}`, `/threads/${threadId}/lock`, {
      locked: '1',
      reason: 'Rules, not for discussion (قواعد)',
    });
    assert.equal(locked.status, 303);
    assert.equal(locked.headers.location, `/threads/${threadId}?done=locked`);
    const landed = await owner.get(locked.headers.location!.toString());
    assert.ok(landed.body.includes(en('discussions.notice.locked')));

    const reply = await web.web.request('POST', `/threads/${threadId}/posts`, {
      form: { body: 'My words, written before the lock', _csrf: csrfOf(before.body) },
    });
    assert.equal(reply.status, 409);
    assert.ok(reply.body.includes(en('discussions.locked.refused')));
    assert.ok(reply.body.includes('My words, written before the lock'), 'the member’s words are kept to copy');
    assert.ok(!reply.body.includes(`action="/threads/${threadId}/posts"`), 'and no reply form');
    const read = await web.web.get(`/threads/${threadId}`);
    assert.equal(read.status, 200);
    assert.ok(read.body.includes(en('discussions.locked.notice')));
    assert.ok(
      read.body.includes('<p class="lock-reason" dir="auto">Rules, not for discussion (قواعد)</p>'),
      'the reason, in its own paragraph with its own direction',
    );
    assert.ok(read.body.includes(`<span class="tag tag-state">${en('discussions.state.locked')}</span>`));
    assert.ok(!read.body.includes(`action="/threads/${threadId}/posts"`));
    assert.ok(!read.body.includes(en('discussions.post.quote')), 'no quoting into a locked thread');

    // A member posting the moderation form is refused like any write they may not make.
    const denied = await web.web.request('POST', `/threads/${threadId}/pin`, {
      form: { pinned: '1', reason: 'mine', _csrf: csrfOf(read.body) },
    });
    assert.equal(denied.status, 403);
    assert.equal((await auditOf(threadId)).map((r) => r.action).join(), 'thread.lock', 'only the lock is recorded');

    // Pinning from the page, then unlocking: back on the thread each time.
    const pinned = await owner.submit(`/threads/${threadId}`, `/threads/${threadId}/pin`, {
      pinned: '1',
      reason: 'Group rules',
    });
    assert.equal(pinned.headers.location, `/threads/${threadId}?done=pinned`);
    const ownerView = (await owner.get(`/threads/${threadId}`)).body;
    assert.ok(ownerView.includes(en('discussions.moderation.unpin')));
    assert.ok(ownerView.includes(en('discussions.moderation.unlock')));
    assert.ok(ownerView.includes(en('discussions.locked.moderatorNotice')), 'the owner may still reply');
    const unlocked = await owner.submit(`/threads/${threadId}`, `/threads/${threadId}/lock`, {
      locked: '0',
      reason: 'Questions welcome',
    });
    assert.equal(unlocked.headers.location, `/threads/${threadId}?done=unlocked`);
    const open = (await web.web.get(`/threads/${threadId}`)).body;
    assert.ok(open.includes(`action="/threads/${threadId}/posts"`));
    assert.ok(open.includes(`<span class="tag tag-state">${en('discussions.state.pinned')}</span>`));
  });

  test('a denied read is a missing page: a private group’s thread, for someone outside it', async () => {
    const s = await scene('private');
    await lock(s.owner, s.thread.threadId);
    const outsider = await browserMember(rt, 'pout');
    assert.equal((await outsider.web.get(`/threads/${s.thread.threadId}`)).status, 404);
    const api = await member(rt, 'pouta');
    assert.equal((await api.api.get(`/api/v1/threads/${s.thread.threadId}`)).status, 404);
    assert.equal((await api.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'hi' })).status, 404);
  });
});

function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token');
  return match[1]!;
}

describe('a locked thread takes no anonymous words, not even from its moderators', () => {
  test('only those who may unlock can write there, so an anonymous reply or edit after the lock would name them: refused, localised, the words kept', async () => {
    const s = await scene('public', { anonymousPosting: true });
    const earlier = await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, {
      body: 'Written before the lock, by someone',
      anonymous: true,
    });
    assert.equal(earlier.status, 201, earlier.body);
    assert.equal((await lock(s.owner, s.thread.threadId)).status, 204);

    const reply = await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, {
      body: 'A masked note from a moderator',
      anonymous: true,
    });
    assert.equal(reply.status, 422, reply.body);
    assert.equal(reply.json().error.fields?.[0]?.field, 'anonymous', reply.body);
    const edit = await s.moderator.api.api('PATCH', `/api/v1/posts/${earlier.json().post.id}`, {
      body: 'Changed after the lock',
    });
    assert.equal(edit.status, 409, edit.body);
    const still = await rt.ctx.db
      .selectFrom('posts')
      .select(['body', 'edited_at'])
      .where('id', '=', earlier.json().post.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.edited_at, null, 'the anonymous post carries no edit time from after the lock');
    // A named note from a moderator is still taken.
    const named = await s.moderator.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, { body: 'A note' });
    assert.equal(named.status, 201, named.body);

    const lockedPage = await (await inBrowser(s.moderator)).get(`/threads/${s.thread.threadId}`);
    assert.match(lockedPage.body, /name="body"/, 'the moderator still has a reply form');
    assert.doesNotMatch(lockedPage.body, /name="anonymous"/, 'without the anonymous choice');
    // A form sent anyway (an older page): the message in each language, the words back in the composer.
    for (const [lang, t] of [
      ['en', en],
      ['ar', ar],
    ] as const) {
      const web = await inBrowser(s.moderator);
      web.acceptLanguage = lang;
      const page = await web.submit(`/threads/${s.thread.threadId}`, `/threads/${s.thread.threadId}/posts`, {
        body: 'Masked words kept for the form',
        anonymous: 'on',
      });
      assert.equal(page.status, 422, page.body.slice(0, 300));
      assert.ok(page.body.includes(t('discussions.locked.noAnonymous')), `${lang}: the reason is said`);
      assert.ok(page.body.includes('Masked words kept for the form'), `${lang}: the words are kept`);
    }
    const count = await rt.ctx.db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('thread_id', '=', s.thread.threadId)
      .where('author_ref', 'is not', null)
      .where('created_at', '>', 0)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1, 'only the anonymous post from before the lock');
  });
});
