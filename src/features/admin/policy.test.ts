import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../../db/schema.js';
import { systemActor, type Actor } from '../../security/actor.js';
import { isAdmin, isInstanceModerator, policies } from '../../security/policy.js';
import { canChangeRole, canChangeSettings, canIssueResetCode, canListUsers } from './policy.js';
import { canManageInvites } from '../invites/policy.js';
import { canRevokeSession } from '../sessions/policy.js';
import { canManageAccount } from '../account/policy.js';

const user = (role: Role, id = `${role}-id`): Actor => ({ kind: 'user', id, username: role, role, sessionId: 's' });
const actors: Record<string, Actor> = {
  visitor: { kind: 'visitor' },
  member: user('member'),
  moderator: user('moderator'),
  admin: user('admin'),
  /** The operator's command line and background jobs. */
  system: systemActor,
};

// Who may do what. Every cell is written out so a change to any rule shows up here.
const matrix: Record<string, { check: (actor: Actor) => boolean; allowed: string[] }> = {
  'route: anyone': { check: policies.anyone, allowed: ['visitor', 'member', 'moderator', 'admin', 'system'] },
  'is an administrator': { check: isAdmin, allowed: ['admin'] },
  'is an instance moderator (administrators too)': { check: isInstanceModerator, allowed: ['moderator', 'admin'] },
  'route: signed in': { check: policies.signedIn, allowed: ['member', 'moderator', 'admin'] },
  'route: moderator': { check: policies.moderator, allowed: ['moderator', 'admin'] },
  'route: admin (view the admin pages)': { check: policies.admin, allowed: ['admin'] },
  'change the registration mode': { check: canChangeSettings, allowed: ['admin'] },
  'create, list or revoke invites': { check: canManageInvites, allowed: ['admin', 'system'] },
  'issue a reset code': { check: canIssueResetCode, allowed: ['admin', 'system'] },
  'list accounts': { check: canListUsers, allowed: ['admin'] },
  'change a role': { check: (a) => canChangeRole(a, { id: 'other', role: 'member' }), allowed: ['admin'] },
  "revoke someone else's session": { check: (a) => canRevokeSession(a, { userId: 'someone-else' }), allowed: [] },
  "change or delete someone else's account": { check: (a) => canManageAccount(a, { id: 'someone-else' }), allowed: [] },
};

for (const [action, { check, allowed }] of Object.entries(matrix)) {
  for (const [name, actor] of Object.entries(actors)) {
    const expected = allowed.includes(name);
    test(`${name} ${expected ? 'may' : 'may not'}: ${action}`, () => {
      assert.equal(check(actor), expected);
    });
  }
}

test('members manage their own sessions and account, and nobody else’s', () => {
  for (const role of ['member', 'moderator', 'admin'] as const) {
    const actor = user(role, 'me');
    assert.equal(canRevokeSession(actor, { userId: 'me' }), true);
    assert.equal(canManageAccount(actor, { id: 'me' }), true);
  }
  assert.equal(canRevokeSession(actors.visitor!, { userId: 'me' }), false);
  assert.equal(canManageAccount(actors.visitor!, { id: 'me' }), false);
});
