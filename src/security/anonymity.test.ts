import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { authorRef, openAuthor, pseudonymCount, pseudonymSeed, sealAuthor } from './anonymity.js';

const key = crypto.randomBytes(32);

test('a sealed author opens with the same key only, and two seals of one id differ', () => {
  const a = sealAuthor(key, 'user-1');
  const b = sealAuthor(key, 'user-1');
  assert.notEqual(a, b, 'a fresh nonce each time, so equal ciphertexts do not link posts');
  assert.equal(openAuthor(key, a), 'user-1');
  assert.equal(openAuthor(crypto.randomBytes(32), a), null);
  assert.equal(openAuthor(key, a.slice(0, -2) + (a.endsWith('A') ? 'B' : 'A')), null, 'tampering is detected');
  assert.equal(openAuthor(key, 'not a box'), null);
});

test('author references are stable within a thread and differ across threads and people', () => {
  assert.equal(authorRef(key, 't1', 'u1'), authorRef(key, 't1', 'u1'));
  assert.notEqual(authorRef(key, 't1', 'u1'), authorRef(key, 't2', 'u1'));
  assert.notEqual(authorRef(key, 't1', 'u1'), authorRef(key, 't1', 'u2'));
  const seed = pseudonymSeed(authorRef(key, 't1', 'u1'));
  assert.ok(Number.isInteger(seed) && seed >= 0 && seed < pseudonymCount);
});
