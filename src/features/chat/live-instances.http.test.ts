// Two instances on one database meet only through the bus (ADR 0061): once through Redis
// publish/subscribe (on both engines) and once through PostgreSQL LISTEN/NOTIFY (PostgreSQL only).
// Each runtime has its own signals, so a message posted on one reaches the other's sockets only
// across the bus. Delivery, resume on the other instance, revocation on A closing B's socket within
// a second, and a Redis restarted mid-conversation (a Redis of the test's own) with nothing lost.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import type { Runtime } from '../../bootstrap.js';
import { createTestRuntime, testEngine, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member } from '../../../test/support/community.js';
import { createRoomRow } from '../../../test/support/chat.js';
import { LiveClient, liveUrl } from '../../../test/support/live.js';
import { TestClient } from '../../../test/support/client.js';
import { serviceContext, type AppContext } from '../../app-context.js';
import type { Config } from '../../config.js';
import { buildApp, type App } from '../../http/app.js';
import { loadModules } from '../../platform/modules.js';
import { startProcess } from '../../process.js';
import type { Member } from '../../security/actor.js';
import { postMessage } from './service.js';

const run = `${process.pid}_${Date.now().toString(36)}`;
const machineRedis = process.env.SANAD_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const redisServer = '/usr/bin/redis-server';

interface Pair {
  a: TestRuntime;
  b: Runtime;
  bApp: App;
  bCtx: AppContext;
  urlA: string;
  urlB: string;
  bLog: string[];
  close(): Promise<void>;
}

/** Instance A (the test runtime, with event delivery) and instance B (a peer on the same database). */
async function twoInstances(overrides: Partial<Config>): Promise<Pair> {
  const a = await createTestRuntime(overrides);
  const b = await a.peer();
  const bLog: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => bLog.push(...chunk.toString().split('\n').filter(Boolean)));
  // B logs (the bus's outage and recovery are read from it); A stays quiet.
  const bCtx: AppContext = { ...b.ctx, config: { ...b.ctx.config, logLevel: 'info' } };
  const bApp = await buildApp(bCtx, { logStream: stream });
  const urlA = await liveUrl(a.app);
  const urlB = await liveUrl(bApp);
  return {
    a,
    b,
    bApp,
    bCtx,
    urlA,
    urlB,
    bLog,
    async close() {
      await bApp.close();
      await a.close();
    },
  };
}

const asMember = (user: { id: string; username: string }): Member => ({
  kind: 'user',
  id: user.id,
  username: user.username,
  role: 'member',
  trust: 'member',
});

async function roomWithTwo(rt: TestRuntime) {
  const owner = await member(rt, 'own');
  const other = await member(rt, 'oth');
  const group = await createGroupAs(owner.api, { visibility: 'private' });
  await rt.ctx.db
    .insertInto('group_members')
    .values({ group_id: group.id, user_id: other.user.id, role: 'member', joined_at: rt.ctx.now() })
    .execute();
  const room = await createRoomRow(rt, { groupId: group.id });
  return { owner, other, group, room };
}

const postOn = (ctx: AppContext, user: { id: string; username: string }, chatId: string, body: string) =>
  postMessage(serviceContext(ctx), asMember(user), chatId, { body });

async function closesWithin(client: LiveClient, act: () => Promise<unknown>) {
  const start = performance.now();
  await act();
  const code = await client.closed;
  return { code, ms: performance.now() - start };
}

function busScenario(name: string, overrides: () => Partial<Config>) {
  test(`${name}: messages cross instances both ways, and a client resumes on the other instance`, async () => {
    const pair = await twoInstances(overrides());
    try {
      const { owner, other, room } = await roomWithTwo(pair.a);
      const onB = await LiveClient.bearer(pair.urlB, other.api.bearer!);
      const onA = await LiveClient.bearer(pair.urlA, owner.api.bearer!);
      await onB.subscribe(room);
      await onA.subscribe(room);

      onA.send({ type: 'send', chatId: room, ref: 'a1', body: 'from A' });
      assert.equal((await onA.next((f) => f.ref === 'a1')).type, 'sent');
      assert.equal((await onB.next((f) => f.type === 'message')).message.body, 'from A');
      await postOn(pair.b.ctx, other.user, room, 'from B');
      assert.equal((await onA.next((f) => f.message?.body === 'from B')).message.author.username, other.user.username);
      assert.equal((await onB.next((f) => f.type === 'message')).message.body, 'from B');

      // B's client drops, three messages are posted on A, and it resumes on A from what it saw.
      onB.socket.terminate();
      await onB.closed;
      for (const body of ['x', 'y', 'z']) await postOn(pair.a.ctx, owner.user, room, body);
      const again = await LiveClient.bearer(pair.urlA, other.api.bearer!);
      const { frames, end } = await again.subscribe(room, 2);
      assert.deepEqual(
        frames.map((f) => f.message.body),
        ['x', 'y', 'z'],
      );
      assert.equal(end.seq, 5);
      await again.close();
      await onA.close();

      const ready = await new TestClient(pair.bApp).get('/readyz');
      assert.deepEqual(ready.json().realtime, { backend: name, connected: true });
    } finally {
      await pair.close();
    }
  });

  // A worker is another process. On SQLite, three connections to one file inside one test process
  // stall each other: better-sqlite3 waits for a lock synchronously, holding the very event loop the
  // lock's holder needs to commit. Separate processes do not; PostgreSQL runs this test in full.
  test(`${name}: a worker-only process publishes what changes there`, {
    skip: testEngine() === 'sqlite' ? 'needs separate processes on SQLite; run on PostgreSQL' : false,
  }, async () => {
    const pair = await twoInstances(overrides());
    try {
      const { owner, other, room } = await roomWithTwo(pair.a);
      const peer = await pair.a.peer();
      const worker = await startProcess(
        { ...peer, ctx: { ...peer.ctx, config: { ...peer.ctx.config, processMode: 'worker' } } },
        await loadModules(),
      );
      try {
        assert.equal(worker.app, null);
        const onA = await LiveClient.bearer(pair.urlA, other.api.bearer!);
        await onA.subscribe(room);
        await postOn(peer.ctx, owner.user, room, 'from a worker');
        assert.equal((await onA.next((f) => f.type === 'message')).message.body, 'from a worker');
        await onA.close();
      } finally {
        await worker.background?.stop();
      }
    } finally {
      await pair.close();
    }
  });

  test(`${name}: signing out, removal from the group and a block on A close B's sockets within a second`, async () => {
    const pair = await twoInstances(overrides());
    try {
      const { owner, other, group, room } = await roomWithTwo(pair.a);
      let onB = await LiveClient.bearer(pair.urlB, other.api.bearer!);
      await onB.subscribe(room);
      const removed = await closesWithin(onB, () =>
        owner.api.api('DELETE', `/api/v1/groups/${group.id}/members/${other.user.id}`),
      );
      assert.equal(removed.code, 4001);
      assert.ok(removed.ms < 1000, `removal closed B's socket after ${Math.round(removed.ms)} ms`);
      onB = await LiveClient.bearer(pair.urlB, other.api.bearer!);
      assert.equal((await onB.subscribe(room)).end.code, 'not_found', 'asked afresh: the room is gone for them');

      const blocked = await closesWithin(onB, () => owner.api.api('POST', '/api/v1/blocks', { userId: other.user.id }));
      assert.equal(blocked.code, 4001);
      assert.ok(blocked.ms < 1000, `a block closed B's socket after ${Math.round(blocked.ms)} ms`);

      onB = await LiveClient.bearer(pair.urlB, other.api.bearer!);
      const signedOut = await closesWithin(onB, () => other.api.api('POST', '/api/v1/auth/logout', {}));
      assert.equal(signedOut.code, 4401);
      assert.ok(signedOut.ms < 1000, `signing out closed B's socket after ${Math.round(signedOut.ms)} ms`);
    } finally {
      await pair.close();
    }
  });
}

busScenario('redis', () => ({
  redisUrl: machineRedis,
  realtimeChannel: `t_redis_${run}_${Math.random().toString(36).slice(2, 8)}`,
}));
if (testEngine() === 'postgres') {
  busScenario('postgres', () => ({ realtimeChannel: `t_pg_${run}_${Math.random().toString(36).slice(2, 8)}` }));

  test('postgres: a dropped LISTEN connection comes back and catches up from the database', async () => {
    const channel = `t_pgdrop_${run}`;
    const pair = await twoInstances({ realtimeChannel: channel });
    try {
      const { owner, other, room } = await roomWithTwo(pair.a);
      const onB = await LiveClient.bearer(pair.urlB, other.api.bearer!);
      await onB.subscribe(room);
      // Every listener on this run's channel is cut off (A's and B's), as a restarted database would.
      const cut =
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = ${`LISTEN "${channel}"`}`.execute(
          pair.a.ctx.db,
        );
      assert.equal(cut.rows.length, 2, 'A’s and B’s listeners');
      for (const body of ['while', 'it', 'reconnects']) await postOn(pair.a.ctx, owner.user, room, body);
      const bodies: string[] = [];
      while (bodies.length < 3) bodies.push((await onB.next((f) => f.type === 'message', 10_000)).message.body);
      assert.deepEqual(bodies, ['while', 'it', 'reconnects']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(onB.rest(), [], 'nothing twice');
      await onB.close();
    } finally {
      await pair.close();
    }
  });
}

/** A Redis server of this test's own, which it may stop and start again. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    redisServer,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const until = Date.now() + 5000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return child;
    if (Date.now() > until) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) await stopRedis(child);
});

test('Redis restarted mid-conversation: nothing is lost, and the log says so once each way', {
  skip: !fs.existsSync(redisServer) && 'no redis-server here',
}, async () => {
  const port = await freePort();
  let redis = await startRedis(port);
  children.push(redis);
  const pair = await twoInstances({ redisUrl: `redis://127.0.0.1:${port}`, realtimeChannel: `t_restart_${run}` });
  try {
    const { owner, other, room } = await roomWithTwo(pair.a);
    const onB = await LiveClient.bearer(pair.urlB, other.api.bearer!);
    await onB.subscribe(room);
    await postOn(pair.a.ctx, owner.user, room, 'before');
    assert.equal((await onB.next((f) => f.type === 'message')).message.body, 'before');

    await stopRedis(redis);
    const web = new TestClient(pair.bApp);
    for (let i = 0; (await web.get('/readyz')).json().realtime.connected; i++) {
      assert.ok(i < 100, 'B notices that Redis is gone');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const down = (await web.get('/readyz')).json();
    assert.equal(down.status, 'ok', 'chat still works on each instance');
    assert.deepEqual(down.realtime, { backend: 'redis', connected: false });
    assert.ok(down.degraded.includes('realtime-bus'));

    for (const body of ['during 1', 'during 2', 'during 3']) await postOn(pair.a.ctx, owner.user, room, body);
    // Chat keeps working on one instance: a client on A gets them at once.
    const onA = await LiveClient.bearer(pair.urlA, owner.api.bearer!);
    const catchUp = await onA.subscribe(room, 1);
    assert.deepEqual(
      catchUp.frames.map((f) => f.message.body),
      ['during 1', 'during 2', 'during 3'],
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(onB.rest(), [], 'nothing crossed while Redis was down');

    redis = await startRedis(port);
    children.push(redis);
    const bodies: string[] = [];
    while (bodies.length < 3) bodies.push((await onB.next((f) => f.type === 'message', 10_000)).message.body);
    assert.deepEqual(bodies, ['during 1', 'during 2', 'during 3']);
    await postOn(pair.a.ctx, owner.user, room, 'after');
    assert.equal((await onB.next((f) => f.type === 'message')).message.body, 'after');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(onB.rest(), [], 'nothing twice');

    const said = (text: string) => pair.bLog.filter((line) => line.includes(text)).length;
    assert.equal(said('Real-time bus (Redis) unreachable'), 1, pair.bLog.join('\n'));
    assert.equal(said('Real-time bus (Redis) reachable again'), 1, pair.bLog.join('\n'));
    assert.deepEqual((await web.get('/readyz')).json().realtime, { backend: 'redis', connected: true });
    await onA.close();
    await onB.close();
  } finally {
    await pair.close();
  }
});
