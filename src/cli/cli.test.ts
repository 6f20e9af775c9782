import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openSqliteFile } from '../../test/support/sqlite-file.js';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-cli-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], input = '', env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, SANAD_DATA: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', SANAD_LOCALE: 'en', ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('the operator CLI, run as a real process against a real SQLite file', () => {
  const migrated = cli(['migrate']);
  assert.equal(migrated.code, 0, migrated.err);
  assert.match(migrated.out, /Applied \d+ migrations?\./);
  assert.match(cli(['migrate']).out, /up to date/, 'a second run has nothing to do');

  const created = cli(
    ['user:create', '--username', 'Operator_One', '--role', 'admin'],
    'a calm sea at dawn every day\n',
  );
  assert.equal(created.code, 0, created.err);
  assert.match(created.out, /Created Operator_One \(admin\)/);
  assert.equal(created.out.match(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/gm)?.length, 10, 'ten recovery codes');
  assert.ok(!created.out.includes('a calm sea'), 'the passphrase is never echoed');

  const weak = cli(['user:create', '--username', 'weakling'], 'password\n');
  assert.equal(weak.code, 1);
  assert.match(weak.err, /most common passwords/);

  const invite = cli(['invite:create', '--uses', '3', '--days', '2']);
  assert.equal(invite.code, 0, invite.err);
  assert.match(invite.out, /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/m);

  const reset = cli(['user:reset', 'operator_one'], '', { SANAD_LOCALE: 'ar' });
  assert.equal(reset.code, 0, reset.err);
  assert.match(reset.out, /رمز إعادة التعيين/);
  assert.equal(cli(['user:reset', 'nobody_here']).code, 1);

  const folder = path.join(dataDir, 'backups', 'copy');
  const file = path.join(folder, 'sanad.db');
  const backup = cli(['backup', folder]);
  assert.equal(backup.code, 0, backup.err);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.ok(fs.existsSync(path.join(folder, 'secret.key')), 'the key goes with the database');
  const copy = openSqliteFile(file, { readonly: true });
  const row = copy.prepare('select username, role from users where username_key = ?').get('operator_one') as {
    username: string;
    role: string;
  };
  copy.close();
  assert.deepEqual(row, { username: 'Operator_One', role: 'admin' });
  assert.equal(cli(['backup', folder]).code, 1, 'never overwrites');

  const unknown = cli(['frobnicate']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /Unknown command/);
});

test('backup on PostgreSQL points to pg_dump', () => {
  const url = process.env.SANAD_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const result = cli(['backup', path.join(dataDir, 'never.db')], '', { DATABASE_URL: url });
  assert.equal(result.code, 2, result.err);
  assert.match(result.err, /pg_dump/);
  assert.equal(fs.existsSync(path.join(dataDir, 'never.db')), false);
});
