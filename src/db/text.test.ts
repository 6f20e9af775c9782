import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prefixEnd } from './text.js';

test('prefixEnd bounds exactly the strings that start with a prefix, whatever their characters', () => {
  assert.equal(prefixEnd('ab'), 'ac');
  assert.equal(prefixEnd('سا'), 'سب');
  assert.equal(prefixEnd('a\u{10ffff}'), 'b', 'the last character has no successor: the one before it moves on');
  assert.equal(prefixEnd('\u{10ffff}'), null);
  assert.equal(prefixEnd('a\ud7ff'), 'a\ue000', 'never a surrogate');
  for (const key of ['ab', 'ab\uffff', 'ab😀', 'ab\u{10ffff}x', 'abz'])
    assert.ok(key >= 'ab' && key < prefixEnd('ab')!, key);
  for (const key of ['ac', 'aa\u{10ffff}', 'b']) assert.ok(!(key >= 'ab' && key < prefixEnd('ab')!), key);
});
