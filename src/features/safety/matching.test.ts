import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchesIn, watchedKey, type WatchedWord } from './matching.js';

const word = (phrase: string, action: WatchedWord['action'] = 'hold'): WatchedWord => ({
  id: phrase,
  phrase,
  normalized: watchedKey(phrase),
  action,
});

test('tashkeel, tatweel, alef, yaa and taa marbuta variants and case match the same word', () => {
  const w = [word('مثلا')];
  for (const text of ['مَثَلاً', 'مـــثلا', 'هذا مثلاً', 'مُثُلا']) assert.equal(matchesIn(text, w).length, 1, text);
  assert.equal(matchesIn('إحمر', [word('أحمر')]).length, 1);
  assert.equal(matchesIn('مدرسة', [word('مدرسه')]).length, 1);
  assert.equal(matchesIn('على', [word('علي')]).length, 1);
  assert.equal(matchesIn('BAD word', [word('bad')]).length, 1);
});

test('whole words and phrases only, strongest action first', () => {
  assert.equal(matchesIn('مثلاتي', [word('مثلا')]).length, 0);
  assert.equal(matchesIn('a bad-word here', [word('bad word')]).length, 1);
  assert.equal(matchesIn('word bad', [word('bad word')]).length, 0);
  const found = matchesIn('one two', [word('one', 'flag'), word('two', 'block')]);
  assert.deepEqual(
    found.map((w) => w.action),
    ['block', 'flag'],
  );
  assert.equal(watchedKey('  ـــ  '), '');
});
