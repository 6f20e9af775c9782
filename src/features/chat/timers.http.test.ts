// Disappearing messages on both engines (ADR 0062), with the clock moved by hand: who may set a
// timer, the event it leaves in the history, expiry filtering every read at once, the purge job
// erasing messages, their reactions, search documents and mention notifications within a minute,
// tombstones after a day, and the instance's maximum and retention.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { browserMember, createGroupAs, member } from '../../../test/support/community.js';
import { createConversationRow, createRoomRow } from '../../../test/support/chat.js';
import { csrfTokenIn, type TestClient } from '../../../test/support/client.js';
import { asMember } from '../../../test/support/seed.js';
import { serviceContext } from '../../app-context.js';
import { translator } from '../../i18n/index.js';
import { indexDocument } from '../../search/service.js';
import { newId } from '../../security/tokens.js';
import chatModule from './index.js';
import { nextSeq } from './queries.js';
import { changesSince, findLiveMessage, historyPage, loadDetails, postMessage, presentMessage } from './service.js';
import { purgeBatch, purgeChat } from './services/purge.js';
import { timerLabel } from './timer-views.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const hour = 3_600_000;
const day = 24 * hour;
const ctx = () => serviceContext(rt.ctx);
const purgeJob = chatModule.jobs.find((job) => job.name === 'chat.purge')!;
const runPurge = () => purgeJob.run(ctx(), {});

async function messageRow(id: string) {
  return rt.ctx.db.selectFrom('chat_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

async function chatRow(id: string) {
  return rt.ctx.db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function joinAs(groupId: string, userId: string, role: 'member' | 'moderator') {
  await rt.ctx.db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId, role, joined_at: rt.ctx.now() })
    .execute();
}

/** A row straight in the table, for backlogs and rows older than the test. */
async function insertMessage(chatId: string, values: { createdAt: number; expiresAt: number | null; body?: string }) {
  const id = newId();
  const seq = await nextSeq(rt.ctx.db, chatId);
  await rt.ctx.db
    .insertInto('chat_messages')
    .values({
      id,
      chat_id: chatId,
      kind: 'message',
      author_id: null,
      anonymous: 0,
      author_ref: null,
      pseudonym: null,
      body: values.body ?? 'from before',
      warning: null,
      reply_to_id: null,
      timer_seconds: null,
      posted_seq: seq,
      changed_seq: seq,
      created_at: values.createdAt,
      edited_at: null,
      expires_at: values.expiresAt,
    })
    .execute();
  return id;
}

const putTimer = (api: TestClient, path: string, timer: unknown) => api.api('PUT', `${path}/timer`, { timer });

test('only those who manage a room, and a conversation’s active participants, set its timer', async () => {
  const owner = await member(rt, 'own');
  const moderator = await member(rt, 'mod');
  const plain = await member(rt, 'mem');
  const outsider = await member(rt, 'out');
  const admin = await member(rt, 'adm', { role: 'admin' });
  const group = await createGroupAs(owner.api, { visibility: 'private' });
  await joinAs(group.id, moderator.user.id, 'moderator');
  await joinAs(group.id, plain.user.id, 'member');
  const room = `/api/v1/rooms/${await createRoomRow(rt, { groupId: group.id })}`;

  const owned = await putTimer(owner.api, room, 86_400);
  assert.equal(owned.status, 200);
  assert.deepEqual(owned.json(), { timer: 86_400 });
  assert.equal((await putTimer(moderator.api, room, 3_600)).status, 200);
  assert.equal((await putTimer(plain.api, room, null)).status, 403, 'a member reads the room but does not manage it');
  assert.equal(
    (await putTimer(outsider.api, room, null)).status,
    404,
    'a private group’s room does not exist for others',
  );
  assert.equal(
    (await putTimer(admin.api, room, null)).status,
    404,
    'administrators do not reach a private group’s rooms',
  );

  const instanceRoom = `/api/v1/rooms/${await createRoomRow(rt, { groupId: null })}`;
  assert.equal((await putTimer(plain.api, instanceRoom, 3_600)).status, 403);
  assert.equal((await putTimer(admin.api, instanceRoom, 3_600)).status, 200);
  const archived = `/api/v1/rooms/${await createRoomRow(rt, { groupId: group.id, archived: true })}`;
  assert.equal((await putTimer(owner.api, archived, 3_600)).status, 403, 'an archived room keeps its timer');

  const conversationId = await createConversationRow(rt, [
    { userId: owner.user.id },
    { userId: plain.user.id, state: 'requested' },
  ]);
  const conversation = `/api/v1/conversations/${conversationId}`;
  assert.equal((await putTimer(owner.api, conversation, 28_800)).status, 200);
  assert.equal((await putTimer(plain.api, conversation, 3_600)).status, 403, 'not before accepting');
  assert.equal((await putTimer(outsider.api, conversation, 3_600)).status, 404);
  assert.equal((await putTimer(admin.api, conversation, 3_600)).status, 404, 'administrators read no conversation');
  assert.equal(
    (await putTimer(owner.api, `/api/v1/rooms/${conversationId}`, 3_600)).status,
    404,
    'a conversation is not a room',
  );
  assert.equal((await chatRow(conversationId)).timer_seconds, 28_800);

  const odd = await putTimer(owner.api, conversation, 1_234);
  assert.equal(odd.status, 422);
  assert.equal(odd.json().error.fields[0].field, 'timer');
});

test('a timer change is an event in the history, in the reader’s language, for messages posted afterwards', async () => {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'private' });
  const roomId = await createRoomRow(rt, { groupId: group.id });
  const actor = asMember(owner.user);
  const before = await postMessage(ctx(), actor, roomId, { body: 'said before' });
  assert.equal((await putTimer(owner.api, `/api/v1/rooms/${roomId}`, 604_800)).status, 200);
  const afterwards = await postMessage(ctx(), actor, roomId, { body: 'said after' });

  const { rows } = await historyPage(ctx(), roomId, null);
  assert.deepEqual(
    rows.map((r) => [r.kind, Number(r.posted_seq), r.timer_seconds]),
    [
      ['message', 1, null],
      ['timer', 2, 604_800],
      ['message', 3, null],
    ],
  );
  const event = rows[1]!;
  assert.equal(event.author_id, null);
  assert.equal(event.body, null);
  assert.equal(Number(event.changed_seq), 2);
  assert.equal(Number(event.expires_at), Number(event.created_at) + 604_800_000, 'the event goes as a message would');
  assert.equal((await messageRow(before.messageId))!.expires_at, null, 'earlier messages keep their timer');
  const later = (await messageRow(afterwards.messageId))!;
  assert.equal(Number(later.expires_at), Number(later.created_at) + 604_800_000);
  const shown = presentMessage(await loadDetails(ctx(), rows), event, {
    actor,
    keys: rt.ctx.keys,
    pseudonymName: String,
  });
  assert.equal(shown.kind, 'timer');
  assert.equal(shown.timer, 604_800);
  assert.equal(shown.author, null);

  // The same timer again changes nothing; turning it off is an event too, and a resume sees both.
  assert.equal((await putTimer(owner.api, `/api/v1/rooms/${roomId}`, 604_800)).status, 200);
  assert.equal(Number((await chatRow(roomId)).last_seq), 3);
  assert.equal((await putTimer(owner.api, `/api/v1/rooms/${roomId}`, null)).status, 200);
  const resumed = await changesSince(ctx(), roomId, 1);
  assert.deepEqual(
    resumed.map((r) => [r.kind, r.timer_seconds]),
    [
      ['timer', 604_800],
      ['message', null],
      ['timer', null],
    ],
  );
  assert.equal(resumed.at(-1)!.expires_at, null);

  const en = translator('en');
  const ar = translator('ar');
  assert.equal(
    en('chat.timers.eventSet', { duration: timerLabel(en, 604_800) }),
    'Disappearing messages set to 1 week',
  );
  assert.equal(en('chat.timers.eventOff'), 'Disappearing messages turned off');
  assert.equal(timerLabel(en, 28_800), '8 hours');
  assert.equal(timerLabel(ar, 3_600), 'ساعة واحدة');
  assert.equal(timerLabel(ar, 604_800), 'أسبوع واحد');
  assert.match(timerLabel(ar, 28_800), /^\S+ ساعات$/, 'eight takes the plural of three to ten');
  assert.match(timerLabel(ar, 2_419_200), /^\S+ أسابيع$/);
  assert.equal(timerLabel(ar, 2 * 86_400), 'يومان', 'two takes the dual');
  assert.match(timerLabel(ar, 90 * 86_400), /^\S+ يومًا$/, 'eleven to ninety-nine take the singular accusative');

  // The chat's own timer page, in Arabic, offers the choices and says what applies now.
  owner.api.acceptLanguage = 'ar';
  const page = await owner.api.get(`/chats/${roomId}/timer`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<option[^>]*value="604800"[^>]*>أسبوع واحد<\/option>/);
  assert.match(page.body, /الرسائل المُرسلة الآن لا تختفي/);
});

test('an expired message is served nowhere at once, and the purge erases it and what refers to it within a minute', async () => {
  const a = await member(rt, 'a');
  const b = await member(rt, 'b');
  const conversation = await createConversationRow(rt, [{ userId: a.user.id }, { userId: b.user.id }], {
    timerSeconds: 3_600,
  });
  const { messageId } = await postMessage(ctx(), asMember(a.user), conversation, { body: 'meet at nine' });
  const kept = await insertMessage(conversation, { createdAt: rt.ctx.now(), expiresAt: null, body: 'stays' });
  await rt.ctx.db
    .insertInto('chat_reactions')
    .values({ message_id: messageId, user_id: b.user.id, kind: 'hug' })
    .execute();
  await rt.ctx.db
    .insertInto('notifications')
    .values({
      id: newId(),
      user_id: b.user.id,
      kind: 'chat_mention',
      subject_id: messageId,
      context: JSON.stringify({ chatId: conversation }),
      created_at: rt.ctx.now(),
      read: 0,
    })
    .execute();
  await indexDocument(
    { db: rt.ctx.db, engine: rt.ctx.engine },
    {
      kind: 'chat_message',
      refId: messageId,
      scope: `chat:${conversation}`,
      title: '',
      body: 'meet at nine',
      createdAt: rt.ctx.now(),
    },
  );

  // The clock runs on as well: a minute's margin either side of the expiry.
  rt.advance(hour - 60_000);
  assert.equal((await historyPage(ctx(), conversation, null)).rows.length, 2, 'not yet');
  rt.advance(60_000);
  assert.deepEqual(
    (await historyPage(ctx(), conversation, null)).rows.map((r) => r.id),
    [kept],
  );
  assert.deepEqual(
    (await changesSince(ctx(), conversation, 0)).map((r) => r.id),
    [kept],
  );
  assert.equal(await findLiveMessage(rt.ctx.db, rt.ctx.now(), messageId), undefined);
  assert.ok(await messageRow(messageId), 'filtered before the job has run');

  // The job runs every 30 seconds, so within a minute of expiring a message has been purged.
  assert.ok(purgeJob.everyMs! <= 30_000);
  rt.advance(purgeJob.everyMs!);
  await runPurge();
  assert.equal(await messageRow(messageId), undefined);
  assert.ok(await messageRow(kept));
  const left = await Promise.all([
    rt.ctx.db.selectFrom('chat_reactions').select('kind').where('message_id', '=', messageId).execute(),
    rt.ctx.db.selectFrom('notifications').select('id').where('subject_id', '=', messageId).execute(),
    rt.ctx.db.selectFrom('search_documents').select('id').where('ref_id', '=', messageId).execute(),
  ]);
  assert.deepEqual(left, [[], [], []]);
  if (rt.ctx.engine === 'sqlite')
    assert.deepEqual(
      await rt.ctx.db
        .selectFrom('search_fts')
        .select('doc_id')
        .where('doc_id', '=', `chat_message:${messageId}`)
        .execute(),
      [],
    );
});

test('tombstones go a day after the unsend, and the chat’s purged number moves past them', async () => {
  const a = await member(rt, 'a');
  const roomId = await createRoomRow(rt, { groupId: null });
  const first = await postMessage(ctx(), asMember(a.user), roomId, { body: 'taken back' });
  const second = await postMessage(ctx(), asMember(a.user), roomId, { body: 'left alone' });
  // A tombstone as unsending leaves it: no author, no words, the change number of the unsend.
  const seq = await nextSeq(rt.ctx.db, roomId);
  await rt.ctx.db
    .updateTable('chat_messages')
    .set({ kind: 'unsent', author_id: null, body: null, changed_seq: seq, edited_at: rt.ctx.now() })
    .where('id', '=', first.messageId)
    .execute();

  rt.advance(day - 60_000);
  await runPurge();
  assert.ok(await messageRow(first.messageId), 'clients have a day to hear of the unsend');
  assert.equal(Number((await chatRow(roomId)).purged_seq), 0);
  rt.advance(60_000);
  await runPurge();
  assert.equal(await messageRow(first.messageId), undefined);
  assert.equal(Number((await chatRow(roomId)).purged_seq), seq);
  assert.ok(await messageRow(second.messageId));
});

test('the purge works through a backlog in batches', async () => {
  const roomId = await createRoomRow(rt, { groupId: null });
  const count = purgeBatch * 2 + 17;
  const now = rt.ctx.now();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    chat_id: roomId,
    kind: 'message' as const,
    author_id: null,
    anonymous: 0,
    author_ref: null,
    pseudonym: null,
    body: `old ${i}`,
    warning: null,
    reply_to_id: null,
    timer_seconds: null,
    posted_seq: i + 1,
    changed_seq: i + 1,
    created_at: now - 2 * hour,
    edited_at: null,
    expires_at: now - hour,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await rt.ctx.db
      .insertInto('chat_messages')
      .values(rows.slice(i, i + 200))
      .execute();
  const result = await purgeChat(ctx());
  assert.ok(result.expired >= count);
  const left = await rt.ctx.db
    .selectFrom('chat_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chat_id', '=', roomId)
    .executeTakeFirstOrThrow();
  assert.equal(Number(left.n), 0);
});

test('an instance maximum brings longer timers down and shortens expiries, never lengthening one', async () => {
  const admin = await member(rt, 'adm', { role: 'admin' });
  const owner = await member(rt, 'own');
  const other = await member(rt, 'oth');
  const group = await createGroupAs(owner.api, { visibility: 'private' });
  const actor = asMember(owner.user);
  const weekly = await createConversationRow(rt, [{ userId: owner.user.id }, { userId: other.user.id }]);
  const open = await createRoomRow(rt, { groupId: group.id, timerSeconds: null });
  const hourly = await createRoomRow(rt, { groupId: group.id, timerSeconds: 3_600 });
  const t0 = rt.ctx.now();
  const inWeekly = await postMessage(ctx(), actor, weekly, { body: 'a week' });
  const inOpen = await postMessage(ctx(), actor, open, { body: 'forever' });
  const inHourly = await postMessage(ctx(), actor, hourly, { body: 'an hour' });
  const old = await insertMessage(open, { createdAt: t0 - 10 * hour, expiresAt: null });
  const hourlySeq = Number((await chatRow(hourly)).last_seq);

  assert.equal(
    (await owner.api.api('PUT', '/api/v1/admin/chat-limits', { maxTimerSeconds: 28_800, retentionDays: null })).status,
    403,
  );
  const set = await admin.api.api('PUT', '/api/v1/admin/chat-limits', { maxTimerSeconds: 28_800, retentionDays: null });
  assert.equal(set.status, 200, set.body);
  assert.deepEqual(set.json(), { maxTimerSeconds: 28_800, retentionDays: null });
  assert.deepEqual((await admin.api.api('GET', '/api/v1/admin/chat-limits')).json(), set.json());

  for (const chatId of [weekly, open]) {
    const chat = await chatRow(chatId);
    assert.equal(chat.timer_seconds, 28_800);
    const { rows } = await historyPage(ctx(), chatId, null);
    const event = rows.find((r) => r.kind === 'timer');
    assert.equal(event?.timer_seconds, 28_800, 'each chat shows the change');
    assert.equal(Number(event!.changed_seq), Number(chat.last_seq));
  }
  for (const posted of [inWeekly, inOpen]) {
    const row = (await messageRow(posted.messageId))!;
    assert.equal(Number(row.expires_at), Number(row.created_at) + 8 * hour);
  }
  assert.equal(
    Number((await messageRow(inWeekly.messageId))!.changed_seq),
    Number((await chatRow(weekly)).last_seq),
    'a client resuming hears of the shorter expiry',
  );
  const hourlyRow = (await messageRow(inHourly.messageId))!;
  assert.equal(Number(hourlyRow.expires_at), Number(hourlyRow.created_at) + hour, 'never lengthened');
  assert.equal((await chatRow(hourly)).timer_seconds, 3_600);
  assert.equal(Number((await chatRow(hourly)).last_seq), hourlySeq, 'a chat within the limits is left alone');
  assert.ok(
    !(await historyPage(ctx(), open, null)).rows.some((r) => r.id === old),
    'a message older than the maximum disappears at once',
  );
  const groupRow = await rt.ctx.db
    .selectFrom('groups')
    .select('room_timer_seconds')
    .where('id', '=', group.id)
    .executeTakeFirstOrThrow();
  assert.equal(groupRow.room_timer_seconds, 28_800, 'new rooms start within it too');
  const audit = await rt.ctx.db
    .selectFrom('audit_log')
    .select('actor_id')
    .where('action', '=', 'settings.chat_limits')
    .execute();
  assert.ok(audit.some((row) => row.actor_id === admin.user.id));

  // Members now choose within the maximum: longer, or off, is refused beside the field.
  for (const timer of [86_400, null]) {
    const refused = await putTimer(owner.api, `/api/v1/conversations/${weekly}`, timer);
    assert.equal(refused.status, 422);
    assert.equal(refused.json().error.fields[0].field, 'timer');
  }
  assert.equal((await putTimer(owner.api, `/api/v1/conversations/${weekly}`, 3_600)).status, 200);
  const later = await postMessage(ctx(), actor, open, { body: 'capped' });
  const laterRow = (await messageRow(later.messageId))!;
  assert.equal(Number(laterRow.expires_at), Number(laterRow.created_at) + 8 * hour);

  // Saving the same limits again changes nothing more.
  const lastSeq = Number((await chatRow(open)).last_seq);
  assert.equal(
    (await admin.api.api('PUT', '/api/v1/admin/chat-limits', { maxTimerSeconds: 28_800, retentionDays: null })).status,
    200,
  );
  assert.equal(Number((await chatRow(open)).last_seq), lastSeq);

  assert.equal(
    (await admin.api.api('PUT', '/api/v1/admin/chat-limits', { maxTimerSeconds: null, retentionDays: null })).status,
    200,
  );
});

test('an instance retention deletes messages without a timer, through the administrators’ page', async () => {
  const admin = await browserMember(rt, 'adm', { role: 'admin' });
  const owner = await member(rt, 'own');
  const roomId = await createRoomRow(rt, { groupId: null, timerSeconds: null });
  const old = await insertMessage(roomId, { createdAt: rt.ctx.now() - 2 * day, expiresAt: null, body: 'old news' });
  const recent = await postMessage(ctx(), asMember(owner.user), roomId, { body: 'new news' });

  const page = await admin.web.get('/admin/chat');
  assert.equal(page.status, 200);
  assert.match(page.body, /Delete chat messages after this many days/);
  assert.match(page.body, /No chat message lives longer than this/);
  assert.equal((await (await member(rt, 'm')).api.get('/admin/chat')).status, 404);
  const wrong = await admin.web.submit('/admin/chat', '/admin/chat', {
    maxTimerSeconds: 'none',
    retentionDays: 'zero',
  });
  assert.equal(wrong.status, 422);
  assert.match(wrong.body, /Enter a whole number of days from 1 to/);
  const saved = await admin.web.submit('/admin/chat', '/admin/chat', { maxTimerSeconds: 'none', retentionDays: '1' });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.location, '/admin/chat?done=saved');
  assert.match((await admin.web.get('/admin/chat?done=saved')).body, /The chat limits are saved/);

  const { rows } = await historyPage(ctx(), roomId, null);
  assert.deepEqual(
    rows.map((r) => r.id),
    [recent.messageId],
    'the message older than the retention is gone from every read at once',
  );
  assert.equal(
    Number((await messageRow(recent.messageId))!.expires_at),
    Number((await messageRow(recent.messageId))!.created_at) + day,
  );
  assert.equal((await chatRow(roomId)).timer_seconds, null, 'a retention is not a timer: the room’s stays off');

  // A message that escaped it (written before the setting reached it) is deleted by the job all the same.
  const escaped = await insertMessage(roomId, { createdAt: rt.ctx.now() - 2 * day, expiresAt: null });
  await runPurge();
  assert.equal(await messageRow(old), undefined);
  assert.equal(await messageRow(escaped), undefined);
  assert.ok(await messageRow(recent.messageId));
  rt.advance(day);
  await runPurge();
  assert.equal(await messageRow(recent.messageId), undefined);

  const admin2 = await member(rt, 'adm', { role: 'admin' });
  assert.equal(
    (await admin2.api.api('PUT', '/api/v1/admin/chat-limits', { maxTimerSeconds: null, retentionDays: null })).status,
    200,
  );
});

test('the timer forms answer with the chat page, and a group’s owner chooses new rooms’ timer', async () => {
  const owner = await browserMember(rt, 'own');
  const plain = await browserMember(rt, 'mem');
  const group = await createGroupAs((await member(rt, 'tmp')).api, { visibility: 'public' });
  await rt.ctx.db
    .updateTable('group_members')
    .set({ user_id: owner.user.id })
    .where('group_id', '=', group.id)
    .execute();
  await joinAs(group.id, plain.user.id, 'member');
  const roomId = await createRoomRow(rt, { groupId: group.id });
  const conversation = await createConversationRow(rt, [{ userId: owner.user.id }, { userId: plain.user.id }]);

  const room = await owner.web.submit(`/chats/${roomId}/timer`, `/chats/${roomId}/timer`, { timer: '86400' });
  assert.equal(room.status, 303);
  assert.equal(room.headers.location, `/rooms/${roomId}`);
  assert.equal((await chatRow(roomId)).timer_seconds, 86_400);
  const talk = await plain.web.submit(`/chats/${conversation}/timer`, `/chats/${conversation}/timer`, { timer: 'off' });
  assert.equal(talk.status, 303);
  assert.equal(talk.headers.location, `/conversations/${conversation}`);
  assert.equal((await chatRow(conversation)).timer_seconds, null);
  const odd = await owner.web.submit(`/chats/${roomId}/timer`, `/chats/${roomId}/timer`, { timer: '99' });
  assert.equal(odd.status, 422);
  assert.match(odd.body, /Choose one of the timers offered/);
  assert.equal((await plain.web.get(`/chats/${roomId}/timer`)).status, 404, 'a member who cannot set it has no page');

  const ownersPage = await owner.web.get(`/groups/${group.id}/room-timer`);
  assert.equal(ownersPage.status, 200);
  assert.match(ownersPage.body, /Timer for new rooms/);
  assert.equal((await plain.web.get(`/groups/${group.id}/room-timer`)).status, 404);
  const chosen = await owner.web.submit(`/groups/${group.id}/room-timer`, `/groups/${group.id}/room-timer`, {
    timer: '28800',
  });
  assert.equal(chosen.status, 303);
  assert.equal(chosen.headers.location, `/groups/${group.id}/room-timer?done=saved`);
  const stored = async () =>
    (
      await rt.ctx.db
        .selectFrom('groups')
        .select('room_timer_seconds')
        .where('id', '=', group.id)
        .executeTakeFirstOrThrow()
    ).room_timer_seconds;
  assert.equal(await stored(), 28_800);
  const api = (await member(rt, 'api')).api;
  assert.equal((await api.api('PUT', `/api/v1/groups/${group.id}/room-timer`, { timer: 3_600 })).status, 403);
  const moderator = await member(rt, 'mod');
  await joinAs(group.id, moderator.user.id, 'moderator');
  const byModerator = await moderator.api.api('PUT', `/api/v1/groups/${group.id}/room-timer`, { timer: 3_600 });
  assert.equal(byModerator.status, 403, 'the default is the owner’s alone');
  const byOwner = await owner.web.request('PUT', `/api/v1/groups/${group.id}/room-timer`, {
    json: { timer: 3_600 },
    headers: { 'x-csrf-token': csrfTokenIn(ownersPage.body) },
  });
  assert.equal(byOwner.status, 200, byOwner.body);
  assert.deepEqual(byOwner.json(), { timer: 3_600 });
  assert.equal(await stored(), 3_600);
});
