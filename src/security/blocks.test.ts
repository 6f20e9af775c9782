import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemActor, visitor, type Member } from './actor.js';
import { hasMuted, isBlockedBetween } from './blocks.js';

const me: Member = {
  kind: 'user',
  id: 'me',
  username: 'me',
  role: 'member',
  blocked: new Set(['them']),
  muted: new Set(['loud']),
};

test('isBlockedBetween reads the set carried on the actor; anyone without one is in no block', () => {
  assert.equal(isBlockedBetween(me, 'them'), true);
  assert.equal(isBlockedBetween(me, 'loud'), false);
  assert.equal(isBlockedBetween(me, null), false);
  assert.equal(isBlockedBetween({ ...me, blocked: undefined }, 'them'), false);
  assert.equal(isBlockedBetween(visitor, 'them'), false);
  assert.equal(isBlockedBetween(systemActor, 'them'), false);
  assert.equal(hasMuted(me, 'loud'), true);
  assert.equal(hasMuted(me, 'them'), false);
});
