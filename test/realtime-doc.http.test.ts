// docs/REALTIME.md, taken at its word: a bearer token from the sign-in API, the document's example
// client (docs/examples/live-client.mjs) following a room, messages sent as the document says, and
// a dropped connection that the example client resumes by itself without gaps or repeats.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';
import { createGroupAs } from './support/community.js';
import { createRoomRow } from './support/chat.js';
import { TestClient } from './support/client.js';
import { liveUrl } from './support/live.js';
import { createUser } from './support/seed.js';
// @ts-expect-error: the example is plain JavaScript, as a reader of the document would write it
import { follow } from '../docs/examples/live-client.mjs';

let rt: TestRuntime;
let origin: string;
before(async () => {
  rt = await createTestRuntime();
  origin = (await liveUrl(rt.app)).replace('ws:', 'http:').replace('/api/v1/live', '');
});
after(async () => rt.close());

// Frames as the document describes them, read field by field.
type Frame = Record<string, any>;

async function signIn(username: string): Promise<{ token: string; api: TestClient }> {
  const user = await createUser(rt, { username });
  const api = new TestClient(rt.app);
  const response = await api.api('POST', '/api/v1/auth/login', { username, passphrase: user.passphrase });
  assert.equal(response.status, 200, response.body);
  api.bearer = response.json().token;
  return { token: response.json().token, api };
}

/** Sends one `send` frame on a connection of its own and waits for `sent`, as the document says. */
function sendOnce(token: string, chatId: string, body: string, ref: string): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/api/v1/live`, {
      headers: { authorization: `Bearer ${token}` },
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'send', chatId, ref, body })));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.ref !== ref) return;
      socket.close();
      if (frame.type === 'sent') resolve(frame);
      else reject(new Error(JSON.stringify(frame)));
    });
    socket.on('error', reject);
  });
}

const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test('the document’s example client follows a room, and resumes after a drop without gaps or repeats', async () => {
  const writer = await signIn(`docw${process.pid}`);
  const reader = await signIn(`docr${process.pid}`);
  const group = await createGroupAs(writer.api, { visibility: 'public' });
  assert.equal((await reader.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  const room = await createRoomRow(rt, { groupId: group.id });

  const frames: Frame[] = [];
  const opened: Frame[] = [];
  const client = follow({
    origin,
    token: reader.token,
    chatId: room,
    onFrame: (frame: Frame) => frames.push(frame),
    onOpen: (frame: Frame) => opened.push(frame),
  });
  await until(() => opened.length === 1);
  assert.deepEqual(opened[0], { type: 'subscribed', chatId: room, seq: 0 });

  const sent = await sendOnce(writer.token, room, 'مرحبا, hello', 'w1');
  await until(() => frames.length === 1);
  assert.equal(frames[0]!.type, 'message');
  assert.equal(frames[0]!.message.id, sent.messageId);
  assert.equal(frames[0]!.message.body, 'مرحبا, hello');
  assert.equal(frames[0]!.message.seq, sent.seq);
  const expected = ['مرحبا, hello'];

  // A message posted over HTTP arrives the same way (where the server has the messages API).
  const openapi = (await new TestClient(rt.app).get('/api/v1/openapi.json')).json();
  if (openapi.paths['/api/v1/rooms/{id}/messages']?.post) {
    const posted = await writer.api.api('POST', `/api/v1/rooms/${room}/messages`, { body: 'over HTTP' });
    assert.equal(posted.status, 201, posted.body);
    expected.push('over HTTP');
    await until(() => frames.length === expected.length);
  }

  // The connection drops (the network, a restart): the example client reconnects after a second
  // and resumes from the highest seq it saw, while messages keep coming.
  for (const socket of rt.app.websocketServer.clients) socket.terminate();
  for (const [i, body] of ['two', 'three', 'four'].entries()) await sendOnce(writer.token, room, body, `w${i + 2}`);
  expected.push('two', 'three', 'four');
  await until(() => opened.length === 2);
  await until(() => frames.length === expected.length);
  await sendOnce(writer.token, room, 'five', 'w5');
  expected.push('five');
  await until(() => frames.length === expected.length);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(
    frames.map((f) => f.message.body),
    expected,
  );
  assert.deepEqual(
    frames.map((f) => f.message.seq),
    expected.map((_, i) => i + 1),
  );
  assert.equal(client.lastSeq(), expected.length);
  client.stop();
});
