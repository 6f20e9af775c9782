import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openSqliteFile } from '../../test/support/sqlite-file.js';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-backup-'));
const env = { ...process.env, SANAD_DATA: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', SANAD_LOCALE: 'en' };
const ballastRows = 30_000;
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** The operator CLI as a real process; `shell` runs it under a shell prefix (resource limits). */
function cli(args: string[], shell?: string) {
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
    const file = path.join(dataDir, 'copy.db');
    const started = Date.now();
    const backup = cli(['backup', file]);
    assert.equal(backup.code, 0, `${backup.err} (after ${Date.now() - started} ms)`);
    assert.ok(writer.exitCode === null, 'the writer kept writing throughout');
    const copy = openSqliteFile(file, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.ok((copy.prepare('select count(*) as n from ballast').get() as { n: number }).n >= ballastRows);
    copy.close();
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  } finally {
    writer.kill();
  }
});

test('a backup that fails leaves no partial file behind, so it can be retried', () => {
  const file = path.join(dataDir, 'too-big.db');
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
