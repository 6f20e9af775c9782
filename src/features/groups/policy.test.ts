import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../security/actor.js';
import {
  canCreateGroup,
  canDeletePost,
  canEditPost,
  canJoinDirectly,
  canJoinWithInvite,
  canLeave,
  canManageGroup,
  canModerate,
  canPost,
  canPostAnonymously,
  canReact,
  canReadContent,
  canRequestToJoin,
  canSeeAuthor,
  canSeeGroup,
  canSeeMembers,
  isBannedAnonymously,
  type GroupFacts,
  type GroupRole,
  type Viewer,
  type Visibility,
} from './policy.js';

const user = (id: string, role: 'member' | 'moderator' | 'admin' = 'member'): Actor => ({
  kind: 'user',
  id,
  username: id,
  role,
});
const viewer = (actor: Actor, membership: GroupRole | null = null, pendingRequest = false, banned = false): Viewer => ({
  actor,
  membership,
  pendingRequest,
  banned,
});

const viewers = {
  visitor: viewer({ kind: 'visitor' }),
  instanceMember: viewer(user('m')),
  applicant: viewer(user('a'), null, true),
  /** Removed and banned: what a ban does today. */
  banned: viewer(user('bn'), null, false, true),
  /** Still listed as a member while banned (a ban that takes effect without a visible removal). */
  bannedMember: viewer(user('bm'), 'member', false, true),
  groupMember: viewer(user('gm'), 'member'),
  groupModerator: viewer(user('gmod'), 'moderator'),
  owner: viewer(user('o'), 'owner'),
  instanceModerator: viewer(user('im', 'moderator')),
  admin: viewer(user('ad', 'admin')),
} as const;
type Role = keyof typeof viewers;

const signedIn: Role[] = [
  'instanceMember',
  'applicant',
  'banned',
  'bannedMember',
  'groupMember',
  'groupModerator',
  'owner',
  'instanceModerator',
  'admin',
];
const members: Role[] = ['bannedMember', 'groupMember', 'groupModerator', 'owner'];
const participating: Role[] = ['groupMember', 'groupModerator', 'owner'];
const outsiders: Role[] = ['instanceMember', 'applicant', 'banned', 'instanceModerator', 'admin'];
const none: Role[] = [];
const except = (roles: Role[], ...left: Role[]) => roles.filter((r) => !left.includes(r));

// Expected: for each action and each visibility, exactly who may. Written out in full.
const matrix: Record<string, { check: (v: Viewer, g: GroupFacts) => boolean; allowed: Record<Visibility, Role[]> }> = {
  'see that the group exists': {
    check: canSeeGroup,
    allowed: { public: signedIn, private: signedIn, hidden: members },
  },
  // A member who is banned but still listed (ADR 0018) reads only what any signed-in visitor reads.
  'read threads and posts': {
    check: canReadContent,
    allowed: { public: signedIn, private: participating, hidden: participating },
  },
  'react to posts': {
    check: canReact,
    allowed: { public: except(signedIn, 'banned', 'bannedMember'), private: participating, hidden: participating },
  },
  'join at once': { check: canJoinDirectly, allowed: { public: outsiders, private: none, hidden: none } },
  'ask to join': {
    check: canRequestToJoin,
    allowed: { public: none, private: ['instanceMember', 'banned', 'instanceModerator', 'admin'], hidden: none },
  },
  'join with an invite link': {
    check: canJoinWithInvite,
    allowed: { public: outsiders, private: outsiders, hidden: outsiders },
  },
  leave: { check: (v) => canLeave(v), allowed: { public: members, private: members, hidden: members } },
  post: { check: (v) => canPost(v), allowed: { public: participating, private: participating, hidden: participating } },
  moderate: {
    check: (v) => canModerate(v),
    allowed: {
      public: ['groupModerator', 'owner'],
      private: ['groupModerator', 'owner'],
      hidden: ['groupModerator', 'owner'],
    },
  },
  'manage settings and moderators': {
    check: (v) => canManageGroup(v),
    allowed: { public: ['owner'], private: ['owner'], hidden: ['owner'] },
  },
  'see the member list (closed)': {
    check: canSeeMembers,
    allowed: {
      public: ['groupModerator', 'owner'],
      private: ['groupModerator', 'owner'],
      hidden: ['groupModerator', 'owner'],
    },
  },
  'see the member list (opened by the owner)': {
    check: (v, g) => canSeeMembers(v, { ...g, membersListOpen: true }),
    allowed: { public: participating, private: participating, hidden: participating },
  },
  'see the author of an anonymous post': {
    check: (v, g) => canSeeAuthor(v, g, { anonymous: true }),
    allowed: { public: none, private: none, hidden: none },
  },
  'see the author of a signed post': {
    check: (v, g) => canSeeAuthor(v, g, { anonymous: false }),
    allowed: { public: signedIn, private: participating, hidden: participating },
  },
};

for (const [action, { check, allowed }] of Object.entries(matrix)) {
  for (const visibility of ['public', 'private', 'hidden'] as const) {
    for (const [role, v] of Object.entries(viewers) as [Role, Viewer][]) {
      const expected = allowed[visibility].includes(role);
      test(`${visibility} group: ${role} ${expected ? 'may' : 'may not'} ${action}`, () => {
        assert.equal(check(v, { visibility, membersListOpen: false }), expected);
      });
    }
  }
}

test('any signed-in member may create a group; visitors may not', () => {
  assert.equal(canCreateGroup({ kind: 'visitor' }), false);
  for (const role of signedIn) assert.equal(canCreateGroup(viewers[role].actor), true, role);
});

test('authors edit their own posts; moderators delete but never edit them', () => {
  const post = { authorId: 'gm' };
  assert.equal(canEditPost(viewers.groupMember, post), true);
  assert.equal(canDeletePost(viewers.groupMember, post), true);
  for (const role of ['groupModerator', 'owner'] as const) {
    assert.equal(canEditPost(viewers[role], post), false, role);
    assert.equal(canDeletePost(viewers[role], post), true, role);
  }
  for (const role of ['instanceMember', 'banned', 'bannedMember', 'instanceModerator', 'admin', 'visitor'] as const) {
    assert.equal(canEditPost(viewers[role], post), false, role);
    assert.equal(canDeletePost(viewers[role], post), false, role);
  }
  assert.equal(canEditPost(viewers.groupMember, { authorId: null }), false, 'a post whose author was deleted');
});

test('banned through an anonymous post: still a member on paper, taking part no more; the owner only loses anonymity', () => {
  const group = { visibility: 'private' as const, membersListOpen: true, anonymousPosting: true };
  for (const role of ['groupMember', 'groupModerator'] as const) {
    const v = { ...viewers[role], anonymousBan: true };
    assert.equal(v.membership !== null && canLeave(v), true, `${role} can still leave`);
    assert.equal(isBannedAnonymously(v), true, `${role} is told`);
    for (const [name, check] of Object.entries({
      canReadContent,
      canReact,
      canSeeMembers,
      post: canPost,
      moderate: canModerate,
      anonymously: canPostAnonymously,
    })) {
      assert.equal(check(v, group), false, `${role}: ${name}`);
    }
    assert.equal(
      canReadContent(v, { ...group, visibility: 'public' }),
      true,
      `${role} reads public groups like anyone`,
    );
    assert.equal(canReact(v, { ...group, visibility: 'public' }), false, `${role} does not react even there`);
  }
  const owner = { ...viewers.owner, anonymousBan: true };
  for (const check of [canReadContent, canReact, canSeeMembers, canPost, canModerate, canManageGroup])
    assert.equal(check(owner, group), true);
  assert.equal(canPostAnonymously(owner, group), false);
  assert.equal(canPostAnonymously(viewers.owner, group), true);
  assert.equal(isBannedAnonymously(viewers.groupMember), false);
});

test('an author who left or was banned may no longer edit, but may always delete their own posts', () => {
  for (const role of ['instanceMember', 'banned', 'bannedMember'] as const) {
    const own = { authorId: (viewers[role].actor as { id: string }).id };
    assert.equal(canEditPost(viewers[role], own), false, role);
    assert.equal(canDeletePost(viewers[role], own), true, role);
  }
});
