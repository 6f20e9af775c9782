import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../security/actor.js';
import {
  abilitiesFor,
  canChangeMemberRole,
  canCreateGroup,
  canDeletePost,
  canEditPost,
  canHidePost,
  canJoinDirectly,
  canJoinWithInvite,
  canLeave,
  canLockThread,
  canManageGroup,
  canModerate,
  canModerateAsGroupModerator,
  canPinThread,
  canPost,
  canPostAnonymously,
  canReact,
  canReachModeration,
  canReadContent,
  canReply,
  canRemoveMember,
  canRequestToJoin,
  canSeeGroup,
  canSeeMembers,
  canWatch,
  isBannedAnonymously,
  type GroupFacts,
  type GroupRole,
  type Target,
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
  'watch the group or a thread': {
    check: (v) => canWatch(v),
    allowed: { public: members, private: members, hidden: members },
  },
  post: { check: (v) => canPost(v), allowed: { public: participating, private: participating, hidden: participating } },
  // Instance moderators and administrators moderate every group (ADR 0032)...
  'moderate (hide posts, remove and ban, decide requests)': {
    check: (v) => canModerate(v),
    allowed: {
      public: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      private: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      hidden: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
    },
  },
  'hide a post': {
    check: (v) => canHidePost(v),
    allowed: {
      public: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      private: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      hidden: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
    },
  },
  // ...but only the group's own moderators make invite links, which would let anyone into the content.
  'make invite links, delete posts outright': {
    check: (v) => canModerateAsGroupModerator(v),
    allowed: {
      public: ['groupModerator', 'owner'],
      private: ['groupModerator', 'owner'],
      hidden: ['groupModerator', 'owner'],
    },
  },
  // A hidden group exists for instance moderators on its moderation pages only, reached by id.
  'reach the moderation pages': {
    check: canReachModeration,
    allowed: { public: signedIn, private: signedIn, hidden: [...members, 'instanceModerator', 'admin'] },
  },
  // Pinning arranges the group's own page: its own moderators only (ADR 0039)...
  'pin and unpin threads': {
    check: (v) => canPinThread(v),
    allowed: {
      public: ['groupModerator', 'owner'],
      private: ['groupModerator', 'owner'],
      hidden: ['groupModerator', 'owner'],
    },
  },
  // ...locking stops a pile-on, so every moderator may, as for hiding a post.
  'lock and unlock threads': {
    check: (v) => canLockThread(v),
    allowed: {
      public: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      private: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      hidden: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
    },
  },
  'reply in an open thread': {
    check: (v) => canReply(v, { locked: false }),
    allowed: { public: participating, private: participating, hidden: participating },
  },
  // A locked thread takes replies only from those who may unlock it and take part in the group.
  'reply in a locked thread': {
    check: (v) => canReply(v, { locked: true }),
    allowed: {
      public: ['groupModerator', 'owner'],
      private: ['groupModerator', 'owner'],
      hidden: ['groupModerator', 'owner'],
    },
  },
  'edit their own post in an open thread': {
    check: (v) => canEditPost(v, { authorId: v.actor.kind === 'user' ? v.actor.id : null, threadLocked: false }),
    allowed: { public: participating, private: participating, hidden: participating },
  },
  'edit their own post in a locked thread': {
    check: (v) => canEditPost(v, { authorId: v.actor.kind === 'user' ? v.actor.id : null, threadLocked: true }),
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
      public: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      private: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
      hidden: ['groupModerator', 'owner', 'instanceModerator', 'admin'],
    },
  },
  'see the member list (opened by the owner)': {
    check: (v, g) => canSeeMembers(v, { ...g, membersListOpen: true }),
    allowed: {
      public: [...participating, 'instanceModerator', 'admin'],
      private: [...participating, 'instanceModerator', 'admin'],
      hidden: [...participating, 'instanceModerator', 'admin'],
    },
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

test('trusted members, instance moderators and administrators create groups; new accounts, members and visitors do not', () => {
  assert.equal(canCreateGroup({ kind: 'visitor' }), false);
  const level = (
    trust: 'new' | 'member' | 'trusted' | undefined,
    role: 'member' | 'moderator' | 'admin' = 'member',
  ): Actor => ({
    ...(user('x', role) as Actor & { kind: 'user' }),
    ...(trust ? { trust } : {}),
  });
  assert.equal(canCreateGroup(level('trusted')), true);
  assert.equal(canCreateGroup(level('member')), false);
  assert.equal(canCreateGroup(level('new')), false);
  assert.equal(canCreateGroup(level(undefined)), false, 'a level unknown counts as new');
  for (const trust of ['new', 'member', undefined] as const) {
    assert.equal(canCreateGroup(level(trust, 'moderator')), true, `instance moderator, ${trust}`);
    assert.equal(canCreateGroup(level(trust, 'admin')), true, `administrator, ${trust}`);
  }
});

test('authors edit their own posts; moderators delete but never edit them', () => {
  const post = { authorId: 'gm', threadLocked: false };
  assert.equal(canEditPost(viewers.groupMember, post), true);
  assert.equal(canDeletePost(viewers.groupMember, post), true);
  for (const role of ['groupModerator', 'owner'] as const) {
    assert.equal(canEditPost(viewers[role], post), false, role);
    assert.equal(canDeletePost(viewers[role], post), true, role);
  }
  // Instance moderators hide posts; they do not delete them.
  for (const role of ['instanceMember', 'banned', 'bannedMember', 'instanceModerator', 'admin', 'visitor'] as const) {
    assert.equal(canEditPost(viewers[role], post), false, role);
    assert.equal(canDeletePost(viewers[role], post), false, role);
  }
  assert.equal(
    canEditPost(viewers.groupMember, { authorId: null, threadLocked: false }),
    false,
    'a post whose author was deleted',
  );
  // A lock stops editing, never deleting: "your posts stay unless you delete them" holds (ADR 0039).
  const locked = { authorId: 'gm', threadLocked: true };
  assert.equal(canEditPost(viewers.groupMember, locked), false);
  assert.equal(canDeletePost(viewers.groupMember, locked), true);
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
      pin: canPinThread,
      lock: canLockThread,
      reply: (x: Viewer) => canReply(x, { locked: false }),
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
    const own = { authorId: (viewers[role].actor as { id: string }).id, threadLocked: false };
    assert.equal(canEditPost(viewers[role], own), false, role);
    assert.equal(canDeletePost(viewers[role], own), true, role);
  }
});

// Who outranks whom (src/security/policy.ts), as the group policies apply it: every actor against
// every target, each cell written out. Ranks: owner > administrator > instance moderator > group
// moderator > member; a person stands at the higher of their group and instance roles.
const targets: Record<string, Target> = {
  member: { userId: 't-member', groupRole: 'member', instanceRole: 'member' },
  moderator: { userId: 't-mod', groupRole: 'moderator', instanceRole: 'member' },
  owner: { userId: 't-owner', groupRole: 'owner', instanceRole: 'member' },
  'member who is an instance moderator': { userId: 't-im', groupRole: 'member', instanceRole: 'moderator' },
  'member who is an administrator': { userId: 't-ad', groupRole: 'member', instanceRole: 'admin' },
  'someone who left': { userId: 't-left', groupRole: null, instanceRole: 'member' },
};
const removable: Record<Role, string[]> = {
  visitor: [],
  instanceMember: [],
  applicant: [],
  banned: [],
  bannedMember: [],
  groupMember: [],
  groupModerator: ['member', 'someone who left'],
  owner: [
    'member',
    'moderator',
    'member who is an instance moderator',
    'member who is an administrator',
    'someone who left',
  ],
  instanceModerator: ['member', 'moderator', 'someone who left'],
  admin: ['member', 'moderator', 'member who is an instance moderator', 'someone who left'],
};
const roleChangeable: Record<Role, string[]> = {
  ...Object.fromEntries(Object.keys(viewers).map((r) => [r, []])),
  owner: ['member', 'moderator', 'member who is an instance moderator', 'member who is an administrator'],
} as Record<Role, string[]>;

for (const [role, v] of Object.entries(viewers) as [Role, Viewer][]) {
  for (const [name, target] of Object.entries(targets)) {
    const mayRemove = removable[role].includes(name);
    test(`${role} ${mayRemove ? 'may' : 'may not'} remove or ban: ${name}`, () => {
      assert.equal(canRemoveMember(v, target), mayRemove);
    });
    const mayChange = roleChangeable[role].includes(name);
    test(`${role} ${mayChange ? 'may' : 'may not'} change the group role of: ${name}`, () => {
      assert.equal(canChangeMemberRole(v, target), mayChange);
    });
  }
}

test('nobody removes, bans or changes the role of themself', () => {
  for (const [role, v] of Object.entries(viewers) as [Role, Viewer][]) {
    if (v.actor.kind !== 'user') continue;
    const self: Target = { userId: v.actor.id, groupRole: v.membership, instanceRole: v.actor.role };
    assert.equal(canRemoveMember(v, self), false, role);
    assert.equal(canChangeMemberRole(v, self), false, role);
  }
});

test('a group moderator banned through an anonymous post outranks nobody in that group', () => {
  const v = { ...viewers.groupModerator, anonymousBan: true };
  assert.equal(canRemoveMember(v, targets.member!), false);
});

test('abilities are exactly what the policies answer, for every viewer and visibility', () => {
  for (const visibility of ['public', 'private', 'hidden'] as const) {
    const g = { visibility, membersListOpen: false, anonymousPosting: true };
    for (const [role, v] of Object.entries(viewers) as [Role, Viewer][]) {
      const a = abilitiesFor(v, g);
      const at = `${visibility} ${role}`;
      assert.equal(a.readContent, canReadContent(v, g), at);
      assert.equal(a.join, canJoinDirectly(v, g), at);
      assert.equal(a.requestToJoin, canRequestToJoin(v, g), at);
      assert.equal(a.withdrawRequest, role === 'applicant', at);
      assert.equal(a.leave, canLeave(v), at);
      assert.equal(a.watch, canWatch(v), at);
      assert.equal(a.post, canPost(v), at);
      assert.equal(a.postAnonymously, canPostAnonymously(v, g), at);
      assert.equal(a.react, canReact(v, g), at);
      assert.equal(a.seeMembers, canSeeMembers(v, g), at);
      assert.equal(a.moderate, canModerate(v), at);
      assert.equal(a.reviewRequests, canModerate(v) && visibility === 'private', at);
      assert.equal(a.makeInviteLinks, canModerateAsGroupModerator(v), at);
      assert.equal(a.manage, canManageGroup(v), at);
      assert.equal(a.bannedAnonymously, isBannedAnonymously(v), at);
      assert.equal(a.pinThreads, canPinThread(v), at);
      assert.equal(a.lockThreads, canLockThread(v), at);
      assert.equal(a.role, members.includes(role) ? v.membership : null, at);
    }
  }
});
