import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startRuntime, StartupError } from '../bootstrap.js';
import { createTestRuntime, type TestRuntime } from '../../test/support/runtime.js';
import { createUser } from '../../test/support/seed.js';
import { fingerprintSetting } from './key-check.js';

// ADR 0034: the database keeps a keyed fingerprint of its secret key, so a start with another key
// (or none, where one was used) is refused instead of silently breaking anonymous authorship.

let rt: TestRuntime;
let pgSchema: string | undefined;
const keyA = 'a'.repeat(40);
before(async () => {
  rt = await createTestRuntime({ secretKey: keyA });
  pgSchema = rt.database.pgSchema;
  await createUser(rt, { username: 'keyholder' });
});
after(async () => rt.close());

/** Another start on the same database, as a second instance or a restart would make. */
function startAgain(overrides: Partial<TestRuntime['config']>, options: { createKey?: boolean } = {}) {
  return startRuntime({ ...rt.config, ...overrides }, { ...(pgSchema ? { pgSchema } : {}), ...options });
}

async function refused(promise: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(promise, (error: unknown) => error instanceof StartupError && pattern.test(error.message));
}

test('the database keeps a fingerprint of its key, never the key', async () => {
  const rows = await rt.ctx.db.selectFrom('settings').selectAll().execute();
  const row = rows.find((r) => r.key === fingerprintSetting);
  assert.ok(row, 'the first start recorded a fingerprint');
  for (const r of rows) assert.ok(!r.value.includes(keyA), `${r.key} holds no key`);
});

test('a start with the same key succeeds; with another key from the environment it is refused', async () => {
  const same = await startAgain({ secretKey: keyA });
  await same.close();
  await refused(
    startAgain({ secretKey: 'b'.repeat(40) }),
    /SANAD_SECRET_KEY is not the key this database was made with/,
  );
});

test('a start whose key file is another key, or missing, is refused and makes no key', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-keycheck-'));
  try {
    // On SQLite the database lives in the data folder, so these starts use a copy of it there.
    rt.database.sqlite?.exec(`VACUUM INTO '${path.join(dataDir, 'sanad.db')}'`);
    await refused(startAgain({ secretKey: undefined, dataDir }), /secret key that is missing/);
    assert.equal(fs.existsSync(path.join(dataDir, 'secret.key')), false, 'no new key was made');
    fs.writeFileSync(path.join(dataDir, 'secret.key'), Buffer.alloc(64, 9), { mode: 0o600 });
    await refused(
      startAgain({ secretKey: undefined, dataDir }),
      new RegExp(`${path.join(dataDir, 'secret.key').replaceAll('/', '\\/')} is not the key`),
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a database from before fingerprints records the key it is started with, once', async () => {
  await rt.ctx.db.deleteFrom('settings').where('key', '=', fingerprintSetting).execute();
  const again = await startAgain({ secretKey: keyA });
  await again.close();
  const row = await rt.ctx.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', fingerprintSetting)
    .executeTakeFirst();
  assert.ok(row);
  await refused(startAgain({ secretKey: 'c'.repeat(40) }), /not the key this database was made with/);
});

test('the command line on PostgreSQL never makes a key of its own: it refuses without the servers’ key', async () => {
  if (!rt.config.databaseUrl) return;
  const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-checkout-'));
  const dataDir = path.join(checkout, 'data');
  try {
    await refused(startAgain({ secretKey: undefined, dataDir }, { createKey: false }), /secret key that is missing/);
    assert.equal(fs.existsSync(dataDir), false, 'nothing was written into the checkout');
  } finally {
    fs.rmSync(checkout, { recursive: true, force: true });
  }
});
