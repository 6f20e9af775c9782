import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.js';

test('SANAD_TRUST_PROXY: off, a number of proxies, or the proxies’ addresses', () => {
  const trust = (value: string | undefined) => loadConfig({ SANAD_TRUST_PROXY: value }).trustProxy;
  assert.equal(trust(undefined), false);
  assert.equal(trust('0'), false);
  assert.equal(trust('false'), false);
  assert.equal(trust('1'), 1, '1 means one proxy in front, not "believe every X-Forwarded-For entry"');
  assert.equal(trust('true'), 1);
  assert.equal(trust('2'), 2);
  assert.deepEqual(trust('10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,loopback'), [
    '10.0.0.0/8',
    '192.0.2.1',
    '2001:db8::/32',
    'loopback',
  ]);
  for (const bad of ['yes', '10.0.0.0/33', '2001:db8::/129', 'proxy.example', '10.0.0.1/8/2', ',']) {
    assert.throws(() => trust(bad), /SANAD_TRUST_PROXY/, bad);
  }
});

test('SANAD_PROCESS: all by default, web or worker, and nothing else', () => {
  assert.equal(loadConfig({}).processMode, 'all');
  assert.equal(loadConfig({ SANAD_PROCESS: '' }).processMode, 'all');
  assert.equal(loadConfig({ SANAD_PROCESS: 'web' }).processMode, 'web');
  assert.equal(loadConfig({ SANAD_PROCESS: 'worker' }).processMode, 'worker');
  for (const bad of ['both', 'WEB', 'jobs']) assert.throws(() => loadConfig({ SANAD_PROCESS: bad }), /SANAD_PROCESS/);
});
