import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashHumanCode, hashToken, newHumanCode, newId, newToken, normaliseHumanCode } from './tokens.js';
import { describeDevice } from './device.js';

test('ids and tokens are random, URL-safe and long enough not to be guessed', () => {
  const ids = new Set(Array.from({ length: 1000 }, newId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  assert.match(newToken(), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(hashToken('a'), 'a');
  assert.equal(hashToken('a'), hashToken('a'));
});

test('human codes avoid look-alike characters and match however they are typed', () => {
  for (let i = 0; i < 200; i++) assert.match(newHumanCode(), /^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$/);
  const code = newHumanCode();
  assert.equal(normaliseHumanCode(` ${code.toUpperCase().replaceAll('-', ' ')} `), code.replaceAll('-', ''));
  assert.equal(hashHumanCode(code.toUpperCase()), hashHumanCode(code));
  assert.notEqual(hashHumanCode(code), hashHumanCode(newHumanCode()));
});

test('device descriptions are coarse: browser and system only', () => {
  const firefoxAndroid = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';
  assert.equal(describeDevice(firefoxAndroid), 'Firefox · Android');
  const chromeWindows =
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
  assert.equal(describeDevice(chromeWindows), 'Chrome · Windows');
  const safariIphone =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  assert.equal(describeDevice(safariIphone), 'Safari · iOS');
  assert.equal(describeDevice(undefined), 'Browser');
  assert.equal(describeDevice('curl/8.5.0'), 'API client');
});
