import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { serviceContext } from '../../app-context.js';
import { startRuntime, type Runtime } from '../../bootstrap.js';
import { loadConfig, type Config } from '../../config.js';
import { newId } from '../../security/tokens.js';
import { testPgUrl } from '../../../test/support/runtime.js';
import { assertSetupOpen, ensureSetupLink } from './setup-service.js';

// Instances share a database only on PostgreSQL in production, so the many-rounds race runs there
// whatever the test engine; SQLite gets one round with two real processes (one process cannot hold
// two SQLite writers at once without blocking itself).
const root = path.resolve(import.meta.dirname, '../../..');
/** One shared instance key, as the README asks of instances that share a database. */
const sharedKey = 'k'.repeat(40);

async function onAdminDb(statement: string) {
  const client = new pg.Client({ connectionString: testPgUrl() });
  await client.connect();
  await client.query(statement);
  await client.end();
}

async function assertLinksWork(runtimes: Runtime[], links: (string | null)[]) {
  for (const link of links) {
    assert.ok(link, 'each instance prints a link');
    // The link works whichever instance the operator's browser reaches.
    for (const runtime of runtimes) await assertSetupOpen(serviceContext(runtime.ctx), link);
  }
}

test('PostgreSQL: two instances starting together on an empty schema both start and print working setup links', async () => {
  for (let round = 0; round < 10; round++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-setup-race-'));
    const schema = `t_${newId()
      .replace(/[^a-zA-Z0-9]/g, '')
      .toLowerCase()
      .slice(0, 16)}`;
    await onAdminDb(`create schema ${schema}`);
    const config: Config = {
      ...loadConfig({ SANAD_DATA: dataDir, LOG_LEVEL: 'silent', SANAD_SECRET_KEY: sharedKey }),
      databaseUrl: testPgUrl(),
    };
    const runtimes: Runtime[] = [];
    try {
      const links = await Promise.all(
        [0, 1].map(async () => {
          const runtime = await startRuntime(config, { pgSchema: schema });
          runtimes.push(runtime);
          return ensureSetupLink(serviceContext(runtime.ctx));
        }),
      );
      await assertLinksWork(runtimes, links);
    } finally {
      for (const runtime of runtimes) await runtime.close();
      await onAdminDb(`drop schema ${schema} cascade`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
});

test('SQLite: two server processes starting together on an empty data folder both print a working link', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-setup-race-'));
  const env = {
    ...process.env,
    SANAD_DATA: dataDir,
    DATABASE_URL: '',
    PORT: '0',
    LOG_LEVEL: 'silent',
    SANAD_SECRET_KEY: sharedKey,
  };
  const servers = [0, 1].map(() =>
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let runtime: Runtime | undefined;
  try {
    const links = await Promise.all(
      servers.map(
        (server) =>
          new Promise<string>((resolve, reject) => {
            let out = '';
            server.stdout!.on('data', (chunk: Buffer) => {
              out += chunk.toString('utf8');
              const link = /\/setup\/([A-Za-z0-9_-]+)/.exec(out);
              if (link) resolve(link[1]!);
            });
            server.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
            server.once('exit', (code) => reject(new Error(`an instance exited (${code}): ${out}`)));
          }),
      ),
    );
    runtime = await startRuntime({ ...loadConfig(env), databaseUrl: undefined });
    await assertLinksWork([runtime], links);
  } finally {
    for (const server of servers) server.kill('SIGKILL');
    await runtime?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
