import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, test } from 'node:test';
import { addressGroup, RateLimits } from './rate-limit.js';
import { AppError } from '../platform/errors.js';

const secret = crypto.randomBytes(64);
const redisUrl = process.env.SANAD_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const opened: RateLimits[] = [];
after(async () => {
  for (const limits of opened) await limits.close();
});

async function consumeUntilLimited(limits: RateLimits, key: string, max: number): Promise<number> {
  for (let i = 1; i <= max; i++) {
    try {
      await limits.consume('loginAccountAddress', key);
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 429);
      assert.ok((error.retryAfterSeconds ?? 0) > 0);
      return i;
    }
  }
  return -1;
}

test('an address is never kept as is: its key is a keyed hash that changes each day', () => {
  const limits = new RateLimits(secret);
  const day1 = Date.UTC(2026, 0, 1, 12);
  const key = limits.addressKey('203.0.113.7', day1);
  assert.ok(!key.includes('203'));
  assert.equal(key, limits.addressKey('203.0.113.7', day1 + 60_000));
  assert.notEqual(key, limits.addressKey('203.0.113.7', day1 + 86_400_000));
  assert.notEqual(key, new RateLimits(crypto.randomBytes(64)).addressKey('203.0.113.7', day1));
});

test('IPv6 addresses are counted by /64, IPv4-mapped ones as IPv4', () => {
  assert.equal(addressGroup('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(addressGroup('2001:DB8:1:2::9'), '2001:db8:1:2::/64');
  assert.equal(addressGroup('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressGroup('::1'), '0:0:0:0::/64');
  assert.equal(addressGroup('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(addressGroup('64:ff9b::192.0.2.7'), '64:ff9b:0:0::/64');
  assert.equal(addressGroup('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(addressGroup('198.51.100.4'), '198.51.100.4');
  const limits = new RateLimits(secret);
  assert.equal(limits.addressKey('2001:db8:1:2::1'), limits.addressKey('2001:db8:1:2:ffff::7'));
  assert.notEqual(limits.addressKey('2001:db8:1:2::1'), limits.addressKey('2001:db8:1:3::1'));
});

test('concurrent attempts never slip under a limit, and a refund gives one back', async () => {
  const limits = new RateLimits(secret);
  const waits = await Promise.all(Array.from({ length: 50 }, () => limits.attempt('loginAccountAddress', 'burst')));
  assert.equal(waits.filter((wait) => wait === 0).length, 10);
  assert.ok(waits.every((wait) => wait === 0 || wait > 0));
  await limits.refund('loginAccountAddress', 'burst');
  assert.ok(((await limits.isBlocked('loginAccountAddress', 'burst')) as number) > 0, 'fifty were counted');
});

test('in memory: the eleventh failed sign-in on one account is refused, other accounts are untouched', async () => {
  const limits = new RateLimits(secret);
  assert.equal(await consumeUntilLimited(limits, 'account-a', 20), 11);
  assert.equal(await limits.isBlocked('loginAccountAddress', 'account-b'), false);
  assert.ok(((await limits.isBlocked('loginAccountAddress', 'account-a')) as number) > 0);
  await limits.reset('loginAccountAddress', 'account-a');
  assert.equal(await limits.isBlocked('loginAccountAddress', 'account-a'), false);
});

test('with Redis, two instances share one count', async (t) => {
  const first = RateLimits.create(secret, redisUrl);
  const second = RateLimits.create(secret, redisUrl);
  opened.push(first, second);
  assert.ok((await first.connected()) && (await second.connected()));
  const key = `shared-${crypto.randomUUID()}`;
  for (let i = 0; i < 10; i++) await (i % 2 ? first : second).consume('loginAccountAddress', key);
  await assert.rejects(
    () => first.consume('loginAccountAddress', key),
    (e: unknown) => e instanceof AppError && e.status === 429,
  );
  assert.ok(((await second.isBlocked('loginAccountAddress', key)) as number) > 0);
  t.diagnostic('limits were shared through Redis');
});
