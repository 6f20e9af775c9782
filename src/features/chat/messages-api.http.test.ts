// The messages API on both engines (ADR 0065): posting, history pages, editing, unsending and
// reactions through HTTP; what one may not read answers 404 and what one may read but not write
// 403; bad input 422 naming the field; the chat limit 429; mentions notify without words; unsend
// takes the words out of the database and the search index; blocks withhold.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createConversationRow, createRoomRow } from '../../../test/support/chat.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { asMember, defaultPassphrase } from '../../../test/support/seed.js';
import { serviceContext } from '../../app-context.js';
import type { MessageJson } from './schemas.js';
import { postMessage, unreadCounts } from './service.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

/** A public group's room with its owner and a member who joined. */
async function scene(group: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const joined = await member(rt, 'mem');
  const g = await createGroupAs(owner.api, { visibility: 'public', ...group });
  assert.equal((await joined.api.api('POST', `/api/v1/groups/${g.id}/join`, {})).status, 200);
  const room = await createRoomRow(rt, { groupId: g.id, name: 'Kitchen table' });
  return { owner, joined, group: g, room };
}

const say = async (who: Person, room: string, body: unknown, path = 'rooms') =>
  who.api.api('POST', `/api/v1/${path}/${room}/messages`, typeof body === 'string' ? { body } : body);
const posted = async (who: Person, room: string, body: string): Promise<MessageJson> => {
  const response = await say(who, room, body);
  assert.equal(response.status, 201, response.body);
  return response.json().message;
};
const history = async (who: Person, room: string, query = '', path = 'rooms') =>
  who.api.get(`/api/v1/${path}/${room}/messages${query}`);
const wordsInDatabase = async (words: string) => ({
  messages: (await rt.ctx.db.selectFrom('chat_messages').select('id').where('body', 'like', `%${words}%`).execute())
    .length,
  documents: (
    await rt.ctx.db
      .selectFrom('search_documents')
      .select('id')
      .where((eb) => eb.or([eb('body', 'like', `%${words}%`), eb('terms', 'like', `%${words.toLowerCase()}%`)]))
      .execute()
  ).length,
});
const found = async (who: Person, q: string) =>
  (await who.api.get(`/api/v1/search?q=${encodeURIComponent(q)}&type=chat_message`)).json().results as {
    id: string;
    href: string;
  }[];
const mentionsOf = async (who: Person) =>
  (
    (await who.api.get('/api/v1/notifications')).json().notifications as { kind: string; text: string; href: string }[]
  ).filter((n) => n.kind === 'chat_mention');

test('post, read, edit, react and unsend through the API', async () => {
  const s = await scene();
  const first = await posted(s.owner, s.room, 'Tea at **five**, bring mint');
  assert.equal(first.author?.username, s.owner.user.username);
  assert.equal(first.mine, true);
  assert.match(first.html ?? '', /<strong>five<\/strong>/);
  const second = await posted(s.joined, s.room, 'I will bring cardamom');
  assert.equal(second.position, first.position + 1);

  const page = (await history(s.joined, s.room)).json();
  assert.deepEqual(
    page.messages.map((m: MessageJson) => [m.body, m.mine]),
    [
      ['Tea at **five**, bring mint', false],
      ['I will bring cardamom', true],
    ],
  );
  assert.equal(page.olderBefore, null);
  assert.equal(page.seq, second.seq);

  const edited = await s.joined.api.api('PATCH', `/api/v1/messages/${second.id}`, {
    body: 'I will bring saffron',
    warning: 'family_rejection',
  });
  assert.equal(edited.status, 200, edited.body);
  const after = edited.json().message as MessageJson;
  assert.equal(after.body, 'I will bring saffron');
  assert.equal(after.position, second.position);
  assert.ok(after.seq > second.seq && after.editedAt !== null);
  assert.deepEqual(after.warning, { kind: 'family_rejection', text: null });
  assert.deepEqual(await found(s.owner, 'cardamom'), []);
  assert.deepEqual(
    (await found(s.owner, 'saffron')).map((r) => [r.id, r.href]),
    [[second.id, `/messages/${second.id}`]],
  );
  // Someone else's message is not theirs to edit.
  assert.equal((await s.owner.api.api('PATCH', `/api/v1/messages/${second.id}`, { body: 'mine now' })).status, 403);

  const reacted = await s.owner.api.api('PUT', `/api/v1/messages/${second.id}/reactions/hug`);
  assert.equal(reacted.status, 200);
  const withHug = reacted.json().message as MessageJson;
  assert.deepEqual(withHug.reactions, [{ kind: 'hug', count: 1 }]);
  assert.deepEqual(withHug.reacted, ['hug']);
  assert.ok(withHug.seq > after.seq);
  // Saying it again changes nothing, not even the number.
  const again = (await s.owner.api.api('PUT', `/api/v1/messages/${second.id}/reactions/hug`)).json().message;
  assert.deepEqual([again.seq, again.reactions], [withHug.seq, [{ kind: 'hug', count: 1 }]]);
  const forAuthor = (await history(s.joined, s.room)).json().messages[1] as MessageJson;
  assert.deepEqual([forAuthor.reactions, forAuthor.reacted], [[{ kind: 'hug', count: 1 }], []]);
  const taken = (await s.owner.api.api('DELETE', `/api/v1/messages/${second.id}/reactions/hug`)).json().message;
  assert.deepEqual(taken.reactions, []);
  assert.equal((await s.owner.api.api('PUT', `/api/v1/messages/${second.id}/reactions/shrug`)).status, 400);

  assert.equal((await s.joined.api.api('DELETE', `/api/v1/messages/${second.id}`)).status, 204);
  assert.deepEqual(
    (await history(s.owner, s.room)).json().messages.map((m: MessageJson) => m.id),
    [first.id],
  );
  // Gone for everyone: editing, reacting or unsending it again finds nothing.
  assert.equal((await s.joined.api.api('PATCH', `/api/v1/messages/${second.id}`, { body: 'back' })).status, 404);
  assert.equal((await s.owner.api.api('PUT', `/api/v1/messages/${second.id}/reactions/hug`)).status, 404);
  assert.equal((await s.joined.api.api('DELETE', `/api/v1/messages/${second.id}`)).status, 404);
});

test('history pages backwards fifty at a time, and reading the latest page marks it read', async () => {
  const s = await scene();
  const ctx = serviceContext(rt.ctx);
  for (let i = 0; i < 55; i++) await postMessage(ctx, asMember(s.owner.user), s.room, { body: `line ${i}` });
  const unread = await unreadCounts(serviceContext(rt.ctx), asMember(s.joined.user), [s.room]);
  assert.deepEqual(unread.get(s.room), { count: 55, firstUnreadPosition: 1 });
  // The author has read their own.
  assert.equal((await unreadCounts(serviceContext(rt.ctx), asMember(s.owner.user), [s.room])).get(s.room), undefined);

  const latest = (await history(s.joined, s.room)).json();
  assert.equal(latest.messages.length, 50);
  assert.equal(latest.messages.at(-1).body, 'line 54');
  assert.equal(latest.olderBefore, 6);
  const older = (await history(s.joined, s.room, `?before=${latest.olderBefore}`)).json();
  assert.deepEqual(
    older.messages.map((m: MessageJson) => m.body),
    ['line 0', 'line 1', 'line 2', 'line 3', 'line 4'],
  );
  assert.equal(older.olderBefore, null);
  assert.equal((await unreadCounts(serviceContext(rt.ctx), asMember(s.joined.user), [s.room])).get(s.room), undefined);
  await postMessage(serviceContext(rt.ctx), asMember(s.owner.user), s.room, { body: 'one more' });
  assert.deepEqual((await unreadCounts(serviceContext(rt.ctx), asMember(s.joined.user), [s.room])).get(s.room), {
    count: 1,
    firstUnreadPosition: 56,
  });
  // Query strings are checked before any service, as everywhere in the API.
  assert.equal((await history(s.joined, s.room, '?before=abc')).status, 400);
  // An old message's address opens the older page that holds it.
  const oldest = older.messages[0] as MessageJson;
  const address = await s.joined.api.get(`/messages/${oldest.id}`);
  assert.equal(address.status, 303);
  assert.equal(address.headers.location, `/rooms/${s.room}?before=${oldest.position + 1}#m-${oldest.id}`);
  const newest = latest.messages.at(-1) as MessageJson;
  assert.equal((await s.joined.api.get(`/messages/${newest.id}`)).headers.location, `/rooms/${s.room}#m-${newest.id}`);
});

test('a chat one cannot read is missing, administrators included; a read-only one refuses', async () => {
  const s = await scene();
  const admin = await member(rt, 'adm', { role: 'admin' });
  const stranger = await member(rt, 'str');
  const hidden = await createGroupAs(s.owner.api, { visibility: 'hidden' });
  const hiddenRoom = await createRoomRow(rt, { groupId: hidden.id });
  const secret = await posted(s.owner, hiddenRoom, 'only for us');
  for (const who of [stranger, admin]) {
    assert.equal((await history(who, hiddenRoom)).status, 404);
    assert.equal((await say(who, hiddenRoom, 'hello')).status, 404);
    assert.equal((await who.api.api('PATCH', `/api/v1/messages/${secret.id}`, { body: 'x' })).status, 404);
    assert.equal((await who.api.api('PUT', `/api/v1/messages/${secret.id}/reactions/hug`)).status, 404);
    assert.equal((await who.api.get(`/messages/${secret.id}`)).status, 404);
  }
  // A member who cannot read it cannot unsend it either (instance moderators, administrators among them, can).
  assert.equal((await stranger.api.api('DELETE', `/api/v1/messages/${secret.id}`)).status, 404);

  const conversation = await createConversationRow(rt, [{ userId: s.owner.user.id }, { userId: s.joined.user.id }]);
  const between = await say(s.owner, conversation, 'just the two of us', 'conversations');
  assert.equal(between.status, 201);
  const privately = between.json().message as MessageJson;
  assert.equal(
    (await history(s.joined, conversation, '', 'conversations')).json().messages[0].body,
    'just the two of us',
  );
  for (const who of [stranger, admin]) {
    assert.equal((await history(who, conversation, '', 'conversations')).status, 404);
    assert.equal((await say(who, conversation, 'me too', 'conversations')).status, 404);
    assert.equal((await who.api.api('DELETE', `/api/v1/messages/${privately.id}`)).status, 404);
  }
  // Each kind answers at its own address only.
  assert.equal((await history(s.owner, conversation)).status, 404);
  assert.equal((await history(s.owner, s.room, '', 'conversations')).status, 404);

  // A public group's room is read by anyone signed in and written by its members.
  assert.equal((await history(stranger, s.room)).status, 200);
  assert.equal((await say(stranger, s.room, 'let me in')).status, 403);
  const archived = await createRoomRow(rt, { groupId: s.group.id, archived: true });
  assert.equal((await history(s.joined, archived)).status, 200);
  assert.equal((await say(s.joined, archived, 'anyone here?')).status, 403);
  const visitor = await rt.app.inject({ method: 'GET', url: `/api/v1/rooms/${s.room}/messages` });
  assert.equal(visitor.statusCode, 401);
});

test('bad input answers 422 naming the field; NUL is refused before it', async () => {
  const s = await scene();
  const fieldsOf = async (body: unknown) => {
    const response = await say(s.owner, s.room, body);
    assert.equal(response.status, 422, response.body);
    return (response.json().error.fields as { field: string }[]).map((f) => f.field);
  };
  assert.deepEqual(await fieldsOf({ body: '' }), ['body']);
  assert.deepEqual(await fieldsOf({ body: '   \n ' }), ['body']);
  assert.deepEqual(await fieldsOf({ body: 'x'.repeat(4001) }), ['body']);
  assert.deepEqual(await fieldsOf({ body: 'fine', warning: 'gossip' }), ['warning']);
  assert.deepEqual(await fieldsOf({ body: 'bell \u0007 and escape \u001b[31m' }), ['body']);
  assert.deepEqual(await fieldsOf({ body: 'half \ud800 a character' }), ['body']);
  assert.deepEqual(await fieldsOf({ body: 'fine', extra: true }), ['extra']);
  assert.equal((await say(s.owner, s.room, { body: 'x'.repeat(4000) })).status, 201);
  const nul = await say(s.owner, s.room, { body: 'nul \u0000 inside' });
  assert.equal(nul.status, 400);
  // The service refuses them too (what the live connection's sends go through).
  await assert.rejects(
    postMessage(serviceContext(rt.ctx), asMember(s.owner.user), s.room, { body: 'nul \u0000 inside' }),
    (error: { code: string; fields: { field: string }[] }) =>
      error.code === 'validation_failed' && error.fields[0]?.field === 'body',
  );
  const mine = await posted(s.owner, s.room, 'to edit');
  const edit = await s.owner.api.api('PATCH', `/api/v1/messages/${mine.id}`, { body: 'ok', warning: 'nonsense' });
  assert.equal(edit.status, 422);
  assert.deepEqual(
    edit.json().error.fields.map((f: { field: string }) => f.field),
    ['warning'],
  );
});

test('a member sending faster than the chat limit is slowed with a 429 in their language', async () => {
  const s = await scene();
  for (let i = 0; i < 10; i++) assert.equal((await say(s.joined, s.room, `quick ${i}`)).status, 201);
  s.joined.api.acceptLanguage = 'ar';
  const slowed = await say(s.joined, s.room, 'one too many');
  assert.equal(slowed.status, 429);
  assert.ok(Number(slowed.headers['retry-after']) >= 1);
  assert.equal(slowed.json().error.code, 'rate_limited');
  assert.match(slowed.json().error.message, /الرسائل/);
  // Others are not slowed by it.
  assert.equal((await say(s.owner, s.room, 'still here')).status, 201);
});

test('mentions notify readers without the words, and unsend takes them back', async () => {
  const s = await scene();
  const outsider = await member(rt, 'out');
  const hidden = await createGroupAs(s.owner.api, { visibility: 'hidden' });
  const hiddenRoom = await createRoomRow(rt, { groupId: hidden.id, name: 'Back room' });
  const message = await posted(
    s.owner,
    s.room,
    `@${s.joined.user.username} and @${outsider.user.username}, the pomegranate plan is on`,
  );
  const [told] = await mentionsOf(s.joined);
  assert.ok(told);
  assert.equal(told.href, `/messages/${message.id}`);
  assert.match(told.text, /Kitchen table/);
  assert.doesNotMatch(told.text, /pomegranate/);
  // The outsider may read a public group's room, and is told too; the author is not.
  assert.equal((await mentionsOf(outsider)).length, 1);
  assert.equal((await mentionsOf(s.owner)).length, 0);
  // Following it opens the room at the message.
  assert.equal((await s.joined.api.get(told.href)).headers.location, `/rooms/${s.room}#m-${message.id}`);

  // Someone who cannot read the chat is not told.
  await posted(s.owner, hiddenRoom, `@${outsider.user.username} psst`);
  assert.equal((await mentionsOf(outsider)).length, 1);

  // Private conversations name nobody in the notice.
  const conversation = await createConversationRow(rt, [{ userId: s.owner.user.id }, { userId: s.joined.user.id }]);
  await say(s.owner, conversation, `@${s.joined.user.username} quietly`, 'conversations');
  const notices = await mentionsOf(s.joined);
  assert.equal(notices.length, 2);
  assert.equal(notices[0]!.text, 'You were mentioned in a private conversation');

  assert.equal((await s.owner.api.api('DELETE', `/api/v1/messages/${message.id}`)).status, 204);
  assert.equal((await mentionsOf(outsider)).length, 0);
  const rows = await rt.ctx.db.selectFrom('notifications').select('id').where('subject_id', '=', message.id).execute();
  assert.equal(rows.length, 0);
});

test('a mention of a message gone by expiry shows nothing', async () => {
  const s = await scene();
  const room = await createRoomRow(rt, { groupId: s.group.id, timerSeconds: 3600 });
  await posted(s.owner, room, `@${s.joined.user.username} soon gone`);
  assert.equal((await mentionsOf(s.joined)).length, 1);
  rt.advance(3600_000 + 1);
  assert.equal((await mentionsOf(s.joined)).length, 0);
});

test('unsending removes the words from the database and the search index, not just the view', async () => {
  const s = await scene();
  const words = 'Zanzibarquietword';
  const message = await posted(s.joined, s.room, `meet at the ${words} cafe`);
  await s.owner.api.api('PUT', `/api/v1/messages/${message.id}/reactions/support`);
  assert.deepEqual(await wordsInDatabase(words), { messages: 1, documents: 1 });
  assert.equal((await found(s.owner, words)).length, 1);
  assert.equal((await s.joined.api.api('DELETE', `/api/v1/messages/${message.id}`)).status, 204);
  assert.deepEqual(await wordsInDatabase(words), { messages: 0, documents: 0 });
  assert.deepEqual(await found(s.owner, words), []);
  const tombstone = await rt.ctx.db
    .selectFrom('chat_messages')
    .selectAll()
    .where('id', '=', message.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [tombstone.kind, tombstone.body, tombstone.author_id, tombstone.warning, tombstone.reply_to_id],
    ['unsent', null, null, null, null],
  );
  assert.ok(Number(tombstone.changed_seq) > message.seq);
  const reactions = await rt.ctx.db
    .selectFrom('chat_reactions')
    .select('kind')
    .where('message_id', '=', message.id)
    .execute();
  assert.deepEqual(reactions, []);
  // The author's own unsend is no moderation.
  const logged = await rt.ctx.db
    .selectFrom('moderation_log')
    .select('id')
    .where('target_id', '=', message.id)
    .execute();
  assert.equal(logged.length, 0);
  if (rt.ctx.engine === 'sqlite') {
    const fts = await rt.ctx.db
      .selectFrom('search_fts')
      .select('doc_id')
      .where('doc_id', '=', `chat_message:${message.id}`)
      .execute();
    assert.equal(fts.length, 0);
  }
});

test('moderators unsend others’ messages in their rooms, logged; instance moderators in every room by id', async () => {
  const s = await scene();
  const bystander = await member(rt, 'bys');
  assert.equal((await bystander.api.api('POST', `/api/v1/groups/${s.group.id}/join`, {})).status, 200);
  const message = await posted(s.joined, s.room, 'something unkind');
  // A member who is neither its author nor a moderator may not.
  assert.equal((await bystander.api.api('DELETE', `/api/v1/messages/${message.id}`)).status, 403);
  assert.equal((await s.owner.api.api('DELETE', `/api/v1/messages/${message.id}`)).status, 204);
  const log = await rt.ctx.db
    .selectFrom('moderation_log')
    .select(['action', 'target_type', 'target_user_id', 'group_id', 'actor_id'])
    .where('target_id', '=', message.id)
    .execute();
  assert.deepEqual(log, [
    {
      action: 'message.unsend',
      target_type: 'message',
      target_user_id: s.joined.user.id,
      group_id: s.group.id,
      actor_id: s.owner.user.id,
    },
  ]);
  // The author is told what was done, in words that name neither message nor moderator, and may appeal.
  const told = (await s.joined.api.get('/api/v1/notifications')).json().notifications as {
    kind: string;
    text: string;
  }[];
  assert.deepEqual(
    told.filter((n) => n.kind === 'moderation_action').map((n) => n.text),
    ['The moderators unsent one of your chat messages.'],
  );

  const instanceModerator = await member(rt, 'imod', { role: 'moderator' });
  const hidden = await createGroupAs(s.owner.api, { visibility: 'hidden' });
  const hiddenRoom = await createRoomRow(rt, { groupId: hidden.id });
  const secret = await posted(s.owner, hiddenRoom, 'hidden words');
  // They cannot read it, and still remove it by its id.
  assert.equal((await history(instanceModerator, hiddenRoom)).status, 404);
  assert.equal((await instanceModerator.api.api('DELETE', `/api/v1/messages/${secret.id}`)).status, 204);
  assert.deepEqual(await wordsInDatabase('hidden words'), { messages: 0, documents: 0 });
  // Never in a private conversation.
  const conversation = await createConversationRow(rt, [{ userId: s.owner.user.id }, { userId: s.joined.user.id }]);
  const privately = (await say(s.owner, conversation, 'ours', 'conversations')).json().message as MessageJson;
  assert.equal((await instanceModerator.api.api('DELETE', `/api/v1/messages/${privately.id}`)).status, 404);
});

test('blocks withhold messages, search hits, reactions and mentions, both ways', async () => {
  const s = await scene();
  const third = await member(rt, 'thi');
  assert.equal((await third.api.api('POST', `/api/v1/groups/${s.group.id}/join`, {})).status, 200);
  assert.equal((await s.owner.api.api('POST', '/api/v1/blocks', { userId: s.joined.user.id })).status, 201);
  const words = 'Pistachiomeadow';
  const message = await posted(s.joined, s.room, `@${s.owner.user.username} ${words}`);
  // The blocker is not told of the blocked member's mention.
  assert.equal((await mentionsOf(s.owner)).length, 0);
  const seen = (await history(s.owner, s.room)).json().messages.find((m: MessageJson) => m.id === message.id);
  assert.deepEqual([seen.withheld, seen.body, seen.author], [true, null, null]);
  assert.equal((await history(third, s.room)).json().messages.at(-1).body, `@${s.owner.user.username} ${words}`);
  assert.deepEqual(await found(s.owner, words), []);
  assert.equal((await found(third, words)).length, 1);
  // Reacting across the block changes nothing, and says nothing.
  assert.equal((await s.owner.api.api('PUT', `/api/v1/messages/${message.id}/reactions/hug`)).status, 200);
  const reactions = await rt.ctx.db
    .selectFrom('chat_reactions')
    .select('kind')
    .where('message_id', '=', message.id)
    .execute();
  assert.deepEqual(reactions, []);
  // The other way too: the blocked member is not told of the blocker's mentions.
  await posted(s.owner, s.room, `@${s.joined.user.username} hello`);
  assert.equal((await mentionsOf(s.joined)).length, 0);
  // Withheld messages are not counted as unread.
  const unread = await unreadCounts(
    serviceContext(rt.ctx),
    { ...asMember(s.owner.user), blocked: new Set([s.joined.user.id]) },
    [s.room],
  );
  assert.equal(unread.get(s.room), undefined);
});

test('a deleted account takes its messages’ words out of the search index, anonymous ones too', async () => {
  const s = await scene({ anonymousPosting: true });
  const named = await posted(s.joined, s.room, 'Quincemarmalade named');
  const hidden = await say(s.joined, s.room, { body: 'Quincemarmalade unnamed', anonymous: true });
  assert.equal(hidden.status, 201, hidden.body);
  assert.equal((await found(s.owner, 'Quincemarmalade')).length, 2);
  const deleted = await s.joined.api.api('DELETE', '/api/v1/me', { current: defaultPassphrase });
  assert.equal(deleted.status, 204, deleted.body);
  assert.deepEqual(await wordsInDatabase('Quincemarmalade'), { messages: 0, documents: 0 });
  assert.deepEqual(await found(s.owner, 'Quincemarmalade'), []);
  assert.equal((await s.owner.api.get(`/messages/${named.id}`)).status, 404);
});
