import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role, TrustLevel } from '../../db/schema.js';
import { systemActor, type Actor } from '../../security/actor.js';
import { canDecideApplications, canFreezeAccount, canReviewAccount } from '../vetting/policy.js';
import { canFreezeBranch, canMakeInvites, canManageInvites, canSeeInviteTree, isUncappedInviter } from './policy.js';

// Issue 11, ADR 0051: who may see the invite tree, stop a branch's invites, make invites, decide
// applications and freeze accounts. Every cell is written out. Group moderators hold no instance
// power here: a group role changes nothing (they report a suspected infiltrator to the queue).
const user = (role: Role, trust: TrustLevel, id = `${role}-${trust}`, frozen = false): Actor => ({
  kind: 'user',
  id,
  username: id,
  role,
  trust,
  frozen,
  sessionId: 's',
});
const actors: Record<string, Actor> = {
  visitor: { kind: 'visitor' },
  new: user('member', 'new'),
  member: user('member', 'member'),
  trusted: user('member', 'trusted'),
  /** A group moderator is an instance member; their group role is asked about only in groups/policy.ts. */
  groupModerator: user('member', 'member', 'group-mod'),
  frozenTrusted: user('member', 'trusted', 'frozen-trusted', true),
  instanceModerator: user('moderator', 'member'),
  admin: user('admin', 'member'),
  system: systemActor,
};
const member = { id: 'target', role: 'member' as Role };
const moderatorTarget = { id: 'other-mod', role: 'moderator' as Role };

const matrix: Record<string, { check: (actor: Actor) => boolean; allowed: string[] }> = {
  'make invites of their own': {
    check: canMakeInvites,
    allowed: ['trusted', 'instanceModerator', 'admin', 'system'],
  },
  'make invites without the per-member cap': {
    check: isUncappedInviter,
    allowed: ['instanceModerator', 'admin', 'system'],
  },
  'list or revoke every invite': { check: canManageInvites, allowed: ['admin', 'system'] },
  'see the invite tree': { check: canSeeInviteTree, allowed: ['instanceModerator', 'admin'] },
  "stop a branch's invites": { check: canFreezeBranch, allowed: ['instanceModerator', 'admin'] },
  'decide applications': { check: canDecideApplications, allowed: ['instanceModerator', 'admin'] },
  "review an account's moderation page": { check: canReviewAccount, allowed: ['instanceModerator', 'admin'] },
  'freeze a member': { check: (a) => canFreezeAccount(a, member), allowed: ['instanceModerator', 'admin'] },
  'freeze an instance moderator': { check: (a) => canFreezeAccount(a, moderatorTarget), allowed: ['admin'] },
  'freeze an administrator': { check: (a) => canFreezeAccount(a, { id: 'other-admin', role: 'admin' }), allowed: [] },
};

for (const [action, { check, allowed }] of Object.entries(matrix)) {
  for (const [name, actor] of Object.entries(actors)) {
    const expected = allowed.includes(name);
    test(`${name} ${expected ? 'may' : 'may not'}: ${action}`, () => {
      assert.equal(check(actor), expected);
    });
  }
}

test('nobody freezes their own account', () => {
  const admin = actors.admin as Extract<Actor, { kind: 'user' }>;
  assert.equal(canFreezeAccount(admin, { id: admin.id, role: 'member' }), false);
});
