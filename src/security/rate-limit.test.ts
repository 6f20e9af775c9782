import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, test } from 'node:test';
import { RateLimits } from './rate-limit.js';
import { AppError } from '../http/errors.js';

const secret = crypto.randomBytes(64);
const redisUrl = process.env.SANAD_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const opened: RateLimits[] = [];
after(async () => {
  for (const limits of opened) await limits.close();
});

async function consumeUntilLimited(limits: RateLimits, key: string, max: number): Promise<number> {
  for (let i = 1; i <= max; i++) {
    try {
      await limits.consume('loginAccount', key);
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

test('in memory: the eleventh failed sign-in on one account is refused, other accounts are untouched', async () => {
  const limits = new RateLimits(secret);
  assert.equal(await consumeUntilLimited(limits, 'account-a', 20), 11);
  assert.equal(await limits.isBlocked('loginAccount', 'account-b'), false);
  assert.ok((await limits.isBlocked('loginAccount', 'account-a')) as number > 0);
  await limits.reset('loginAccount', 'account-a');
  assert.equal(await limits.isBlocked('loginAccount', 'account-a'), false);
});

test('with Redis, two instances share one count', async (t) => {
  const first = RateLimits.create(secret, redisUrl);
  const second = RateLimits.create(secret, redisUrl);
  opened.push(first, second);
  const key = `shared-${crypto.randomUUID()}`;
  for (let i = 0; i < 10; i++) await (i % 2 ? first : second).consume('loginAccount', key);
  await assert.rejects(() => first.consume('loginAccount', key), (e: unknown) => e instanceof AppError && e.status === 429);
  assert.ok((await second.isBlocked('loginAccount', key)) as number > 0);
  t.diagnostic('limits were shared through Redis');
});
