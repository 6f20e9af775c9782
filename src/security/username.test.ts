import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkUsername, normaliseUsername } from './username.js';

const problems = (name: string) => checkUsername(name).errors.map((e) => e.message);

test('Latin and Arabic names with digits and _ are accepted', () => {
  for (const name of ['layla', 'Sami_88', 'نور', 'قوس_قزح', 'مريم2026', 'Zoë_b'])
    assert.deepEqual(problems(name), [], name);
});

test('one script per name, letters required, nothing else', () => {
  assert.deepEqual(problems('nourنور'), ['username.mixedScripts']);
  assert.deepEqual(problems('аdmin'), ['username.characters'], 'Cyrillic а is not Latin');
  assert.deepEqual(problems('12345'), ['username.needsLetter']);
  assert.deepEqual(problems('sa mi'), ['username.characters']);
  assert.deepEqual(problems('sami!'), ['username.characters']);
  assert.deepEqual(problems('نـــور'), ['username.characters'], 'tatweel');
  assert.deepEqual(problems('نُور'), ['username.characters'], 'tashkeel');
  assert.deepEqual(problems('sa\u200bmi'), ['username.characters'], 'zero-width space');
});

test('length is 3 to 30 characters, counted as people see them', () => {
  assert.deepEqual(problems('ab'), ['username.length']);
  assert.deepEqual(problems('abc'), []);
  assert.deepEqual(problems('a'.repeat(30)), []);
  assert.deepEqual(problems('a'.repeat(31)), ['username.length']);
  assert.deepEqual(problems(''), ['username.required']);
});

test('NFKC, case folding and Eastern digits normalise names', () => {
  assert.equal(normaliseUsername('ＳＡＭＩ').key, 'sami');
  assert.equal(normaliseUsername('Sami').display, 'Sami');
  assert.equal(normaliseUsername('Sami').key, 'sami');
  assert.equal(normaliseUsername('نور٣').display, 'نور3');
  assert.equal(normaliseUsername('نور۳').key, 'نور3');
  assert.equal(normaliseUsername('  layla ').display, 'layla');
});

test('look-alike names share a skeleton', () => {
  const skeleton = (name: string) => normaliseUsername(name).skeleton;
  assert.equal(skeleton('rnartin'), skeleton('martin'));
  assert.equal(skeleton('l1ly'), skeleton('llly'));
  assert.equal(skeleton('yusuf0'), skeleton('yusufo'));
  assert.equal(skeleton('یوسف'), skeleton('يوسف'), 'Persian and Arabic yeh');
  assert.notEqual(skeleton('layla'), skeleton('leila'));
});

test('names that pass for staff are reserved', () => {
  for (const name of ['admin', 'Admin', 'adrnin', 'moderator', 'مشرف', 'sanad', 'سند']) {
    assert.deepEqual(problems(name), ['username.reserved'], name);
  }
});
