import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshnessOf, verificationLapsesAt } from './freshness.js';

const at = (iso: string) => Date.parse(iso);

test('a mark lapses the same day of the month, months later, or at the end of a shorter month', () => {
  assert.equal(verificationLapsesAt(at('2026-03-15T10:00:00Z'), 12), at('2027-03-15T10:00:00Z'));
  assert.equal(verificationLapsesAt(at('2026-01-31T00:00:00Z'), 1), at('2026-02-28T00:00:00Z'));
  assert.equal(verificationLapsesAt(at('2027-12-31T08:00:00Z'), 2), at('2028-02-29T08:00:00Z'));
});

test('verified until it lapses, stale from then, unverified when never marked', () => {
  const marked = at('2025-11-26T12:00:00Z');
  assert.equal(freshnessOf(marked, 12, at('2026-11-26T11:59:59Z')), 'verified');
  assert.equal(freshnessOf(marked, 12, at('2026-11-26T12:00:00Z')), 'stale');
  assert.equal(freshnessOf(marked, 6, at('2026-06-01T00:00:00Z')), 'stale');
  assert.equal(freshnessOf(null, 12, at('2026-06-01T00:00:00Z')), 'unverified');
});
