import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor, Member } from '../../security/actor.js';
import type { GroupRole, Visibility } from '../../db/schema.js';
import type { Viewer } from '../groups/public.js';
import {
  canAnswerRequest,
  canChooseRoomDefaultTimer,
  canEditMessage,
  canLeaveConversation,
  canManageRooms,
  canModerateChat,
  canPostAnonymouslyInChat,
  canPostInChat,
  canReactInChat,
  canReadChat,
  canSetTimer,
  canStartConversationWith,
  canUnsendMessage,
  type ChatAccess,
  type Recipient,
} from './policy.js';

const user = (id: string, extra: Partial<Member> = {}): Member => ({
  kind: 'user',
  id,
  username: id,
  role: 'member',
  trust: 'member',
  ...extra,
});

/** Each role as it stands in the one group the rooms below belong to. */
const roles: Record<string, { actor: Actor; membership: GroupRole | null; banned?: boolean }> = {
  visitor: { actor: { kind: 'visitor' }, membership: null },
  member: { actor: user('m'), membership: null },
  groupMember: { actor: user('gm'), membership: 'member' },
  groupModerator: { actor: user('gmod'), membership: 'moderator' },
  owner: { actor: user('own'), membership: 'owner' },
  instanceModerator: { actor: user('imod', { role: 'moderator' }), membership: null },
  admin: { actor: user('adm', { role: 'admin' }), membership: null },
  banned: { actor: user('bn'), membership: 'member', banned: true },
  mutedGroupMember: { actor: user('mu', { mutedUntil: 1 }), membership: 'member' },
  frozenGroupMember: { actor: user('fz', { frozen: true }), membership: 'member' },
};

const viewerOf = (role: string): Viewer => {
  const r = roles[role]!;
  return { actor: r.actor, membership: r.membership, pendingRequest: false, banned: r.banned ?? false };
};

const room = (role: string, visibility: Visibility, archived = false, anonymousPosting = true): ChatAccess => ({
  kind: 'room',
  archived,
  group: { viewer: viewerOf(role), facts: { visibility, membersListOpen: false }, anonymousPosting },
});
const instanceRoom: ChatAccess = { kind: 'room', archived: false, group: null };

const actions = {
  read: canReadChat,
  post: canPostInChat,
  postAnonymously: canPostAnonymouslyInChat,
  react: canReactInChat,
  moderate: canModerateChat,
  setTimer: canSetTimer,
  editOwn: (a: Actor, c: ChatAccess) => canEditMessage(a, c, { mine: true, kind: 'message' }),
  unsendOwn: (a: Actor, c: ChatAccess) => canUnsendMessage(a, c, { mine: true, kind: 'message' }),
  unsendOthers: (a: Actor, c: ChatAccess) => canUnsendMessage(a, c, { mine: false, kind: 'message' }),
  answerRequest: canAnswerRequest,
  leave: canLeaveConversation,
} as const;
type Action = keyof typeof actions;

const writer: Action[] = ['read', 'post', 'postAnonymously', 'react', 'editOwn', 'unsendOwn'];
const manager: Action[] = [...writer, 'moderate', 'setTimer', 'unsendOthers'];
// Instance staff unsend any message in any room by its id, their own included, reading nothing more.
const staff: Action[] = ['moderate', 'unsendOthers', 'unsendOwn'];

/** What each role may do in a room of a public, private and hidden group. */
const roomMatrix: Record<string, Record<Visibility, Action[]>> = {
  visitor: { public: [], private: [], hidden: [] },
  // As on the group's threads, a signed-in member reacts in a public group they have not joined.
  member: { public: ['read', 'react', 'unsendOwn'], private: [], hidden: [] },
  groupMember: { public: writer, private: writer, hidden: writer },
  groupModerator: { public: manager, private: manager, hidden: manager },
  owner: { public: manager, private: manager, hidden: manager },
  instanceModerator: { public: ['read', 'react', ...staff], private: staff, hidden: staff },
  admin: { public: ['read', 'react', ...staff], private: staff, hidden: staff },
  // A ban stops all participation; in a public group the banned still read what any member reads.
  banned: { public: ['read', 'unsendOwn'], private: [], hidden: [] },
  // Muted: they read and take their own words back, nothing more.
  mutedGroupMember: { public: ['read', 'unsendOwn'], private: ['read', 'unsendOwn'], hidden: ['read', 'unsendOwn'] },
  // Frozen: read only; not even unsending, which would destroy what moderators may need to see.
  frozenGroupMember: { public: ['read'], private: ['read'], hidden: ['read'] },
};

const allowed = (actor: Actor, chat: ChatAccess) =>
  (Object.keys(actions) as Action[]).filter((a) => actions[a](actor, chat)).sort();

test('rooms: every role × group visibility × action', () => {
  for (const [role, byVisibility] of Object.entries(roomMatrix))
    for (const visibility of ['public', 'private', 'hidden'] as const)
      assert.deepEqual(
        allowed(roles[role]!.actor, room(role, visibility)),
        [...byVisibility[visibility]].sort(),
        `${role} in a ${visibility} group's room`,
      );
});

test('an archived room is read and moderated, never written', () => {
  const archived = (role: string) => allowed(roles[role]!.actor, room(role, 'private', true));
  assert.deepEqual(archived('groupMember'), ['read', 'unsendOwn']);
  assert.deepEqual(archived('owner'), ['moderate', 'read', 'unsendOthers', 'unsendOwn']);
});

test('anonymous messages only where the group allows anonymous posting', () => {
  const noAnonymity = room('groupMember', 'private', false, false);
  assert.equal(canPostInChat(roles.groupMember!.actor, noAnonymity), true);
  assert.equal(canPostAnonymouslyInChat(roles.groupMember!.actor, noAnonymity), false);
  assert.equal(canPostAnonymouslyInChat(roles.admin!.actor, instanceRoom), false);
});

test('instance-wide rooms: every signed-in member writes, administrators manage, instance moderators moderate', () => {
  const expected: Record<string, Action[]> = {
    visitor: [],
    member: ['editOwn', 'post', 'react', 'read', 'unsendOwn'],
    instanceModerator: ['editOwn', 'moderate', 'post', 'react', 'read', 'unsendOthers', 'unsendOwn'],
    admin: ['editOwn', 'moderate', 'post', 'react', 'read', 'setTimer', 'unsendOthers', 'unsendOwn'],
    mutedGroupMember: ['read', 'unsendOwn'],
    frozenGroupMember: ['read'],
  };
  for (const [role, actionsAllowed] of Object.entries(expected))
    assert.deepEqual(allowed(roles[role]!.actor, instanceRoom), actionsAllowed, role);
});

test('conversations: only participants, never administrators; a request is answered, not written in', () => {
  const conversation = (participation: 'active' | 'requested' | null): ChatAccess => ({
    kind: 'conversation',
    participation,
  });
  const participant: Action[] = ['editOwn', 'leave', 'post', 'react', 'read', 'setTimer', 'unsendOwn'];
  const cases: [string, 'active' | 'requested' | null, Action[]][] = [
    ['visitor', null, []],
    ['member', null, []],
    ['admin', null, []],
    ['instanceModerator', null, []],
    ['member', 'active', participant],
    ['admin', 'active', participant],
    ['member', 'requested', ['answerRequest', 'leave', 'read', 'unsendOwn']],
    ['mutedGroupMember', 'active', ['leave', 'read', 'unsendOwn']],
    ['frozenGroupMember', 'active', ['leave', 'read']],
  ];
  for (const [role, participation, expected] of cases)
    assert.deepEqual(allowed(roles[role]!.actor, conversation(participation)), expected, `${role}, ${participation}`);
});

test('timer events and tombstones are neither edited nor unsent', () => {
  const actor = roles.owner!.actor;
  const chat = room('owner', 'private');
  for (const kind of ['timer', 'unsent'] as const) {
    assert.equal(canEditMessage(actor, chat, { mine: true, kind }), false);
    assert.equal(canUnsendMessage(actor, chat, { mine: false, kind }), false);
  }
});

test('managing rooms: the group’s owner and moderators; instance rooms: administrators', () => {
  const group = (role: string) => ({
    viewer: viewerOf(role),
    facts: { visibility: 'private' as const, membersListOpen: false },
    anonymousPosting: false,
  });
  const expected: Record<string, [boolean, boolean, boolean]> = {
    // [manage the group's rooms, manage instance rooms, choose the group's default timer]
    visitor: [false, false, false],
    member: [false, false, false],
    groupMember: [false, false, false],
    groupModerator: [true, false, false],
    owner: [true, false, true],
    instanceModerator: [false, false, false],
    admin: [false, true, false],
    banned: [false, false, false],
    mutedGroupMember: [false, false, false],
    frozenGroupMember: [false, false, false],
  };
  for (const [role, [groupRooms, instanceRooms, defaultTimer]] of Object.entries(expected)) {
    const actor = roles[role]!.actor;
    assert.equal(canManageRooms(actor, group(role)), groupRooms, `${role}: group rooms`);
    assert.equal(canManageRooms(actor, null), instanceRooms, `${role}: instance rooms`);
    assert.equal(canChooseRoomDefaultTimer(actor, group(role)), defaultTimer, `${role}: default timer`);
  }
});

test('starting a conversation: the recipient’s choice × shared group × blocks × trust', () => {
  const starter = user('s');
  const newcomer = user('n', { trust: 'new' });
  const blocked = user('b', { blocked: new Set(['r']) });
  const recipient = (messaging: Recipient['messaging'], sharesGroup: boolean, frozen = false): Recipient => ({
    id: 'r',
    messaging,
    sharesGroup,
    frozen,
  });
  const cases: [Actor, Recipient, boolean, string][] = [
    [starter, recipient('anyone', false), true, 'anyone, no shared group'],
    [starter, recipient('anyone', true), true, 'anyone, shared group'],
    [starter, recipient('shared_group', true), true, 'shared group'],
    [starter, recipient('shared_group', false), false, 'shared group required'],
    [starter, recipient('nobody', true), false, 'nobody'],
    [newcomer, recipient('anyone', false), false, 'a new account opens only with people it shares a group with'],
    [newcomer, recipient('anyone', true), true, 'a new account, shared group'],
    [blocked, recipient('anyone', true), false, 'a block either way'],
    [starter, recipient('anyone', true, true), false, 'a frozen recipient'],
    [user('r'), recipient('anyone', true), false, 'oneself'],
    [user('mu', { mutedUntil: 1 }), recipient('anyone', true), false, 'muted'],
    [user('fz', { frozen: true }), recipient('anyone', true), false, 'frozen'],
    [{ kind: 'visitor' }, recipient('anyone', true), false, 'visitor'],
  ];
  for (const [actor, r, expected, label] of cases) assert.equal(canStartConversationWith(actor, r), expected, label);
});
