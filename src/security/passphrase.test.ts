import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPassphrase, hashPassphrase, verifyAgainstNothing, verifyPassphrase } from './passphrase.js';

const problems = (p: string, username?: string) =>
  checkPassphrase(p, username ? { username } : {}).map((e) => e.message);

test('at least 8 characters, and long passphrases are welcome', () => {
  assert.deepEqual(problems('seven77'), ['passphrase.tooShort']);
  assert.deepEqual(problems('eight888x'), []);
  assert.deepEqual(problems('a'.repeat(3) + ' river stone '.repeat(5)), []);
  assert.deepEqual(problems('x'.repeat(64)), []);
  assert.deepEqual(problems('word '.repeat(40)), []);
  assert.deepEqual(problems('y'.repeat(256)), []);
  assert.deepEqual(problems('y'.repeat(257)), ['passphrase.tooLong']);
  assert.deepEqual(problems(''), ['passphrase.required']);
});

test('no composition rules: spaces, any script, emoji', () => {
  assert.deepEqual(problems('all lowercase words here'), []);
  assert.deepEqual(problems('شمس الصباح على البحر'), []);
  assert.deepEqual(problems('🌈🌈 rainbow 🌈🌈'), []);
});

test('the most common passwords are refused, whatever their case', () => {
  for (const p of ['password', 'Password1', 'qwerty123', '12345678', 'iloveyou', 'PASSWORD123']) {
    assert.deepEqual(problems(p), ['passphrase.common'], p);
  }
});

test('a passphrase may not contain the username', () => {
  assert.deepEqual(problems('hello layla my friend', 'layla'), ['passphrase.containsUsername']);
});

test('argon2id hashes verify, including the same text typed in another Unicode form', async () => {
  const hash = await hashPassphrase('café au lait tous les matins');
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassphrase(hash, 'café au lait tous les matins'), true);
  assert.equal(await verifyPassphrase(hash, 'cafe\u0301 au lait tous les matins'), true, 'NFD input, NFKC stored');
  assert.equal(await verifyPassphrase(hash, 'café au lait tous les soirs'), false);
  assert.equal(await verifyPassphrase('not a hash', 'anything at all'), false);
  assert.equal(await verifyAgainstNothing('anything at all'), false);
});
