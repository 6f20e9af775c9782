// Who may act from the moderation queue (ADR 0048), as a matrix: every action × every role × the
// scopes a target can be in. Each expectation is written out, not computed from the rule.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GroupRole, Role } from '../../db/schema.js';
import { visitor, type Actor } from '../../security/actor.js';
import {
  actionFits,
  canAct,
  canUseQueue,
  moderationActions,
  seesEveryCase,
  type ActFacts,
  type ActTargetType,
  type AffectedMember,
  type ModerationAction,
} from './policy.js';

const user = (id: string, role: Role = 'member'): Actor => ({ kind: 'user', id, username: id, role });

/** A role, as the actor and their role in the target's group (taking part), if any. */
const roles: Record<string, { actor: Actor; groupRole: GroupRole | null }> = {
  visitor: { actor: visitor, groupRole: null },
  member: { actor: user('outsider'), groupRole: null },
  groupMember: { actor: user('mem'), groupRole: 'member' },
  groupModerator: { actor: user('gmod'), groupRole: 'moderator' },
  // A moderator of another group is no one in this one.
  otherGroupModerator: { actor: user('othermod'), groupRole: null },
  owner: { actor: user('owner'), groupRole: 'owner' },
  instanceModerator: { actor: user('imod', 'moderator'), groupRole: null },
  admin: { actor: user('admin', 'admin'), groupRole: null },
};

interface Scope {
  targetType: ActTargetType;
  inGroup: boolean;
  affected: AffectedMember | null;
  expected: Record<keyof typeof roles, ModerationAction[]>;
}

const groupWork: ModerationAction[] = ['hide', 'delete', 'approve', 'warn', 'ban_group', 'dismiss'];
const staffWork: ModerationAction[] = ['hide', 'approve', 'warn', 'mute', 'suspend', 'ban_group', 'ban', 'dismiss'];
const nothing: ModerationAction[] = [];
const directoryWork: ModerationAction[] = [
  'hide',
  'delete',
  'approve',
  'warn',
  'mute',
  'suspend',
  'ban_group',
  'ban',
  'dismiss',
];
const plainMember: AffectedMember = { userId: 'author', groupRole: 'member', instanceRole: 'member' };

const scopes: Record<string, Scope> = {
  "a member's post in the group": {
    targetType: 'post',
    inGroup: true,
    affected: plainMember,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: groupWork,
      otherGroupModerator: nothing,
      owner: groupWork,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
  'an anonymous post in the group (its author unknown)': {
    targetType: 'post',
    inGroup: true,
    affected: null,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: groupWork,
      otherGroupModerator: nothing,
      owner: groupWork,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
  "a member's thread in the group": {
    targetType: 'thread',
    inGroup: true,
    affected: plainMember,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: groupWork,
      otherGroupModerator: nothing,
      owner: groupWork,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
  "the group owner's post: it outranks everyone but themself, who may not act on their own": {
    targetType: 'post',
    inGroup: true,
    affected: { userId: 'owner', groupRole: 'owner', instanceRole: 'member' },
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: ['dismiss'],
      otherGroupModerator: nothing,
      owner: ['dismiss'],
      instanceModerator: ['dismiss'],
      admin: ['dismiss'],
    },
  },
  "another group moderator's post: equals do not act on each other": {
    targetType: 'post',
    inGroup: true,
    affected: { userId: 'gmod2', groupRole: 'moderator', instanceRole: 'member' },
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: ['dismiss'],
      otherGroupModerator: nothing,
      owner: groupWork,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
  'an account met in the group (its case is the group’s)': {
    targetType: 'user',
    inGroup: true,
    affected: plainMember,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: groupWork,
      otherGroupModerator: nothing,
      owner: groupWork,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
  'an account reported to the instance (no group)': {
    targetType: 'user',
    inGroup: false,
    affected: plainMember,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: nothing,
      otherGroupModerator: nothing,
      owner: nothing,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
  'an administrator’s account': {
    targetType: 'user',
    inGroup: false,
    affected: { userId: 'admin2', groupRole: null, instanceRole: 'admin' },
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: nothing,
      otherGroupModerator: nothing,
      owner: nothing,
      instanceModerator: ['dismiss'],
      admin: ['dismiss'],
    },
  },
  'a whole group: the instance’s to answer, never its own moderators’': {
    targetType: 'group',
    inGroup: true,
    affected: null,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: nothing,
      otherGroupModerator: nothing,
      owner: nothing,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
  "a member's note on a listing: the directory's keepers, who delete there too": {
    targetType: 'resource_note',
    inGroup: false,
    affected: plainMember,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: nothing,
      otherGroupModerator: nothing,
      owner: nothing,
      instanceModerator: directoryWork,
      admin: directoryWork,
    },
  },
  'an anonymous note on a listing (its author unknown)': {
    targetType: 'resource_note',
    inGroup: false,
    affected: null,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: nothing,
      otherGroupModerator: nothing,
      owner: nothing,
      instanceModerator: directoryWork,
      admin: directoryWork,
    },
  },
  'a listing, even one shared with the group: the instance’s': {
    targetType: 'resource',
    inGroup: true,
    affected: null,
    expected: {
      visitor: nothing,
      member: nothing,
      groupMember: nothing,
      groupModerator: nothing,
      otherGroupModerator: nothing,
      owner: nothing,
      instanceModerator: staffWork,
      admin: staffWork,
    },
  },
};

describe('canAct: every action × role × scope', () => {
  for (const [scopeName, scope] of Object.entries(scopes)) {
    for (const [roleName, role] of Object.entries(roles)) {
      test(`${scopeName} · ${roleName}`, () => {
        const allowed = moderationActions.filter((action) => {
          const facts: ActFacts = {
            actor: role.actor,
            action,
            targetType: scope.targetType,
            actorGroupRole: role.groupRole,
            inGroup: scope.inGroup,
            affected: scope.affected,
          };
          return canAct(facts);
        });
        assert.deepEqual(allowed, scope.expected[roleName as keyof typeof roles]);
      });
    }
  }

  test('a moderator never acts on themself, except to dismiss', () => {
    const self = { userId: 'gmod', groupRole: 'moderator' as const, instanceRole: 'member' as const };
    const allowed = moderationActions.filter((action) =>
      canAct({
        actor: user('gmod'),
        action,
        targetType: 'post',
        actorGroupRole: 'moderator',
        inGroup: true,
        affected: self,
      }),
    );
    assert.deepEqual(allowed, ['dismiss']);
  });

  test('the system actor acts on nothing from the queue', () => {
    for (const action of moderationActions)
      assert.equal(
        canAct({
          actor: { kind: 'system' },
          action,
          targetType: 'post',
          actorGroupRole: null,
          inGroup: true,
          affected: plainMember,
        }),
        false,
      );
  });
});

describe('actionFits: which actions apply to which target', () => {
  const cases: [ModerationAction, ActTargetType, boolean, boolean, boolean][] = [
    ['hide', 'post', true, true, true],
    ['hide', 'thread', false, true, true],
    ['hide', 'user', true, true, false],
    ['delete', 'group', false, true, false],
    ['approve', 'post', false, true, true],
    ['warn', 'post', false, true, false],
    ['warn', 'post', true, true, true],
    ['mute', 'user', true, false, true],
    ['suspend', 'group', false, true, false],
    ['ban', 'user', true, false, true],
    ['ban_group', 'post', false, true, true],
    ['ban_group', 'user', true, false, false],
    ['ban_group', 'user', true, true, true],
    ['dismiss', 'group', false, true, true],
    ['hide', 'resource_note', false, false, true],
    ['delete', 'resource_note', true, false, true],
    ['approve', 'resource_note', false, false, true],
    ['warn', 'resource_note', true, false, true],
    ['ban_group', 'resource_note', true, false, false],
    ['hide', 'resource', false, false, false],
    ['delete', 'resource', false, false, false],
    ['warn', 'resource', false, false, false],
    ['dismiss', 'resource', false, false, true],
  ];
  for (const [action, type, hasMember, inGroup, expected] of cases) {
    test(`${action} on ${type}${hasMember ? ' with its member' : ''}${inGroup ? ' in a group' : ''}: ${expected}`, () =>
      assert.equal(actionFits(action, type, hasMember, inGroup), expected));
  }
});

describe('who has a queue', () => {
  test('instance moderators and administrators see every case; group moderators theirs; others none', () => {
    assert.equal(canUseQueue(visitor, false), false);
    assert.equal(canUseQueue(user('m'), false), false);
    assert.equal(canUseQueue(user('m'), true), true);
    assert.equal(canUseQueue(user('i', 'moderator'), false), true);
    assert.equal(seesEveryCase(user('m')), false);
    assert.equal(seesEveryCase(user('i', 'moderator')), true);
    assert.equal(seesEveryCase(user('a', 'admin')), true);
    assert.equal(seesEveryCase(visitor), false);
  });
});
