// The rules of the moderation log, appeals and reveals (ADR 0049) as a matrix of roles × actions:
// each row of `expected` writes out every cell, so a changed rule shows as a changed line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../security/actor.js';
import type { Viewer } from '../groups/public.js';
import {
  canAppeal,
  canBeShownAuthor,
  canDecideAppeal,
  canDecideReveal,
  canReadGroupLog,
  canReadInstanceLog,
  canRequestReveal,
  canReviewAppeal,
  canSeeModeratorName,
  canSeeReveal,
  canSeeTargetName,
  isAppealable,
} from './log-policy.js';

const user = (id: string, role: 'member' | 'moderator' | 'admin' = 'member'): Actor => ({
  kind: 'user',
  id,
  username: id,
  role,
});
type Membership = Viewer['membership'];
const viewer = (actor: Actor, membership: Membership = null, banned = false, anonymousBan = false): Viewer => ({
  actor,
  membership,
  pendingRequest: false,
  banned,
  anonymousBan,
});

const roles = {
  visitor: viewer({ kind: 'visitor' }),
  outsider: viewer(user('out')),
  member: viewer(user('mem'), 'member'),
  bannedMember: viewer(user('ban'), 'member', true),
  anonymouslyBanned: viewer(user('anb'), 'member', false, true),
  groupModerator: viewer(user('gmod'), 'moderator'),
  owner: viewer(user('own'), 'owner'),
  instanceModerator: viewer(user('imod', 'moderator')),
  admin: viewer(user('adm', 'admin')),
  secondAdmin: viewer(user('adm2', 'admin')),
} as const;
type Role = keyof typeof roles;

const publicGroup = { visibility: 'public' as const, membersListOpen: false };
const privateGroup = { visibility: 'private' as const, membersListOpen: false };
const hiddenGroup = { visibility: 'hidden' as const, membersListOpen: false };

const actorId = (v: Viewer) => (v.actor.kind === 'user' ? v.actor.id : 'nobody');

/** Each action is one column; `1` allowed, `.` refused. */
const actions: Record<string, (v: Viewer) => boolean> = {
  'read public group log': (v) => canReadGroupLog(v, publicGroup),
  'read private group log': (v) => canReadGroupLog(v, privateGroup),
  'read hidden group log': (v) => canReadGroupLog(v, hiddenGroup),
  'read instance log': (v) => canReadInstanceLog(v.actor),
  'name of a group moderator who acted': (v) => canSeeModeratorName(v.actor, v, { actorModeratesGroup: true }),
  'name of an instance moderator who acted': (v) => canSeeModeratorName(v.actor, v, { actorModeratesGroup: false }),
  'name on an instance row': (v) => canSeeModeratorName(v.actor, null, { actorModeratesGroup: false }),
  'name of the member acted on': (v) => canSeeTargetName(v.actor, v),
  'review an appeal in the group': (v) => canReviewAppeal(v.actor, v),
  'review an appeal of an instance row': (v) => canReviewAppeal(v.actor, null),
  'decide an appeal of another moderator': (v) => canDecideAppeal(v.actor, v, { actorId: 'someone', appellantId: 'x' }),
  'decide an appeal of their own action': (v) => canDecideAppeal(v.actor, v, { actorId: actorId(v), appellantId: 'x' }),
  'decide their own appeal': (v) => canDecideAppeal(v.actor, v, { actorId: 'someone', appellantId: actorId(v) }),
  'appeal a row about them': (v) =>
    canAppeal(v.actor, { action: 'post.hide', actorId: 'someone', targetUserId: actorId(v) }),
  "appeal another member's row": (v) =>
    canAppeal(v.actor, { action: 'post.hide', actorId: 'someone', targetUserId: 'another' }),
  'request a reveal': (v) => canRequestReveal(v.actor),
  "decide another's reveal": (v) => canDecideReveal(v.actor, { requesterId: 'adm' === actorId(v) ? 'adm2' : 'adm' }),
  'decide their own reveal': (v) => canDecideReveal(v.actor, { requesterId: actorId(v) }),
  'see reveals': (v) => canSeeReveal(v.actor),
  'be shown the author of their approved reveal': (v) =>
    canBeShownAuthor(v.actor, { requesterId: actorId(v), status: 'approved', shownAt: null }),
  'be shown it twice': (v) => canBeShownAuthor(v.actor, { requesterId: actorId(v), status: 'approved', shownAt: 1 }),
  'be shown it while pending': (v) =>
    canBeShownAuthor(v.actor, { requesterId: actorId(v), status: 'pending', shownAt: null }),
  "be shown another's": (v) => canBeShownAuthor(v.actor, { requesterId: 'another', status: 'approved', shownAt: null }),
};

// Columns in the order of `actions`.
const expected: Record<Role, string> = {
  visitor: '.......................',
  outsider: '.............1.........',
  member: '111..........1.........',
  bannedMember: '1............1.........',
  anonymouslyBanned: '1............1.........',
  groupModerator: '111.1..11.1..1.........',
  owner: '111.1..11.1..1.........',
  instanceModerator: '11111111111..1..1.1....',
  admin: '11111111111..1.11.11...',
  secondAdmin: '11111111111..1.11.11...',
};

test('the moderation log, appeals and reveals: every role × action', () => {
  const names = Object.keys(actions);
  for (const [role, v] of Object.entries(roles) as [Role, Viewer][]) {
    const got = names.map((name) => (actions[name]!(v) ? '1' : '.')).join('');
    const differs = names.filter((_, i) => got[i] !== expected[role][i]);
    assert.equal(got, expected[role], `${role}: ${differs.join('; ')}`);
  }
});

test('what may be appealed: something done to the member by someone else, never an undoing or an answer', () => {
  const about = (action: string, actorId: string | null = 'mod', targetUserId: string | null = 'm') =>
    isAppealable({ action, actorId, targetUserId });
  for (const action of [
    'post.hide',
    'post.delete',
    'user.warn',
    'user.mute',
    'user.suspend',
    'group.ban',
    'trust.withdraw',
    'some.future_action',
  ])
    assert.equal(about(action), true, action);
  for (const action of [
    'case.dismiss',
    'post.unhide',
    'user.unmute',
    'group.unban',
    'trust.grant',
    'appeal.upheld',
    'appeal.overturned',
    'reveal.request',
  ])
    assert.equal(about(action), false, action);
  assert.equal(about('post.hide', null), true, 'an action by Sanad itself (a watched word) is appealable');
  assert.equal(about('user.warn', 'm'), false, 'their own request is not');
  assert.equal(about('post.hide', 'mod', null), false, 'a row about nobody is not');
});
