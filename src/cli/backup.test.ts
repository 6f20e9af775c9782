import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openSqliteFile } from '../../test/support/sqlite-file.js';
import { TestClient } from '../../test/support/client.js';
import { createGroupAs, member, threadIn } from '../../test/support/community.js';
import type { TestRuntime } from '../../test/support/runtime.js';
import { defaultPassphrase } from '../../test/support/seed.js';
import { loadConfig } from '../config.js';
import { startRuntime, StartupError } from '../bootstrap.js';
import { buildApp } from '../http/app.js';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-backup-'));
const baseEnv = { ...process.env, SANAD_DATA: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', SANAD_LOCALE: 'en' };
const ballastRows = 30_000;
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** The operator CLI as a real process; `shell` runs it under a shell prefix (resource limits). */
function cli(args: string[], shell?: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const env = { ...baseEnv, ...extraEnv };
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args];
  const result = shell
    ? spawnSync('sh', ['-c', `${shell}; exec "$@"`, 'sh', ...command], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      })
    : spawnSync(command[0]!, command.slice(1), { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

before(() => {
  assert.equal(cli(['migrate']).code, 0);
  // A few tens of MB, so the copy takes many steps while the server keeps writing.
  const db = openSqliteFile(path.join(dataDir, 'sanad.db'));
  db.exec('create table ballast (id integer primary key, data blob not null)');
  const insert = db.prepare('insert into ballast (data) values (?)');
  db.transaction(() => {
    for (let i = 0; i < ballastRows; i++) insert.run(crypto.randomBytes(1000));
  })();
  db.close();
});

test('backup finishes on a busy database of tens of MB, and the copy is sound', async () => {
  // Another process writes steadily (small transactions, as the server does) during the whole backup.
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(process.argv[1]);
       db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000');
       const insert = db.prepare('insert into ballast (data) values (?)');
       setInterval(() => { for (let i = 0; i < 5; i++) insert.run(require('crypto').randomBytes(1000)); }, 2);
       console.log('writing');`,
      path.join(dataDir, 'sanad.db'),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise((resolve) => writer.stdout.once('data', resolve));
    const folder = path.join(dataDir, 'copy');
    const file = path.join(folder, 'sanad.db');
    const started = Date.now();
    const backup = cli(['backup', folder]);
    assert.equal(backup.code, 0, `${backup.err} (after ${Date.now() - started} ms)`);
    assert.ok(writer.exitCode === null, 'the writer kept writing throughout');
    const copy = openSqliteFile(file, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.ok((copy.prepare('select count(*) as n from ballast').get() as { n: number }).n >= ballastRows);
    copy.close();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    // The key that belongs to the database goes with it, owner-only: without it a restore loses anonymous authorship.
    assert.deepEqual(
      fs.readFileSync(path.join(folder, 'secret.key')),
      fs.readFileSync(path.join(dataDir, 'secret.key')),
    );
    assert.equal(fs.statSync(path.join(folder, 'secret.key')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(folder).mode & 0o777, 0o700);
  } finally {
    writer.kill();
  }
});

test('a backup that fails leaves no partial file behind, so it can be retried', () => {
  const file = path.join(dataDir, 'too-big');
  // A file-size limit far below the database: the copy fails part-way (the signal is ignored, so writes fail instead).
  const failed = cli(['backup', file], "trap '' XFSZ; ulimit -f 2048");
  assert.equal(failed.code, 1, failed.err);
  assert.match(failed.err, /backup failed/);
  assert.deepEqual(
    fs.readdirSync(dataDir).filter((name) => name.startsWith('too-big')),
    [],
  );
  const retried = cli(['backup', file]);
  assert.equal(retried.code, 0, retried.err);
});

/** A server's runtime and app on a data folder, as `npm start` would open it. */
async function serverOn(folder: string, env: NodeJS.ProcessEnv = {}) {
  const runtime = await startRuntime(
    loadConfig({ SANAD_DATA: folder, LOG_LEVEL: 'silent', SANAD_REGISTRATION: 'open', ...env }),
  );
  const app = await buildApp(runtime.ctx);
  await app.ready();
  const rt = { ...runtime, app } as unknown as TestRuntime;
  return {
    rt,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

test('a backup restores into a fresh data folder: members sign in and still own their anonymous posts', async () => {
  const live = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-live-'));
  const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-backups-'));
  try {
    const server = await serverOn(live);
    const author = await member(server.rt, 'author');
    const group = await createGroupAs(author.api, { anonymousPosting: true });
    const { threadId } = await threadIn(author.api, group.id, { body: 'Written without my name', anonymous: true });
    const backup = cli(['backup', path.join(backups, 'monday')], undefined, { SANAD_DATA: live });
    await server.close();
    assert.equal(backup.code, 0, backup.err);
    assert.match(backup.out, /secret key/);

    // Restore as the README says: the backup folder becomes the data folder of a new machine.
    const fresh = path.join(backups, 'restored');
    fs.cpSync(path.join(backups, 'monday'), fresh, { recursive: true });
    const restored = await serverOn(fresh);
    try {
      const web = new TestClient(restored.rt.app);
      const signedIn = await web.submit('/login', '/login', {
        username: author.user.username,
        passphrase: defaultPassphrase,
        next: '/',
      });
      assert.equal(signedIn.status, 303, signedIn.body);
      const thread = (await web.get(`/api/v1/threads/${threadId}`)).json();
      assert.equal(thread.posts[0].body, 'Written without my name');
      assert.equal(thread.posts[0].mine, true, 'the anonymous post is still recognised as the author’s');
      assert.equal(thread.posts[0].canEdit, true);
    } finally {
      await restored.close();
    }

    // The database alone, without its key: the start is refused, and no new key is made in its place.
    const keyless = path.join(backups, 'keyless');
    fs.mkdirSync(keyless);
    fs.copyFileSync(path.join(backups, 'monday', 'sanad.db'), path.join(keyless, 'sanad.db'));
    await assert.rejects(
      serverOn(keyless),
      (error: unknown) => error instanceof StartupError && /secret key that is missing/.test(error.message),
    );
    assert.equal(fs.existsSync(path.join(keyless, 'secret.key')), false);
  } finally {
    fs.rmSync(live, { recursive: true, force: true });
    fs.rmSync(backups, { recursive: true, force: true });
  }
});

test('a key from SANAD_SECRET_KEY is copied or left out only when asked, never silently', () => {
  const envKey = { SANAD_SECRET_KEY: 'k'.repeat(48) };
  const envData = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-envkey-'));
  try {
    const asked = { SANAD_DATA: envData, ...envKey };
    assert.equal(cli(['migrate'], undefined, asked).code, 0);
    const refused = cli(['backup', path.join(envData, 'plain')], undefined, asked);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /SANAD_SECRET_KEY/);
    assert.match(refused.err, /--with-env-key/);
    assert.equal(fs.existsSync(path.join(envData, 'plain')), false, 'nothing was written');

    const withKey = cli(['backup', path.join(envData, 'with'), '--with-env-key'], undefined, asked);
    assert.equal(withKey.code, 0, withKey.err);
    assert.equal(fs.readFileSync(path.join(envData, 'with', 'secret.key'), 'utf8'), envKey.SANAD_SECRET_KEY);

    const without = cli(['backup', path.join(envData, 'without'), '--without-key'], undefined, asked);
    assert.equal(without.code, 0, without.err);
    assert.match(without.out, /left out/);
    assert.equal(fs.existsSync(path.join(envData, 'without', 'secret.key')), false);
  } finally {
    fs.rmSync(envData, { recursive: true, force: true });
  }
});
