// The moderation log, the notices of moderation actions and appeals (ADR 0049), through the API and
// the HTML pages, on both engines: who reads which log and whose names they see, what the affected
// member is told in Arabic and English, appealing once, the different-moderator rule, and what
// overturning undoes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { TestClient } from '../../../test/support/client.js';
import { serviceContext } from '../../app-context.js';
import { inTransaction } from '../../db/database.js';
import { recordModeration, type ModerationEntry } from '../../platform/moderation.js';
import type { Member } from '../../security/actor.js';
import { createSession } from '../../security/sessions.js';
import { setPostHidden } from '../discussions/public.js';
import type { Visibility } from '../groups/policy.js';

let rt: TestRuntime;
/** The times rows are logged at: in the past, a millisecond apart, so their order is the order written. */
let clock = 0;
before(async () => {
  rt = await createTestRuntime();
  clock = serviceContext(rt.ctx).now - 86_400_000;
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

async function inBrowser(person: Person, language = 'en'): Promise<TestClient> {
  const web = new TestClient(rt.app);
  web.acceptLanguage = language;
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), person.user.id, 'Test · Linux')).token);
  return web;
}

async function withRole(role: 'moderator' | 'admin', prefix: string): Promise<Person> {
  const m = await member(rt, prefix);
  await rt.ctx.db.updateTable('users').set({ role }).where('id', '=', m.user.id).execute();
  return m;
}

const asMember = (p: Person, role: Member['role'] = 'member'): Member => ({
  kind: 'user',
  id: p.user.id,
  username: p.user.username,
  role,
});

/** A group with its owner, two group moderators and two members, joined through an invite link. */
async function scene(visibility: Visibility = 'public') {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility, anonymousPosting: true });
  const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 20 })).json().invite;
  const join = async (m: Person) =>
    assert.equal(
      (await m.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`)).status,
      200,
    );
  const moderator = await member(rt, 'gmod');
  const second = await member(rt, 'gmod2');
  const author = await member(rt, 'auth');
  const reader = await member(rt, 'read');
  for (const m of [moderator, second, author, reader]) await join(m);
  for (const m of [moderator, second])
    await owner.api.api('PATCH', `/api/v1/groups/${group.id}/members/${m.user.id}`, { role: 'moderator' });
  const thread = await threadIn(author.api, group.id, { title: 'Where to find a kind doctor', body: 'Any names?' });
  return { owner, group, moderator, second, author, reader, thread, join };
}

/** A row of the log, as the features that moderate write it, in its own transaction. */
async function log(entry: Omit<ModerationEntry, 'now'>): Promise<string> {
  const id = await inTransaction(rt.ctx.db, (trx) => recordModeration(trx, { ...entry, now: ++clock }));
  await rt.settle();
  return id;
}

/** Hides a post through discussions' own service and logs it, as a moderator hiding it would. */
async function hide(
  by: Person,
  postId: string,
  groupId: string,
  authorId: string | null,
  reason = 'Names a doctor without consent',
) {
  await setPostHidden(serviceContext(rt.ctx), asMember(by), postId, true);
  return log({
    actorId: by.user.id,
    action: 'post.hide',
    groupId,
    targetType: 'post',
    targetId: postId,
    targetUserId: authorId,
    reason,
  });
}

const logOf = async (who: Person, query = '') => {
  const response = await who.api.api('GET', `/api/v1/moderation/log${query}`);
  return { status: response.status, entries: response.status === 200 ? (response.json().entries as any[]) : [] };
};

describe('who reads which log, and whose names they see', () => {
  test('members read their own group’s log without moderator names; other groups answer 404', async () => {
    const a = await scene('private');
    const b = await scene('public');
    const hidden = await hide(a.moderator, a.thread.postId, a.group.id, a.author.user.id);
    const inB = await log({
      actorId: b.moderator.user.id,
      action: 'user.warn',
      groupId: b.group.id,
      targetType: 'user',
      targetId: b.author.user.id,
      targetUserId: b.author.user.id,
      reason: 'Be kind',
    });

    const own = await logOf(a.reader, `?groupId=${a.group.id}`);
    assert.equal(own.status, 200);
    const row = own.entries.find((e) => e.id === hidden);
    assert.ok(row, 'the member sees the row');
    assert.equal(row.action, 'post.hide');
    assert.equal(row.label, 'Post hidden');
    assert.equal(row.reason, 'Names a doctor without consent');
    assert.equal(row.actor, null, 'no moderator name for members');
    assert.equal(row.targetUser, null);
    assert.equal(row.targetHref, `/posts/${a.thread.postId}`, 'a link to the post they may read');
    assert.ok(!JSON.stringify(own.entries).includes(a.moderator.user.username));

    // A member of A reads neither B's log nor (public or not) a log of a group they are not in.
    assert.equal((await logOf(a.reader, `?groupId=${b.group.id}`)).status, 404);
    assert.equal((await logOf(b.reader, `?groupId=${a.group.id}`)).status, 404);
    // Unscoped, a member's log holds their groups' rows only.
    const mine = await logOf(a.reader);
    assert.ok(mine.entries.some((e) => e.id === hidden));
    assert.ok(!mine.entries.some((e) => e.id === inB));
    // The HTML page, linked from the group's page, says the same, without the name.
    const web = await inBrowser(a.reader);
    const groupPage = await web.get(`/groups/${a.group.id}`);
    assert.match(groupPage.body, new RegExp(`href="/groups/${a.group.id}/moderation-log"`));
    const page = await web.get(`/groups/${a.group.id}/moderation-log`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Post hidden/);
    assert.match(page.body, /Names a doctor without consent/);
    assert.match(page.body, /A moderator/);
    assert.ok(!page.body.includes(a.moderator.user.username), 'no moderator name on the page');
    assert.equal((await web.get(`/groups/${b.group.id}/moderation-log`)).status, 404);
    assert.equal((await web.get('/moderation/log')).status, 404, 'the instance log is for instance moderators');
    const visitor = new TestClient(rt.app);
    assert.equal((await visitor.api('GET', `/api/v1/moderation/log?groupId=${a.group.id}`)).status, 401);
  });

  test('a banned member no longer reads a private group’s log', async () => {
    const s = await scene('private');
    const row = await hide(s.moderator, s.thread.postId, s.group.id, s.author.user.id);
    await rt.ctx.db
      .insertInto('group_bans')
      .values({ group_id: s.group.id, user_id: s.reader.user.id, anonymous: 0, created_at: ++clock })
      .execute();
    assert.equal((await logOf(s.reader, `?groupId=${s.group.id}`)).status, 404);
    assert.ok(!(await logOf(s.reader)).entries.some((e) => e.id === row));
  });

  test('group moderators see their fellow group moderators’ names, never an instance moderator’s; instance staff see all, and instance rows', async () => {
    const s = await scene();
    const instanceModerator = await withRole('moderator', 'imod');
    const admin = await withRole('admin', 'adm');
    const byFellow = await hide(s.moderator, s.thread.postId, s.group.id, s.author.user.id);
    const byStaff = await log({
      actorId: instanceModerator.user.id,
      action: 'user.warn',
      groupId: s.group.id,
      targetType: 'user',
      targetId: s.author.user.id,
      targetUserId: s.author.user.id,
      reason: 'Spam links',
    });
    const instanceRow = await log({
      actorId: admin.user.id,
      action: 'user.suspend',
      groupId: null,
      targetType: 'user',
      targetId: s.reader.user.id,
      targetUserId: s.reader.user.id,
      reason: 'Threats',
      detail: { hours: 24 },
    });

    const forGroupModerator = await logOf(s.second, `?groupId=${s.group.id}`);
    const fellow = forGroupModerator.entries.find((e) => e.id === byFellow);
    const staff = forGroupModerator.entries.find((e) => e.id === byStaff);
    assert.equal(fellow.actor, s.moderator.user.username);
    assert.equal(staff.actor, null, 'an instance moderator’s name stays hidden from group moderators');
    assert.equal(staff.targetUser, s.author.user.username, 'moderators see whom an account action was about');
    assert.equal(fellow.targetUser, null, 'a post’s author is never named: it may be anonymous');
    assert.ok(!(await logOf(s.second)).entries.some((e) => e.id === instanceRow), 'instance rows are not theirs');

    for (const staffer of [instanceModerator, admin]) {
      const all = await logOf(staffer);
      assert.equal(all.entries.find((e) => e.id === byStaff).actor, instanceModerator.user.username);
      assert.equal(all.entries.find((e) => e.id === byFellow).actor, s.moderator.user.username);
      const instance = all.entries.find((e) => e.id === instanceRow);
      assert.ok(instance, 'instance rows too');
      assert.equal(instance.groupId, null);
      assert.equal(instance.actor, admin.user.username);
      const page = await (await inBrowser(staffer)).get('/moderation/log');
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(admin.user.username));
    }
  });

  test('the log pages by keyset, newest first', async () => {
    const s = await scene();
    const ids: string[] = [];
    for (let i = 0; i < 55; i++)
      ids.push(
        await log({
          actorId: s.moderator.user.id,
          action: 'thread.pin',
          groupId: s.group.id,
          targetType: 'thread',
          targetId: s.thread.threadId,
          reason: `r${i}`,
        }),
      );
    const first = (await s.reader.api.api('GET', `/api/v1/moderation/log?groupId=${s.group.id}`)).json();
    assert.equal(first.entries.length, 50);
    assert.equal(first.entries[0].id, ids.at(-1));
    const second = (
      await s.reader.api.api('GET', `/api/v1/moderation/log?groupId=${s.group.id}&after=${first.next}`)
    ).json();
    assert.deepEqual([...first.entries, ...second.entries].map((e: any) => e.id).slice(0, 55), [...ids].reverse());
  });

  test('an anonymous post’s author is named nowhere in the log, not even to administrators', async () => {
    const s = await scene();
    const admin = await withRole('admin', 'adm');
    const created = await s.author.api.api('POST', `/api/v1/threads/${s.thread.threadId}/posts`, {
      body: 'Quietly',
      anonymous: true,
    });
    assert.equal(created.status, 201);
    const postId = created.json().post.id;
    const row = await hide(s.moderator, postId, s.group.id, s.author.user.id);
    for (const who of [admin, s.second, s.reader]) {
      const entries = (await logOf(who)).entries.filter((e) => e.id === row);
      assert.equal(entries.length, 1);
      assert.ok(!JSON.stringify(entries).includes(s.author.user.username));
      assert.ok(!JSON.stringify(entries).includes(s.author.user.id));
    }
  });
});

describe('the affected member is told, in their language', () => {
  const notificationsOf = async (who: Person, language: string) => {
    const client = new TestClient(rt.app);
    client.bearer = who.api.bearer;
    client.acceptLanguage = language;
    return (await client.api('GET', '/api/v1/notifications')).json().notifications as any[];
  };

  test('what was done, in Arabic and English, with the way to appeal; unknown actions get a generic sentence', async () => {
    const s = await scene();
    const hidden = await hide(s.moderator, s.thread.postId, s.group.id, s.author.user.id);
    const muted = await log({
      actorId: s.moderator.user.id,
      action: 'user.mute',
      groupId: s.group.id,
      targetType: 'user',
      targetId: s.author.user.id,
      targetUserId: s.author.user.id,
      reason: 'Cool down',
      detail: { hours: 3 },
    });
    const banned = await log({
      actorId: s.moderator.user.id,
      action: 'group.ban',
      groupId: s.group.id,
      targetType: 'user',
      targetId: s.author.user.id,
      targetUserId: s.author.user.id,
      reason: 'Repeated harassment',
    });
    const future = await log({
      actorId: s.moderator.user.id,
      action: 'resource.quarantine',
      groupId: s.group.id,
      targetType: 'resource',
      targetId: 'r1',
      targetUserId: s.author.user.id,
      reason: 'Later',
    });

    const en = await notificationsOf(s.author, 'en');
    const text = (logId: string, list: any[]) => list.find((n) => n.href === `/moderation/notices/${logId}`)?.text;
    assert.equal(text(hidden, en), 'The moderators hid one of your posts.');
    assert.equal(text(muted, en), 'The moderators muted your account for 3 hours: it cannot post until then.');
    assert.equal(text(banned, en), `The moderators banned your account from the group \u2068${s.group.name}\u2069.`);
    assert.equal(text(future, en), 'The moderators took an action about your account.');
    assert.ok(en.every((n) => n.kind !== 'moderation_action' || !n.text.includes(s.moderator.user.username)));

    const ar = await notificationsOf(s.author, 'ar');
    assert.equal(text(hidden, ar), 'أخفى فريق الإشراف أحد منشورات هذا الحساب.');
    assert.equal(text(muted, ar), 'كتم فريق الإشراف هذا الحساب لمدة 3 ساعات: لا يمكن النشر منه خلالها.');
    assert.equal(text(future, ar), 'اتخذ فريق الإشراف إجراءً يخص هذا الحساب.');

    // Nobody else is told, and the notice's page is the member's alone.
    assert.ok(!(await notificationsOf(s.reader, 'en')).some((n) => n.kind === 'moderation_action'));
    const page = await (await inBrowser(s.author)).get(`/moderation/notices/${hidden}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /The moderators hid one of your posts\./);
    assert.match(page.body, /Names a doctor without consent/);
    assert.match(page.body, /action="\/moderation\/notices\/[^"]+\/appeal"/);
    const arPage = await (await inBrowser(s.author, 'ar')).get(`/moderation/notices/${hidden}`);
    assert.match(arPage.body, /أخفى فريق الإشراف أحد منشورات هذا الحساب/);
    assert.match(arPage.body, /إرسال الاعتراض/);
    assert.equal((await (await inBrowser(s.reader)).get(`/moderation/notices/${hidden}`)).status, 404);
    // The same through the API, for clients.
    const api = (await s.author.api.api('GET', `/api/v1/moderation/notices/${hidden}`)).json().notice;
    assert.equal(api.text, 'The moderators hid one of your posts.');
    assert.equal(api.reason, 'Names a doctor without consent');
    assert.equal(api.mayAppeal, true);
    assert.equal(api.appeal, null);
    assert.equal((await s.reader.api.api('GET', `/api/v1/moderation/notices/${hidden}`)).status, 404);
  });

  test('a ban from the group keeps the notice: it is not the group’s to take away', async () => {
    const s = await scene();
    const banned = await log({
      actorId: s.moderator.user.id,
      action: 'group.ban',
      groupId: s.group.id,
      targetType: 'user',
      targetId: s.author.user.id,
      targetUserId: s.author.user.id,
      reason: 'Threats',
    });
    // Removed from the group, as a ban does: notifications about the group go with the membership.
    const removed = await s.moderator.api.api(
      'DELETE',
      `/api/v1/groups/${s.group.id}/members/${s.author.user.id}?ban=true`,
    );
    assert.equal(removed.status, 204);
    const list = await notificationsOf(s.author, 'en');
    assert.ok(list.some((n) => n.href === `/moderation/notices/${banned}`));
  });
});

describe('appeals', () => {
  const appeal = (who: Person, logId: string, body = 'I asked the doctor first; they agreed to be named.') =>
    who.api.api('POST', '/api/v1/appeals', { logId, body });
  const decide = (who: Person, appealId: string, decision: 'upheld' | 'overturned', reason = 'Consent was given') =>
    who.api.api('POST', `/api/v1/appeals/${appealId}/decision`, { decision, reason });

  test('only the affected member appeals, once, within the limits; dismissals and their own requests are refused', async () => {
    const s = await scene();
    const row = await hide(s.moderator, s.thread.postId, s.group.id, s.author.user.id);
    assert.equal((await appeal(s.reader, row)).status, 404, 'someone else’s row is as missing as none');
    assert.equal((await appeal(s.author, 'no-such-row')).status, 404);
    assert.equal((await appeal(s.author, row, '')).status, 422);
    assert.equal((await appeal(s.author, row, 'x'.repeat(2001))).status, 422);
    assert.equal((await appeal(s.author, row, '   \n  ')).status, 422);
    const first = await appeal(s.author, row);
    assert.equal(first.status, 201);
    assert.ok(first.json().appeal.id);
    const again = await appeal(s.author, row);
    assert.equal(again.status, 409);
    assert.equal(again.json().error.code, 'conflict');
    const notice = (await s.author.api.api('GET', `/api/v1/moderation/notices/${row}`)).json().notice;
    assert.equal(notice.mayAppeal, false);
    assert.equal(notice.appeal.status, 'open');

    const dismissal = await log({
      actorId: s.moderator.user.id,
      action: 'case.dismiss',
      groupId: s.group.id,
      targetType: 'case',
      targetId: 'c1',
      targetUserId: s.author.user.id,
      reason: 'Nothing wrong',
    });
    assert.equal((await appeal(s.author, dismissal)).status, 403);
    const ownRequest = await log({
      actorId: s.author.user.id,
      action: 'trust.withdraw',
      groupId: null,
      targetType: 'user',
      targetId: s.author.user.id,
      targetUserId: s.author.user.id,
      reason: 'At my request',
    });
    assert.equal((await appeal(s.author, ownRequest)).status, 403);
  });

  test('the queue is scoped like the log; the moderator who acted cannot decide (a clear 403 in both languages); another overturns and the post shows again', async () => {
    const s = await scene();
    const elsewhere = await scene();
    const instanceModerator = await withRole('moderator', 'imod');
    const row = await hide(s.moderator, s.thread.postId, s.group.id, s.author.user.id);
    const appealId = (await appeal(s.author, row)).json().appeal.id;

    const queueOf = async (who: Person) => (await who.api.api('GET', '/api/v1/appeals')).json().appeals as any[];
    const mine = (await queueOf(s.moderator)).find((a) => a.id === appealId);
    assert.ok(mine);
    assert.equal(mine.mayDecide, false, 'the moderator who acted sees it, but someone else decides');
    assert.equal(mine.appellant, null, 'a post’s author is not named in the queue');
    assert.equal((await queueOf(s.second)).find((a) => a.id === appealId).mayDecide, true);
    assert.ok((await queueOf(instanceModerator)).some((a) => a.id === appealId));
    assert.ok(
      !(await queueOf(elsewhere.moderator)).some((a) => a.id === appealId),
      'another group’s moderators do not see it',
    );
    assert.deepEqual(await queueOf(s.reader), []);

    const same = await decide(s.moderator, appealId, 'upheld');
    assert.equal(same.status, 403);
    assert.equal(same.json().error.message, 'A different moderator than the one who acted must decide this appeal.');
    const arClient = new TestClient(rt.app);
    arClient.bearer = s.moderator.api.bearer;
    arClient.acceptLanguage = 'ar';
    const sameAr = await arClient.api('POST', `/api/v1/appeals/${appealId}/decision`, {
      decision: 'upheld',
      reason: 'x',
    });
    assert.equal(sameAr.status, 403);
    assert.equal(
      sameAr.json().error.message,
      'يلزم أن يقرّر في هذا الاعتراض عضو آخر من فريق الإشراف غير من اتخذ الإجراء.',
    );
    assert.equal((await decide(elsewhere.moderator, appealId, 'overturned')).status, 404);
    assert.equal((await decide(s.author, appealId, 'overturned')).status, 404);
    assert.equal((await decide(s.second, appealId, 'overturned', '')).status, 422);

    const decided = await decide(s.second, appealId, 'overturned');
    assert.equal(decided.status, 200);
    assert.deepEqual(decided.json(), { decision: 'overturned', reversed: true });
    const post = await rt.ctx.db
      .selectFrom('posts')
      .select('hidden')
      .where('id', '=', s.thread.postId)
      .executeTakeFirstOrThrow();
    assert.equal(post.hidden, 0, 'the post shows again');
    assert.equal((await decide(instanceModerator, appealId, 'upheld')).status, 409, 'decided once');

    const rows = await rt.ctx.db.selectFrom('moderation_log').selectAll().where('target_id', '=', appealId).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.action, 'appeal.overturned');
    assert.equal(rows[0]!.actor_id, s.second.user.id);
    assert.equal(rows[0]!.target_user_id, s.author.user.id, 'the appellant is told');
    assert.equal(rows[0]!.group_id, s.group.id);
    const told = (await s.author.api.api('GET', '/api/v1/notifications')).json().notifications as any[];
    assert.ok(
      told.some(
        (n) =>
          n.href === `/moderation/notices/${rows[0]!.id}` &&
          n.text === 'Your appeal was decided: the decision was overturned.',
      ),
    );
    // The member's log shows each step, without names.
    const entries = (await logOf(s.reader, `?groupId=${s.group.id}`)).entries;
    assert.ok(
      entries.some((e) => e.action === 'appeal.overturned' && e.actor === null && e.reason === 'Consent was given'),
    );
    // Deciding is not appealable.
    assert.equal((await appeal(s.author, rows[0]!.id)).status, 403);
  });

  test('overturning lifts a mute, a suspension and a group ban; a deleted post cannot be restored; upholding changes nothing', async () => {
    const s = await scene();
    const admin = await withRole('admin', 'adm');
    const until = clock + 10 * 3_600_000;
    await rt.ctx.db
      .updateTable('users')
      .set({ muted_until: until, suspended_until: until })
      .where('id', '=', s.author.user.id)
      .execute();
    const about = {
      groupId: s.group.id,
      targetType: 'user' as const,
      targetId: s.author.user.id,
      targetUserId: s.author.user.id,
    };
    const mute = await log({
      actorId: s.moderator.user.id,
      action: 'user.mute',
      ...about,
      reason: 'Cool down',
      detail: { hours: 10 },
    });
    const suspend = await log({
      actorId: admin.user.id,
      action: 'user.suspend',
      ...about,
      groupId: null,
      reason: 'Threats',
      detail: { hours: 10 },
    });
    await rt.ctx.db
      .insertInto('group_bans')
      .values({ group_id: s.group.id, user_id: s.author.user.id, anonymous: 0, created_at: clock })
      .execute();
    const ban = await log({ actorId: s.moderator.user.id, action: 'group.ban', ...about, reason: 'Harassment' });
    const second = await threadIn(s.reader.api, s.group.id, { title: 'Another', body: 'words' });
    await rt.ctx.db.updateTable('posts').set({ deleted: 1, body: '' }).where('id', '=', second.postId).execute();
    const deleted = await log({
      actorId: s.moderator.user.id,
      action: 'post.delete',
      groupId: s.group.id,
      targetType: 'post',
      targetId: second.postId,
      targetUserId: s.reader.user.id,
      reason: 'Doxxing',
    });
    const warn = await log({ actorId: s.moderator.user.id, action: 'user.warn', ...about, reason: 'Tone' });
    await rt.ctx.db.updateTable('users').set({ trust_level: 'new' }).where('id', '=', s.author.user.id).execute();
    const lowered = await log({
      actorId: s.moderator.user.id,
      action: 'trust.withdraw',
      ...about,
      groupId: null,
      reason: 'Spam',
      detail: { from: 'trusted', level: 'new' },
    });

    const user = () =>
      rt.ctx.db
        .selectFrom('users')
        .select(['muted_until', 'suspended_until'])
        .where('id', '=', s.author.user.id)
        .executeTakeFirstOrThrow();
    const appealOf = async (who: Person, logId: string) => (await appeal(who, logId)).json().appeal.id as string;

    assert.deepEqual((await decide(s.second, await appealOf(s.author, mute), 'overturned')).json(), {
      decision: 'overturned',
      reversed: true,
    });
    assert.equal((await user()).muted_until, null);
    assert.equal(Number((await user()).suspended_until), until, 'only what was appealed is lifted');
    // An instance row: decided by instance staff only; a group moderator does not even see it.
    const suspendAppeal = await appealOf(s.author, suspend);
    assert.equal((await decide(s.second, suspendAppeal, 'overturned')).status, 404);
    assert.equal((await decide(admin, suspendAppeal, 'overturned')).status, 403, 'the admin acted on it');
    const instanceModerator = await withRole('moderator', 'imod');
    assert.equal((await decide(instanceModerator, suspendAppeal, 'overturned')).status, 200);
    assert.equal((await user()).suspended_until, null);
    assert.equal((await decide(s.owner, await appealOf(s.author, ban), 'overturned')).status, 200);
    assert.equal(
      (
        await rt.ctx.db
          .selectFrom('group_bans')
          .select('user_id')
          .where('group_id', '=', s.group.id)
          .where('user_id', '=', s.author.user.id)
          .execute()
      ).length,
      0,
    );
    const deletedDecision = await decide(s.second, await appealOf(s.reader, deleted), 'overturned');
    assert.deepEqual(deletedDecision.json(), { decision: 'overturned', reversed: false });
    assert.equal(
      (await rt.ctx.db.selectFrom('posts').select('deleted').where('id', '=', second.postId).executeTakeFirstOrThrow())
        .deleted,
      1,
    );
    const page = await (await inBrowser(s.reader)).get(`/moderation/notices/${deleted}`);
    assert.match(page.body, /A deleted post cannot be restored/);
    assert.deepEqual(
      (await decide(s.second, await appealOf(s.author, warn), 'upheld', 'The tone was hostile')).json(),
      { decision: 'upheld', reversed: false },
    );
    const told = (await s.author.api.api('GET', '/api/v1/notifications')).json().notifications as any[];
    assert.ok(told.some((n) => n.text === 'Your appeal was decided: the decision stands.'));
    assert.ok(
      told.some(
        (n) =>
          n.text === 'The moderators lowered your account’s trust level to new.' ||
          n.text === "The moderators lowered your account's trust level to new.",
      ),
    );
    assert.deepEqual((await decide(instanceModerator, await appealOf(s.author, lowered), 'overturned')).json(), {
      decision: 'overturned',
      reversed: true,
    });
    const level = await rt.ctx.db
      .selectFrom('users')
      .select('trust_level')
      .where('id', '=', s.author.user.id)
      .executeTakeFirstOrThrow();
    assert.equal(level.trust_level, 'trusted', 'the level it was lowered from');
  });

  test('without JavaScript: appeal from the notice’s page, decide from the appeals page', async () => {
    const s = await scene();
    const row = await hide(s.moderator, s.thread.postId, s.group.id, s.author.user.id);
    const author = await inBrowser(s.author);
    const noticeUrl = `/moderation/notices/${row}`;
    const empty = await author.submit(noticeUrl, `${noticeUrl}/appeal`, { body: '' });
    assert.equal(empty.status, 422);
    assert.match(empty.body, /Write between 1 and 2000 characters/);
    const sent = await author.submit(noticeUrl, `${noticeUrl}/appeal`, { body: 'Please look again.' });
    assert.equal(sent.status, 303);
    const after = await author.get(sent.headers.location as string);
    assert.match(after.body, /Your appeal was sent/);
    assert.match(after.body, /Please look again\./);
    assert.match(after.body, /Waiting for a decision/);
    assert.doesNotMatch(after.body, /action="\/moderation\/notices\/[^"]+\/appeal"/, 'no second appeal form');

    const acting = await inBrowser(s.moderator);
    const queue = await acting.get('/moderation/appeals');
    assert.match(queue.body, /Please look again\./);
    assert.match(queue.body, /A different moderator than the one who acted must decide this appeal/);
    const appealId = (await s.second.api.api('GET', '/api/v1/appeals'))
      .json()
      .appeals.find((a: any) => a.logId === row).id;
    const refused = await acting.submit('/moderation/appeals', `/moderation/appeals/${appealId}/decision`, {
      decision: 'overturned',
      reason: 'x',
    });
    assert.equal(refused.status, 403);
    const other = await inBrowser(s.second);
    const noReason = await other.submit('/moderation/appeals', `/moderation/appeals/${appealId}/decision`, {
      decision: 'overturned',
      reason: '',
    });
    assert.equal(noReason.status, 422);
    const done = await other.submit('/moderation/appeals', `/moderation/appeals/${appealId}/decision`, {
      decision: 'overturned',
      reason: 'Consent was given',
    });
    assert.equal(done.status, 303);
    assert.match((await other.get(done.headers.location as string)).body, /The appeal was decided/);
    assert.match((await author.get(noticeUrl)).body, /Decided: the decision was overturned\./);
  });
});
