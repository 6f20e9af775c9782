import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { deriveKey, loadSecretKey } from './secret-key.js';

test('the secret key is generated once into the data folder, readable by the owner only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-key-'));
  try {
    const first = loadSecretKey(path.join(dir, 'data'), undefined);
    const file = path.join(dir, 'data', 'secret.key');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(dir, 'data')).mode & 0o077, 0);
    assert.ok(first.length >= 32);
    assert.deepEqual(loadSecretKey(path.join(dir, 'data'), undefined), first);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a key from the environment is used as given and must be long enough', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-key-'));
  try {
    const key = loadSecretKey(dir, 'x'.repeat(40));
    assert.equal(key.toString(), 'x'.repeat(40));
    assert.equal(fs.existsSync(path.join(dir, 'secret.key')), false);
    assert.throws(() => loadSecretKey(dir, 'short'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('each purpose gets its own derived key', () => {
  const secret = Buffer.alloc(64, 7);
  assert.notDeepEqual(deriveKey(secret, 'csrf'), deriveKey(secret, 'device'));
  assert.deepEqual(deriveKey(secret, 'csrf'), deriveKey(secret, 'csrf'));
  assert.equal(deriveKey(secret, 'csrf').length, 32);
});
