// A hostile review of the chat API on both engines: what the merged parts let slip, each problem
// proved here before its fix. A request's sender and its words when the first message is gone, an
// anonymous author's place in the chat, a sender telling a decline from a block, and messages with
// nothing visible in them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createConversationRow, createRoomRow } from '../../../test/support/chat.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

type Person = Awaited<ReturnType<typeof member>>;

const start = (from: Person, usernames: string[], body = 'Hello, may we talk?') =>
  from.api.api('POST', '/api/v1/conversations', { usernames, body });

async function shareGroup(owner: Person, ...others: Person[]) {
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  for (const o of others) assert.equal((await o.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  return group.id;
}

test('a request whose first message was unsent names nobody else as its sender, and blocks nobody else', async () => {
  const [a, b, c] = [await member(rt, 'a'), await member(rt, 'b'), await member(rt, 'c')];
  await shareGroup(a, b, c);
  // A and C have talked before, so C joins A's new conversation at once; B is asked.
  await createConversationRow(rt, [{ userId: a.user.id }, { userId: c.user.id }]);
  const started = await start(a, [b.user.username, c.user.username], 'words from a');
  assert.equal(started.status, 201);
  const { conversation, message } = started.json();
  const reply = await c.api.api('POST', `/api/v1/conversations/${conversation.id}/messages`, { body: 'words from c' });
  assert.equal(reply.status, 201);
  assert.equal((await a.api.api('DELETE', `/api/v1/messages/${message.id}`)).status, 204);

  const [request] = (await b.api.get('/api/v1/conversation-requests')).json().requests;
  assert.equal(request.id, conversation.id);
  assert.notDeepEqual(request.from, { id: c.user.id, username: c.user.username }, 'C did not write first');
  assert.notEqual(request.excerpt, 'words from c', 'C’s reply is not the request’s first message');
  assert.equal(request.excerpt, null);

  const declined = await b.api.api('POST', `/api/v1/conversation-requests/${conversation.id}/decline`, { block: true });
  assert.equal(declined.status, 204);
  const blocked = (await b.api.get('/api/v1/blocks')).json().blocks.map((x: { userId: string }) => x.userId);
  assert.ok(!blocked.includes(c.user.id), 'declining and blocking does not block someone who did not write first');
});

test('with one other person the sender of a request is certain, even once its first message is gone', async () => {
  const [a, b] = [await member(rt, 'a'), await member(rt, 'b')];
  await shareGroup(a, b);
  const started = await start(a, [b.user.username], 'soon taken back');
  const { conversation, message } = started.json();
  assert.equal((await a.api.api('DELETE', `/api/v1/messages/${message.id}`)).status, 204);
  const [request] = (await b.api.get('/api/v1/conversation-requests')).json().requests;
  assert.deepEqual(request.from, { id: a.user.id, username: a.user.username });
  assert.equal(request.excerpt, null);
  assert.equal(
    (await b.api.api('POST', `/api/v1/conversation-requests/${conversation.id}/decline`, { block: true })).status,
    204,
  );
  const blocked = (await b.api.get('/api/v1/blocks')).json().blocks.map((x: { userId: string }) => x.userId);
  assert.deepEqual(blocked, [a.user.id]);
});

test('an anonymous message leaves no trace of its author in their place in the chat', async () => {
  const owner = await member(rt, 'own');
  const writer = await member(rt, 'anon');
  const groupId = await shareGroup(owner, writer);
  assert.equal(
    (await owner.api.api('PATCH', `/api/v1/groups/${groupId}`, { anonymousPosting: true })).status,
    200,
    'the group allows anonymous posts',
  );
  const room = await createRoomRow(rt, { groupId });
  assert.equal((await owner.api.api('POST', `/api/v1/rooms/${room}/messages`, { body: 'named' })).status, 201);
  const anonymous = await writer.api.api('POST', `/api/v1/rooms/${room}/messages`, {
    body: 'said without a name',
    anonymous: true,
  });
  assert.equal(anonymous.status, 201, anonymous.body);
  const position = anonymous.json().message.position;
  const places = await rt.ctx.db
    .selectFrom('chat_reads')
    .select(['user_id', 'read_seq'])
    .where('chat_id', '=', room)
    .execute();
  assert.deepEqual(
    places.filter((p) => Number(p.read_seq) === position),
    [],
    'no account’s place points at the anonymous message it just wrote',
  );
  // Their own anonymous message is still not unread to them.
  const rooms = await writer.api.get(`/api/v1/rooms/${room}/messages`);
  assert.equal(rooms.status, 200);
});

test('a sender cannot tell a decline from a decline and block by writing to them again', async () => {
  const sender = await member(rt, 'snd');
  const [declines, blocks] = [await member(rt, 'dec'), await member(rt, 'blk')];
  await shareGroup(sender, declines, blocks);
  const ids: Record<string, string> = {};
  for (const [key, who] of Object.entries({ declines, blocks })) {
    const started = await start(sender, [who.user.username]);
    assert.equal(started.status, 201);
    ids[key] = started.json().conversation.id;
  }
  assert.equal(
    (await declines.api.api('POST', `/api/v1/conversation-requests/${ids.declines}/decline`, {})).status,
    204,
  );
  assert.equal(
    (await blocks.api.api('POST', `/api/v1/conversation-requests/${ids.blocks}/decline`, { block: true })).status,
    204,
  );
  const again = {
    declines: await start(sender, [declines.user.username], 'once more'),
    blocks: await start(sender, [blocks.user.username], 'once more'),
  };
  assert.equal(again.declines.status, 201);
  assert.equal(again.blocks.status, again.declines.status, 'the same answer after a decline and after a block');
  assert.equal(again.blocks.json().conversation.id, ids.blocks, 'it goes where it went before, read by nobody');
  // The one who blocked is not asked again and reads none of it.
  assert.deepEqual((await blocks.api.get('/api/v1/conversation-requests')).json().requests, []);
  assert.equal((await blocks.api.get(`/api/v1/conversations/${ids.blocks}/messages`)).status, 404);
  // A new conversation with someone who blocked is still refused, as any other refusal.
  const third = await member(rt, 'thr');
  await shareGroup(sender, third);
  assert.equal((await start(sender, [blocks.user.username, third.user.username])).status, 422);
});

test('a message with nothing visible in it is refused like an empty one', async () => {
  const owner = await member(rt, 'own');
  const room = await createRoomRow(rt, { groupId: await shareGroup(owner) });
  for (const body of ['\u200b\u200b', '\u202e\u2066', '\u2060 \u200d', '\u3164', ' \u200f\n\u200e ']) {
    const response = await owner.api.api('POST', `/api/v1/rooms/${room}/messages`, { body });
    assert.equal(response.status, 422, JSON.stringify(body));
    assert.deepEqual(
      response.json().error.fields.map((f: { field: string }) => f.field),
      ['body'],
    );
  }
  // Words around such characters are words.
  assert.equal((await owner.api.api('POST', `/api/v1/rooms/${room}/messages`, { body: 'سلام\u200c' })).status, 201);
});
