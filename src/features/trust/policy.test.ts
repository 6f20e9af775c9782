import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrustLevel } from '../../db/schema.js';
import { systemActor, visitor, type Actor } from '../../security/actor.js';
import {
  canChangeThresholds,
  canCreateGroups,
  canInvite,
  canSeeVouchesOf,
  canSetTrust,
  canStartConversationWithStranger,
  canVouch,
  canVouchFor,
  isHeldToNewcomerLimits,
  mayPostLinks,
  trustOf,
} from './policy.js';
import { defaultThresholds, earnedLevel, promotionOf } from './rules.js';

type Role = 'member' | 'moderator' | 'admin';
const levels: (TrustLevel | undefined)[] = ['new', 'member', 'trusted', undefined];
const roles: Role[] = ['member', 'moderator', 'admin'];
const actor = (role: Role, trust: TrustLevel | undefined, frozen = false): Actor => ({
  kind: 'user',
  id: `${role}-${trust ?? 'unknown'}`,
  username: 'someone',
  role,
  ...(trust ? { trust } : {}),
  ...(frozen ? { frozen } : {}),
});

/** Every action × (role, level): what each may do. An unknown level counts as new; roles stand above trust. */
const expected: Record<string, (role: Role, level: TrustLevel) => boolean> = {
  heldToNewcomerLimits: (role, level) => role === 'member' && level === 'new',
  postLinks: (role, level) => role !== 'member' || level !== 'new',
  startConversationWithStranger: (role, level) => role !== 'member' || level !== 'new',
  invite: (role, level) => role !== 'member' || level === 'trusted',
  createGroups: (role, level) => role !== 'member' || level === 'trusted',
  vouch: (role, level) => role !== 'member' || level === 'trusted',
  setTrust: (role) => role !== 'member',
  changeThresholds: (role) => role === 'admin',
};
const actual: Record<string, (a: Actor) => boolean> = {
  heldToNewcomerLimits: isHeldToNewcomerLimits,
  postLinks: mayPostLinks,
  startConversationWithStranger: canStartConversationWithStranger,
  invite: canInvite,
  createGroups: canCreateGroups,
  vouch: canVouch,
  setTrust: canSetTrust,
  changeThresholds: canChangeThresholds,
};

for (const [action, rule] of Object.entries(expected)) {
  test(`${action}: levels × roles`, () => {
    for (const role of roles)
      for (const level of levels)
        assert.equal(actual[action]!(actor(role, level)), rule(role, level ?? 'new'), `${role}, ${level ?? 'unknown'}`);
    assert.equal(actual[action]!(visitor), false, 'visitor');
    assert.equal(actual[action]!(systemActor), false, 'system');
  });
}

test('trustOf: moderators and administrators count as trusted, an unknown level as new', () => {
  assert.equal(trustOf(visitor), 'new');
  for (const level of levels) {
    assert.equal(trustOf(actor('member', level)), level ?? 'new');
    assert.equal(trustOf(actor('moderator', level)), 'trusted');
    assert.equal(trustOf(actor('admin', level)), 'trusted');
  }
});

test('a frozen account vouches for nobody, and nobody vouches for themselves', () => {
  for (const role of roles) assert.equal(canVouch(actor(role, 'trusted', true)), false, role);
  const trusted = actor('member', 'trusted');
  assert.equal(canVouchFor(trusted, { id: 'someone-else' }), true);
  assert.equal(canVouchFor(trusted, { id: (trusted as { id: string }).id }), false);
  assert.equal(canVouchFor(actor('member', 'member'), { id: 'someone-else' }), false);
  assert.equal(canVouchFor(actor('moderator', 'new'), { id: 'someone-else' }), true);
});

test('vouches are seen by the two people concerned and by instance moderators', () => {
  for (const level of levels) {
    const member = actor('member', level);
    assert.equal(canSeeVouchesOf(member, (member as { id: string }).id), true);
    assert.equal(canSeeVouchesOf(member, 'another'), false);
    assert.equal(canSeeVouchesOf(actor('moderator', level), 'another'), true);
    assert.equal(canSeeVouchesOf(actor('admin', level), 'another'), true);
  }
  assert.equal(canSeeVouchesOf(visitor, 'another'), false);
  assert.equal(canSeeVouchesOf(systemActor, 'another'), false);
});

test('the rules: time and taking part, or a vouch, make a member; trusted needs all three', () => {
  const t = defaultThresholds;
  const r = (days: number, posts: number, reads: number, vouches: number) => ({ days, posts, reads, vouches });
  assert.equal(earnedLevel(r(0, 0, 0, 0), t), 'new');
  assert.equal(earnedLevel(r(t.memberDays, t.memberPosts, 0, 0), t), 'member');
  assert.equal(earnedLevel(r(t.memberDays, 0, t.memberReads, 0), t), 'member');
  assert.equal(earnedLevel(r(t.memberDays - 1, 100, 100, 0), t), 'new', 'not before the days');
  assert.equal(earnedLevel(r(t.memberDays, t.memberPosts - 1, t.memberReads - 1, 0), t), 'new');
  assert.equal(earnedLevel(r(0, 0, 0, t.memberVouches), t), 'member', 'one vouch is enough');
  assert.equal(earnedLevel(r(t.trustedDays, t.trustedPosts, 0, t.trustedVouches), t), 'trusted');
  assert.equal(earnedLevel(r(t.trustedDays, t.trustedPosts, 0, t.trustedVouches - 1), t), 'member');
  assert.equal(earnedLevel(r(t.trustedDays - 1, t.trustedPosts, 0, t.trustedVouches), t), 'member');
  assert.equal(promotionOf('trusted', r(0, 0, 0, 0), t), null, 'the rules never lower a level');
  assert.equal(promotionOf('member', r(t.memberDays, t.memberPosts, 0, 0), t), null);
  assert.equal(promotionOf('new', r(t.memberDays, t.memberPosts, 0, 0), t), 'member');
});
