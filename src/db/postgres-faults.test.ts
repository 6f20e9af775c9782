import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { startRuntime, StartupError, type Runtime } from '../bootstrap.js';
import { loadConfig, type Config } from '../config.js';
import { buildApp, type App } from '../http/app.js';
import { createSession } from '../security/sessions.js';
import { serviceContext } from '../app-context.js';
import { newId } from '../security/tokens.js';
import { testPgUrl } from '../../test/support/runtime.js';
import { createUser } from '../../test/support/seed.js';

// Lost PostgreSQL connections: this file runs against PostgreSQL whatever the test engine.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-pg-faults-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function configFor(databaseUrl: string, env: Record<string, string> = {}): Config {
  return {
    ...loadConfig({ SANAD_DATA: work, LOG_LEVEL: 'silent', SANAD_SECRET_KEY: 'k'.repeat(40), ...env }),
    databaseUrl,
  };
}

async function serve(config: Config, pgSchema?: string): Promise<{ runtime: Runtime; app: App; bearer: string }> {
  const runtime = await startRuntime(config, pgSchema ? { pgSchema } : {});
  const app = await buildApp(runtime.ctx);
  await app.ready();
  const user = await createUser(runtime, {
    username: `fault_${newId()
      .slice(0, 6)
      .replace(/[^a-z0-9]/gi, 'x')}`,
  });
  const { token } = await createSession(serviceContext(runtime.ctx), user.id, 'Test · Linux');
  return { runtime, app, bearer: token };
}

/** A PostgreSQL server program: from PATH, else from Debian's versioned folder (where initdb lives there). */
function pgBinary(name: string): string {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .map((dir) => path.join(dir, name))
    .find((file) => fs.existsSync(file));
  if (onPath) return onPath;
  const versions = fs.existsSync('/usr/lib/postgresql')
    ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions.map((v) => `/usr/lib/postgresql/${v}/bin/${name}`).find((file) => fs.existsSync(file));
  assert.ok(found, `${name} not found: this test starts its own PostgreSQL server`);
  return found;
}

const me = (app: App, bearer: string) =>
  app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${bearer}` } });

test("terminating the server's own backends mid-request fails those requests, never the process", async () => {
  const schema = `t_${newId()
    .replace(/[^a-zA-Z0-9]/g, '')
    .toLowerCase()
    .slice(0, 16)}`;
  // A name of our own, so the test terminates only the backends it opened.
  const applicationName = `sanad_fault_${schema}`;
  const url = new URL(testPgUrl());
  url.searchParams.set('application_name', applicationName);
  const admin = new pg.Client({ connectionString: testPgUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const { runtime, app, bearer } = await serve(configFor(url.toString()), schema);
  try {
    assert.equal((await me(app, bearer)).statusCode, 200);
    for (let round = 0; round < 3; round++) {
      // A query holding its connection (checked out of the pool), and a burst of requests in flight.
      const sleeping = sql`select pg_sleep(5)`.execute(runtime.ctx.db).then(
        () => 'finished',
        () => 'failed',
      );
      const inFlight = Array.from({ length: 30 }, () => me(app, bearer));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      assert.ok(killed.rowCount! > 0, 'there were backends to terminate');
      assert.equal(await sleeping, 'failed', 'the query in flight fails');
      for (const response of await Promise.all(inFlight)) {
        assert.ok([200, 500].includes(response.statusCode), String(response.statusCode));
        if (response.statusCode === 500) assert.equal(response.json().error.code, 'internal');
      }
      // The pool replaces the lost connections by itself. An idle connection whose end the pool has
      // not yet noticed (on a busy machine) may fail one more request before it is dropped: at most
      // one per pooled connection, then every request succeeds.
      let failures = 0;
      for (let succeeded = 0; succeeded < 10; ) {
        const response = await me(app, bearer);
        if (response.statusCode === 200) succeeded++;
        else {
          assert.equal(response.json().error.code, 'internal');
          assert.ok(++failures <= 10, 'no more failures than pooled connections');
        }
      }
      assert.equal((await app.inject('/readyz')).statusCode, 200);
    }
  } finally {
    await app.close();
    await runtime.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
});

test('with PostgreSQL stopped /readyz answers 503 and requests fail cleanly; started again, all recovers', async () => {
  const cluster = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-pg-cluster-'));
  // PostgreSQL refuses to run as root: as root (CI) the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const asPostgres = (command: string, ...args: string[]) =>
    asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', pgBinary(command), ...args], {
          encoding: 'utf8',
          timeout: 60_000,
        })
      : spawnSync(pgBinary(command), args, { encoding: 'utf8', timeout: 60_000 });
  const port = await freePort();
  const ctl = (action: string) => {
    const result = asPostgres(
      'pg_ctl',
      '-D',
      `${cluster}/data`,
      '-l',
      `${cluster}/log`,
      '-w',
      '-m',
      'fast',
      '-o',
      `-p ${port} -k ${cluster} -c listen_addresses=127.0.0.1 -c fsync=off`,
      action,
    );
    assert.equal(result.status, 0, `pg_ctl ${action}: ${result.stderr}`);
  };
  if (asRoot) fs.chownSync(cluster, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), -1);
  const init = asPostgres(
    'initdb',
    '-D',
    `${cluster}/data`,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '--no-instructions',
  );
  assert.equal(init.status, 0, init.stderr);
  ctl('start');
  let served: Awaited<ReturnType<typeof serve>> | undefined;
  try {
    served = await serve(configFor(`postgres://postgres@127.0.0.1:${port}/postgres`));
    const { app, bearer } = served;
    assert.equal((await app.inject('/readyz')).statusCode, 200);

    ctl('stop');
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    // The database is the reason; the real-time backend's state is reported beside it as always.
    assert.equal(ready.json().status, 'unavailable');
    assert.equal(ready.json().realtime.backend, 'postgres');
    const failed = await me(app, bearer);
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.json().error.code, 'internal');

    ctl('start');
    assert.equal((await app.inject('/readyz')).statusCode, 200);
    assert.equal((await me(app, bearer)).statusCode, 200);
  } finally {
    await served?.app.close();
    await served?.runtime.close();
    asPostgres('pg_ctl', '-D', `${cluster}/data`, '-m', 'immediate', 'stop');
    fs.rmSync(cluster, { recursive: true, force: true });
  }
});

test('a database that does not answer at start is retried for SANAD_DB_START_TIMEOUT_SECONDS, then a clear error', async () => {
  const port = await freePort();
  const retries: string[] = [];
  const started = Date.now();
  await assert.rejects(
    startRuntime(configFor(`postgres://postgres@127.0.0.1:${port}/postgres`, { SANAD_DB_START_TIMEOUT_SECONDS: '2' }), {
      onDatabaseRetry: (reason) => retries.push(reason),
    }),
    (error: unknown) => {
      assert.ok(error instanceof StartupError);
      assert.match(
        error.message,
        /did not answer within 2 s \(last error: .*ECONNREFUSED.*\).*SANAD_DB_START_TIMEOUT_SECONDS/,
      );
      return true;
    },
  );
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 2000 && elapsed < 8000, `gave up after ${elapsed} ms`);
  assert.ok(retries.length >= 2, `retried ${retries.length} times`);
});
