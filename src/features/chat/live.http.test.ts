// The real-time connection on one instance, on both engines (docs/REALTIME.md, ADR 0061): who may
// connect, subscribe and receive every kind of change, resume without gaps or repeats, bad frames
// and their close codes, the per-member limit answered without a disconnect, bursts that do not
// block the event loop, and rechecks that close connections within a second.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { createConversationRow, createRoomRow } from '../../../test/support/chat.js';
import { LiveClient, liveUrl } from '../../../test/support/live.js';
import { serviceContext } from '../../app-context.js';
import { inTransaction } from '../../db/database.js';
import { announceChange } from '../../realtime/signal.js';
import type { Member } from '../../security/actor.js';
import { createSession } from '../../security/sessions.js';
import { liveHubOf } from './live-routes.js';
import { nextSeq } from './queries.js';
import { postMessage } from './service.js';
import ar from './messages/live.ar.json' with { type: 'json' };

let rt: TestRuntime;
let url: string;
before(async () => {
  rt = await createTestRuntime();
  url = await liveUrl(rt.app);
});
after(async () => rt.close());

const asMember = (user: { id: string; username: string }): Member => ({
  kind: 'user',
  id: user.id,
  username: user.username,
  role: 'member',
  trust: 'member',
});
type Person = Awaited<ReturnType<typeof member>>;
const tokenOf = (person: Person) => person.api.bearer!;
const post = (person: Person, chatId: string, body: string) =>
  postMessage(serviceContext(rt.ctx), asMember(person.user), chatId, { body });

/** An edit or an unsend as the messages part's services make them: a new change number, then the signal. */
async function revise(chatId: string, messageId: string, change: 'edit' | 'unsend', body = 'edited') {
  const ctx = serviceContext(rt.ctx);
  await inTransaction(ctx.db, async (trx) => {
    const seq = await nextSeq(trx, chatId);
    await trx
      .updateTable('chat_messages')
      .set(
        change === 'edit'
          ? { body, edited_at: ctx.now, changed_seq: seq }
          : { kind: 'unsent', body: null, author_id: null, warning: null, changed_seq: seq },
      )
      .where('id', '=', messageId)
      .execute();
    announceChange({ db: trx, signals: ctx.signals }, chatId, seq);
  });
}

/** A public group with a room, its owner and one more member. */
async function roomWithTwo() {
  const owner = await member(rt, 'own');
  const other = await member(rt, 'oth');
  const group = await createGroupAs(owner.api, { visibility: 'public' });
  assert.equal((await other.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  const room = await createRoomRow(rt, { groupId: group.id });
  return { owner, other, group, room };
}

test('a visitor, a bad token and another site’s page are refused before the upgrade', async () => {
  await assert.rejects(LiveClient.connect(url), { status: 401 });
  await assert.rejects(LiveClient.bearer(url, 'not-a-token'), { status: 401 });
  const someone = await member(rt, 'coo');
  const cookieToken = (await createSession(serviceContext(rt.ctx), someone.user.id, 'Test · Linux')).token;
  const cookie = { cookie: `sanad_session=${cookieToken}` };
  await assert.rejects(LiveClient.connect(url, { ...cookie, origin: 'https://evil.example' }), { status: 403 });
  await assert.rejects(LiveClient.connect(url, cookie), { status: 403 }, 'a cookie without Origin is refused too');
  const own = await LiveClient.connect(url, { ...cookie, origin: new URL(url).origin.replace('ws:', 'http:') });
  assert.equal(own.socket.readyState, WebSocket.OPEN);
  await own.close();
});

test('subscribers receive new, edited and unsent messages, and `send` answers `sent`', async () => {
  const { owner, other, room } = await roomWithTwo();
  const reader = await LiveClient.bearer(url, tokenOf(other));
  const writer = await LiveClient.bearer(url, tokenOf(owner));
  assert.deepEqual((await reader.subscribe(room)).end, { type: 'subscribed', chatId: room, seq: 0 });
  await writer.subscribe(room);

  const first = await post(owner, room, 'hello **all**');
  const arrived = await reader.next((f) => f.type === 'message');
  assert.equal(arrived.chatId, room);
  assert.equal(arrived.message.id, first.messageId);
  assert.equal(arrived.message.seq, 1);
  assert.equal(arrived.message.body, 'hello **all**');
  assert.match(arrived.message.html, /<strong>all<\/strong>/);
  assert.equal(arrived.message.author.username, owner.user.username);
  assert.equal(arrived.message.mine, false);
  const own = await writer.next((f) => f.type === 'message');
  assert.equal(own.message.mine, true, 'each connection gets the message presented for its reader');

  writer.send({ type: 'send', chatId: room, ref: 'r-1', body: 'sent live' });
  const sent = await writer.next((f) => f.type === 'sent');
  assert.equal(sent.ref, 'r-1');
  assert.equal(sent.seq, 2);
  const live = await reader.next((f) => f.type === 'message');
  assert.equal(live.message.id, sent.messageId);
  assert.equal(live.message.body, 'sent live');

  await revise(room, first.messageId, 'edit', 'hello again');
  const edited = await reader.next((f) => f.type === 'message');
  assert.equal(edited.message.id, first.messageId);
  assert.equal(edited.message.seq, 3);
  assert.equal(edited.message.body, 'hello again');
  assert.notEqual(edited.message.editedAt, null);

  await revise(room, first.messageId, 'unsend');
  const unsent = await reader.next((f) => f.type === 'message');
  assert.equal(unsent.message.kind, 'unsent');
  assert.equal(unsent.message.body, null);
  assert.equal(unsent.message.html, null);
  assert.equal(unsent.message.seq, 4);

  // Validation as the API words it, and nothing posted.
  writer.send({ type: 'send', chatId: room, ref: 'r-2', body: '   ' });
  const refused = await writer.next((f) => f.type === 'error');
  assert.equal(refused.code, 'validation_failed');
  assert.equal(refused.ref, 'r-2');
  assert.equal(refused.fields[0].field, 'body');
  await reader.close();
  await writer.close();
});

test('a dropped connection resumes from the last number seen, without gaps or repeats', async () => {
  const { owner, other, room } = await roomWithTwo();
  let client = await LiveClient.bearer(url, tokenOf(other));
  await client.subscribe(room);
  for (const body of ['one', 'two']) await post(owner, room, body);
  await client.next((f) => f.message?.body === 'two');
  const seen = Math.max(...client.frames.filter((f) => f.type === 'message').map((f) => f.message.seq as number));
  client.socket.terminate();
  await client.closed;

  for (const body of ['three', 'four', 'five']) await post(owner, room, body);
  client = await LiveClient.bearer(url, tokenOf(other));
  const { frames, end } = await client.subscribe(room, seen);
  assert.deepEqual(
    frames.map((f) => f.message.body),
    ['three', 'four', 'five'],
  );
  assert.deepEqual(end, { type: 'subscribed', chatId: room, seq: 5 });
  await post(owner, room, 'six');
  assert.equal((await client.next((f) => f.type === 'message')).message.body, 'six');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(client.rest(), [], 'nothing twice');

  // From before what the purge removed: reload instead.
  await rt.ctx.db.updateTable('chats').set({ purged_seq: 3 }).where('id', '=', room).execute();
  assert.deepEqual((await client.subscribe(room, 1)).end, { type: 'reset', chatId: room });
  await client.close();
});

test('a chat one cannot read answers not_found, in the connection’s language', async () => {
  const owner = await member(rt, 'own');
  const stranger = await member(rt, 'str');
  const hidden = await createGroupAs(owner.api, { visibility: 'hidden' });
  const hiddenRoom = await createRoomRow(rt, { groupId: hidden.id });
  const theirs = await createConversationRow(rt, [{ userId: owner.user.id }]);
  const client = await LiveClient.bearer(url, tokenOf(stranger), 'ar');
  for (const chatId of [hiddenRoom, theirs, 'no-such-chat']) {
    const { end } = await client.subscribe(chatId);
    assert.deepEqual(end, { type: 'error', code: 'not_found', message: ar['chat.live.notFound'], chatId });
  }
  client.send({ type: 'send', chatId: hiddenRoom, ref: 'x', body: 'hi' });
  const refused = await client.next((f) => f.ref === 'x');
  assert.equal(refused.code, 'not_found');
  // A public group's room is read by anyone signed in, but written only by its members.
  const open = await createGroupAs(owner.api, { visibility: 'public' });
  const openRoom = await createRoomRow(rt, { groupId: open.id });
  assert.equal((await client.subscribe(openRoom)).end.type, 'subscribed');
  client.send({ type: 'send', chatId: openRoom, ref: 'y', body: 'hi' });
  assert.equal((await client.next((f) => f.ref === 'y')).code, 'forbidden');
  await client.close();
});

test('bad frames close the connection with their codes', async () => {
  const someone = await member(rt, 'bad');
  const cases: [string, (c: LiveClient) => void, number][] = [
    ['binary', (c) => c.socket.send(Buffer.from('{"type":"subscribe"}')), 1003],
    ['malformed JSON', (c) => c.socket.send('{"type":'), 1007],
    ['unknown type', (c) => c.send({ type: 'typing', chatId: 'abc' }), 1007],
    ['a field of the wrong kind', (c) => c.send({ type: 'subscribe', chatId: 'abc', since: -1 }), 1007],
    ['an unknown field', (c) => c.send({ type: 'unsubscribe', chatId: 'abc', extra: 1 }), 1007],
    ['not an object', (c) => c.socket.send('[1,2]'), 1007],
    ['too big', (c) => c.send({ type: 'send', chatId: 'abc', ref: 'r', body: 'x'.repeat(17 * 1024) }), 1009],
  ];
  for (const [what, act, code] of cases) {
    const client = await LiveClient.bearer(url, tokenOf(someone));
    act(client);
    assert.equal(await client.closed, code, what);
  }
  // The server is still there for everyone.
  const after = await LiveClient.bearer(url, tokenOf(someone));
  assert.equal(after.socket.readyState, WebSocket.OPEN);
  await after.close();
});

test('sending too fast is answered rate_limited, in words, without a disconnect; others send on', async () => {
  const { owner, other, room } = await roomWithTwo();
  const fast = await LiveClient.bearer(url, tokenOf(other));
  for (let i = 0; i < 14; i++) fast.send({ type: 'send', chatId: room, ref: `f${i}`, body: `quick ${i}` });
  const answers = [];
  for (let i = 0; i < 14; i++) answers.push(await fast.next((f) => f.ref === `f${i}`));
  assert.equal(answers.filter((a) => a.type === 'sent').length, 10);
  const limited = answers.filter((a) => a.type === 'error');
  assert.equal(limited.length, 4);
  for (const a of limited) {
    assert.equal(a.code, 'rate_limited');
    assert.ok(a.retryAfter >= 1);
    assert.match(a.message, /faster than this site allows/);
  }
  assert.equal(fast.socket.readyState, WebSocket.OPEN);
  assert.equal((await fast.subscribe(room)).end.type, 'subscribed', 'still served');
  const calm = await LiveClient.bearer(url, tokenOf(owner));
  calm.send({ type: 'send', chatId: room, ref: 'c', body: 'my turn' });
  assert.equal((await calm.next((f) => f.ref === 'c')).type, 'sent');
  await fast.close();
  await calm.close();
});

test('10,000 messages pasted at once do not block the event loop', async () => {
  const { other, room } = await roomWithTwo();
  const flood = await LiveClient.bearer(url, tokenOf(other));
  const watcher = await LiveClient.bearer(url, tokenOf(other));
  const frames = Array.from({ length: 10_000 }, (_, i) =>
    JSON.stringify({ type: 'send', chatId: room, ref: `p${i}`, body: `line ${i}` }),
  );
  for (const frame of frames) flood.socket.send(frame);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  await flood.next((f) => f.ref === 'p9999', 30_000);
  let answered = 0;
  await (async () => {
    for (;;) {
      answered = flood.frames.filter((f) => typeof f.ref === 'string').length;
      if (answered >= 10_000) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  delay.disable();
  assert.equal(answered, 10_000, 'every frame is answered');
  assert.ok(flood.frames.filter((f) => f.type === 'sent').length <= 10, 'the per-member limit holds');
  assert.ok(delay.max / 1e6 < 250, `the longest stall was ${Math.round(delay.max / 1e6)} ms`);
  assert.equal(flood.socket.readyState, WebSocket.OPEN);
  assert.equal((await watcher.subscribe(room)).end.type, 'subscribed');
  await flood.close();
  await watcher.close();
});

test('signing out, leaving the group and a block close connections within a second; a deleted chat is gone', async () => {
  const { owner, other, group, room } = await roomWithTwo();
  const timed = async (client: LiveClient, act: () => Promise<unknown>) => {
    const start = performance.now();
    await act();
    const code = await client.closed;
    return { code, ms: performance.now() - start };
  };

  let client = await LiveClient.bearer(url, tokenOf(other));
  await client.subscribe(room);
  const left = await timed(client, () => other.api.api('POST', `/api/v1/groups/${group.id}/leave`, {}));
  assert.equal(left.code, 4001);
  assert.ok(left.ms < 1000, `closed after ${left.ms} ms`);
  client = await LiveClient.bearer(url, tokenOf(other));
  const { end } = await client.subscribe(room);
  assert.equal(end.type, 'subscribed', 'a public group’s room is still readable; the member is asked afresh');

  const blocked = await timed(client, () => owner.api.api('POST', '/api/v1/blocks', { userId: other.user.id }));
  assert.equal(blocked.code, 4001);
  assert.ok(blocked.ms < 1000, `closed after ${blocked.ms} ms`);

  client = await LiveClient.bearer(url, tokenOf(other));
  const signedOut = await timed(client, () => other.api.api('POST', '/api/v1/auth/logout', {}));
  assert.equal(signedOut.code, 4401);
  assert.ok(signedOut.ms < 1000, `closed after ${signedOut.ms} ms`);
  await assert.rejects(LiveClient.bearer(url, tokenOf(other)), { status: 401 });

  const watcher = await LiveClient.bearer(url, tokenOf(owner));
  await watcher.subscribe(room);
  await rt.ctx.db.deleteFrom('chats').where('id', '=', room).execute();
  rt.ctx.signals.send('change', { chatId: room, seq: 99 });
  assert.deepEqual(await watcher.next((f) => f.type === 'gone'), { type: 'gone', chatId: room });
  await watcher.close();
});

test('the sweep closes connections whose session ended without an event', async () => {
  const someone = await member(rt, 'swp');
  const client = await LiveClient.bearer(url, tokenOf(someone));
  await rt.ctx.db.deleteFrom('sessions').where('user_id', '=', someone.user.id).execute();
  // The sweep runs every minute; here it is run at once, as its timer would.
  await liveHubOf(rt.ctx)!.sweep();
  assert.equal(await client.closed, 4401);
});
