import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemActor, visitor, type Actor } from '../../security/actor.js';
import {
  canCorrect,
  canEditListing,
  canImport,
  canNote,
  canReadListing,
  canReadNotes,
  canSuggest,
  canVerify,
  type ListingFacts,
  type ListingVisibility,
} from './policy.js';

// The matrix: visitor, member, group member, trusted, moderator, admin × public /
// members-only / group-limited × read, note, correct, verify, import.
type Who = 'visitor' | 'member' | 'groupMember' | 'trusted' | 'moderator' | 'admin';
const people: Record<Who, Actor> = {
  visitor,
  member: { kind: 'user', id: 'm', username: 'm', role: 'member', trust: 'member' },
  groupMember: { kind: 'user', id: 'g', username: 'g', role: 'member', trust: 'member' },
  trusted: { kind: 'user', id: 't', username: 't', role: 'member', trust: 'trusted' },
  moderator: { kind: 'user', id: 'o', username: 'o', role: 'moderator', trust: 'trusted' },
  admin: { kind: 'user', id: 'a', username: 'a', role: 'admin', trust: 'trusted' },
};
const visibilities: ListingVisibility[] = ['public', 'members', 'group'];
const facts = (who: Who, visibility: ListingVisibility, extra: Partial<ListingFacts> = {}): ListingFacts => ({
  visibility,
  reviewState: 'published',
  inGroup: who === 'groupMember',
  suggestedByReader: false,
  expired: false,
  ...extra,
});

const keeper = (who: Who) => who === 'moderator' || who === 'admin';
const reads = (who: Who, v: ListingVisibility) =>
  v === 'public' || (who !== 'visitor' && (v === 'members' || who === 'groupMember' || keeper(who)));

const expected: Record<string, (who: Who, v: ListingVisibility) => boolean> = {
  read: reads,
  readNotes: (who, v) => who !== 'visitor' && reads(who, v),
  note: (who, v) => who !== 'visitor' && reads(who, v),
  correct: (who, v) => who !== 'visitor' && reads(who, v),
  verify: (who) => keeper(who),
  import: (who) => keeper(who),
  edit: (who) => keeper(who),
  suggest: (who) => who !== 'visitor',
};
const actual: Record<string, (a: Actor, l: ListingFacts) => boolean> = {
  read: canReadListing,
  readNotes: canReadNotes,
  note: canNote,
  correct: canCorrect,
  verify: canVerify,
  import: (a) => canImport(a),
  edit: (a) => canEditListing(a),
  suggest: (a) => canSuggest(a),
};

for (const [action, rule] of Object.entries(expected)) {
  test(`${action}: roles × visibilities`, () => {
    for (const who of Object.keys(people) as Who[])
      for (const v of visibilities)
        assert.equal(actual[action]!(people[who], facts(who, v)), rule(who, v), `${who}, ${v}`);
    // The system (jobs, the CLI) is nobody: it reads what a visitor reads.
    for (const v of visibilities)
      assert.equal(actual[action]!(systemActor, facts('visitor', v)), rule('visitor', v), `system, ${v}`);
  });
}

test('a waiting suggestion is seen by its author and the keepers only, and takes no notes or corrections', () => {
  for (const who of Object.keys(people) as Who[])
    for (const v of visibilities) {
      const waiting = facts(who, v, { reviewState: 'pending' });
      assert.equal(canReadListing(people[who], waiting), keeper(who), `${who}, ${v}`);
      assert.equal(canNote(people[who], waiting), false, `${who}, ${v}: note`);
      assert.equal(canCorrect(people[who], waiting), false, `${who}, ${v}: correct`);
      const own = { ...waiting, suggestedByReader: true };
      assert.equal(canReadListing(people[who], own), who !== 'visitor', `${who}, ${v}: own`);
      const declined = facts(who, v, { reviewState: 'declined', suggestedByReader: true });
      assert.equal(canReadListing(people[who], declined), keeper(who), `${who}, ${v}: declined`);
    }
});

test('a frozen or muted account reads but writes nothing, and a frozen keeper keeps nothing', () => {
  for (const who of ['member', 'trusted', 'moderator', 'admin'] as const) {
    const base = people[who] as Extract<Actor, { kind: 'user' }>;
    for (const changed of [
      { ...base, frozen: true },
      { ...base, mutedUntil: Date.now() + 60_000 },
    ]) {
      const l = facts(who, 'members');
      assert.equal(canReadListing(changed, l), true, who);
      assert.equal(canNote(changed, l), false, `${who}: note`);
      assert.equal(canCorrect(changed, l), false, `${who}: correct`);
      assert.equal(canSuggest(changed), false, `${who}: suggest`);
    }
    const frozen = { ...base, frozen: true };
    assert.equal(canVerify(frozen, facts(who, 'public')), false, `${who}: frozen verify`);
    assert.equal(canImport(frozen), false, `${who}: frozen import`);
  }
});

test('an expired job posting is opened by the keepers alone', () => {
  for (const who of Object.keys(people) as Who[])
    for (const v of visibilities)
      assert.equal(canReadListing(people[who], facts(who, v, { expired: true })), keeper(who), `${who}, ${v}`);
});
