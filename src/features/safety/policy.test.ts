// The member tools' rules as a matrix of roles × actions (ADR 0052).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../security/actor.js';
import { systemActor, visitor } from '../../security/actor.js';
import type { Viewer } from '../groups/public.js';
import { canBlockOrMute, canManageGroupTools, canManageInstanceWords, isExemptFromSlowMode } from './policy.js';

const user = (role: 'member' | 'moderator' | 'admin'): Actor => ({
  kind: 'user',
  id: `u-${role}`,
  username: role,
  role,
});
const viewer = (actor: Actor, membership: Viewer['membership'], banned = false): Viewer => ({
  actor,
  membership,
  pendingRequest: false,
  banned,
});

test('blocking and muting: every signed-in member, nobody else', () => {
  assert.equal(canBlockOrMute(user('member')), true);
  assert.equal(canBlockOrMute(user('moderator')), true);
  assert.equal(canBlockOrMute(user('admin')), true);
  assert.equal(canBlockOrMute(visitor), false);
  assert.equal(canBlockOrMute(systemActor), false);
});

test("the instance's watched words: its moderators and administrators", () => {
  assert.deepEqual(
    [user('member'), user('moderator'), user('admin'), visitor, systemActor].map(canManageInstanceWords),
    [false, true, true, false, false],
  );
});

test("a group's tools and who slow mode spares, by role in the group and on the instance", () => {
  const rows: [string, Viewer, boolean, boolean][] = [
    // who, viewer, manages the group's tools, exempt from slow mode
    ['owner', viewer(user('member'), 'owner'), true, true],
    ['group moderator', viewer(user('member'), 'moderator'), true, true],
    ['member', viewer(user('member'), 'member'), false, false],
    ['banned moderator', viewer(user('member'), 'moderator', true), false, false],
    ['outsider', viewer(user('member'), null), false, false],
    ['instance moderator outside', viewer(user('moderator'), null), false, true],
    ['instance moderator as member', viewer(user('moderator'), 'member'), false, true],
    ['administrator outside', viewer(user('admin'), null), false, true],
    ['visitor', viewer(visitor, null), false, false],
  ];
  for (const [who, v, manages, exempt] of rows) {
    assert.equal(canManageGroupTools(v), manages, `${who} manages`);
    assert.equal(isExemptFromSlowMode(v), exempt, `${who} exempt`);
  }
});
