import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { TestClient } from '../../test/support/client.js';
import { createUser, defaultPassphrase } from '../../test/support/seed.js';
import { buildApp, type App } from '../http/app.js';

// A Redis server of this test's own, on a free port, that it kills and freezes.
const servers: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  servers.push(child);
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return child;
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGCONT');
  child.kill('SIGKILL');
  await exited;
}

let port: number;
let rt: TestRuntime;
let app: App;
const logLines: string[] = [];

before(async () => {
  port = await freePort();
  await startRedis(port);
  rt = await createTestRuntime({ redisUrl: `redis://127.0.0.1:${port}`, logLevel: 'info' });
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  app = await buildApp(rt.ctx, { logStream });
  await app.ready();
});

after(async () => {
  await app?.close();
  await rt?.close();
  for (const child of servers) await stopRedis(child);
});

const outages = () => logLines.filter((line) => line.includes('Rate-limit store unreachable')).length;
const recoveries = () => logLines.filter((line) => line.includes('Rate-limit store reachable again')).length;

/** Sends a mix of requests and returns the slowest time; a request that never answers counts as 5 s. */
async function slowestOf(client: TestClient, username: string, rounds: number): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < rounds; i++) {
    for (const send of [
      () => client.get('/healthz'),
      () => client.get('/'),
      () => client.api('POST', '/api/v1/auth/login', { username, passphrase: `wrong guess ${i}` }),
    ]) {
      const started = performance.now();
      const answered = await Promise.race([send().then(() => true), sleep(5000).then(() => false)]);
      slowest = Math.max(slowest, answered ? performance.now() - started : 5000);
    }
  }
  return slowest;
}

/**
 * What /readyz says of the rate-limit store. The real-time bus shares the Redis server and reports
 * its own state beside it (`realtime`, `realtime-bus`), noticed on its own schedule; chat's tests
 * hold it to that.
 */
async function readiness(client: TestClient) {
  const res = await client.get('/readyz');
  const { realtime: _realtime, degraded, ...body } = res.json() as { realtime: unknown; degraded?: string[] };
  const store = (degraded ?? []).filter((d) => d !== 'realtime-bus');
  return { status: res.status, body: store.length ? { ...body, degraded: store } : body };
}

test('with Redis killed, then frozen, every request still answers within milliseconds', async () => {
  const client = new TestClient(app);
  const user = await createUser(rt, { username: 'redis_outage_member' });
  assert.ok((await slowestOf(client, user.username, 2)) < 500);
  assert.deepEqual(await readiness(client), { status: 200, body: { status: 'ok' } });

  // Killed: connections are refused.
  await stopRedis(servers[0]!);
  await sleep(50);
  const afterKill = await slowestOf(client, user.username, 6);
  assert.ok(afterKill < 500, `slowest request with Redis dead took ${Math.round(afterKill)} ms`);
  assert.deepEqual(await readiness(client), { status: 200, body: { status: 'ok', degraded: ['rate-limit-store'] } });
  assert.equal(outages(), 1, 'one log line for the outage');
  const login = await client.submit('/login', '/login', {
    username: user.username,
    passphrase: defaultPassphrase,
    next: '/',
  });
  assert.equal(login.status, 303, 'members still sign in; limits are counted in memory');

  // Back: limits are shared again, and that is logged once.
  await startRedis(port);
  for (let i = 0; i < 100 && rt.ctx.limits.degraded; i++) await sleep(50);
  assert.equal(rt.ctx.limits.degraded, false);
  assert.equal(recoveries(), 1);
  assert.deepEqual(await readiness(client), { status: 200, body: { status: 'ok' } });

  // Frozen (SIGSTOP): the connection stays open but nothing answers.
  servers[1]!.kill('SIGSTOP');
  const afterFreeze = await slowestOf(client, user.username, 6);
  assert.ok(afterFreeze < 500, `slowest request with Redis frozen took ${Math.round(afterFreeze)} ms`);
  assert.deepEqual(await readiness(client), { status: 200, body: { status: 'ok', degraded: ['rate-limit-store'] } });
  assert.equal(outages(), 2, 'one more log line, for the second outage only');
  for (const line of logLines.filter((l) => l.includes('Rate-limit store'))) {
    assert.doesNotMatch(line, /127\.0\.0\.1|redis_outage_member|"url"|"ip"/, 'no address or person in the log');
  }
});

test('starting while Redis is unreachable serves at once, with limits in memory', async () => {
  const deadPort = await freePort();
  const started = await createTestRuntime({ redisUrl: `redis://127.0.0.1:${deadPort}` });
  try {
    const client = new TestClient(started.app);
    const slowest = await slowestOf(client, 'nobody_here', 2);
    assert.ok(slowest < 500, `slowest request took ${Math.round(slowest)} ms`);
    assert.deepEqual(await readiness(client), { status: 200, body: { status: 'ok', degraded: ['rate-limit-store'] } });
    // Chat's bus never reached Redis either: said beside it, and chat stays live on this instance.
    const ready = (await client.get('/readyz')).json();
    assert.deepEqual(ready.realtime, { backend: 'redis', connected: false });
    assert.ok(ready.degraded.includes('realtime-bus'));
  } finally {
    await started.close();
  }
});
