import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp, type App } from '../http/app.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../test/support/community.js';
import { TestClient } from '../../test/support/client.js';

// Disk-full and read-only storage are SQLite's faults: this file runs on SQLite whatever the test engine.
const root = path.resolve(import.meta.dirname, '../..');
let rt: TestRuntime;
let app: App;
let logged = '';
before(async () => {
  rt = await createTestRuntime({ databaseUrl: undefined, logLevel: 'error' });
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => (logged += chunk.toString('utf8')));
  app = await buildApp(rt.ctx, { logStream });
  await app.ready();
});
after(async () => {
  await app.close();
  await rt.close();
});

test('a full disk: the real error is logged (not a failed rollback), /readyz answers 503, and recovers', async () => {
  const { api } = await member(rt);
  const group = await createGroupAs(api);
  const { threadId } = await threadIn(api, group.id);
  const web = new TestClient(app);
  web.bearer = api.bearer;
  assert.equal((await web.get('/readyz')).status, 200);

  // The database may not grow by a single page: the next large write fails with SQLITE_FULL.
  const [{ page_count }] = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(rt.ctx.db)).rows as [
    { page_count: number },
  ];
  await sql.raw(`PRAGMA max_page_count = ${page_count}`).execute(rt.ctx.db);
  const body = 'A long story about the harbour. '.repeat(500);
  const failed = await web.api('POST', `/api/v1/threads/${threadId}/posts`, { body });
  assert.equal(failed.status, 500, failed.body);
  assert.equal(failed.json().error.code, 'internal');
  assert.match(logged, /database or disk is full/);
  assert.doesNotMatch(logged, /cannot rollback/);
  assert.ok(!logged.includes('harbour'), 'the log holds the error, never what was written');
  assert.equal((await web.get('/readyz')).status, 503, 'not ready while writes fail for lack of space');

  await sql.raw('PRAGMA max_page_count = 1073741823').execute(rt.ctx.db);
  rt.advance(31_000);
  assert.equal((await web.get('/readyz')).status, 200, 'ready again once no write has failed for a while');
  assert.equal((await web.api('POST', `/api/v1/threads/${threadId}/posts`, { body })).status, 201);
});

test('starting on a read-only data folder exits with a clear message, not a stack trace', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-readonly-'));
  // As root (CI), a read-only mount: file permissions do not stop root. Otherwise permissions do.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { encoding: 'utf8' });
    assert.equal(mounted.status, 0, `mounting a read-only tmpfs failed: ${mounted.stderr}`);
  } else {
    fs.chmodSync(dir, 0o555);
  }
  try {
    for (const entry of ['src/main.ts', 'src/cli/main.ts']) {
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', entry, ...(entry.includes('cli') ? ['migrate'] : [])],
        {
          cwd: root,
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            ...process.env,
            SANAD_DATA: dir,
            DATABASE_URL: '',
            PORT: '0',
            LOG_LEVEL: 'silent',
            SANAD_LOCALE: 'en',
          },
        },
      );
      assert.equal(result.status, 1, `${entry}: ${result.stderr}`);
      assert.match(
        result.stderr,
        asRoot ? /data folder .* cannot be written \(EROFS\)/ : /data folder .* cannot be written \(EACCES\)/,
        entry,
      );
      assert.doesNotMatch(result.stderr, /^\s+at /m, `${entry}: no stack trace`);
    }
  } finally {
    if (asRoot) spawnSync('umount', [dir]);
    else fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
