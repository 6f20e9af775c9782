import type { TrustLevel } from '../../db/schema.js';

// The automatic rules (ADR 0050): named thresholds an administrator may change, and the level a
// member's record earns under them. Pure, so the job, a vouch and the account page agree.

export interface TrustThresholds {
  /** new → member: days on the instance, and either posts written or threads read… */
  memberDays: number;
  memberPosts: number;
  memberReads: number;
  /** …or this many vouches from trusted members, at any time. */
  memberVouches: number;
  /** member → trusted: days, posts and vouches, all three. */
  trustedDays: number;
  trustedPosts: number;
  trustedVouches: number;
}

export const thresholdNames = [
  'memberDays',
  'memberPosts',
  'memberReads',
  'memberVouches',
  'trustedDays',
  'trustedPosts',
  'trustedVouches',
] as const satisfies readonly (keyof TrustThresholds)[];

export const defaultThresholds: TrustThresholds = {
  memberDays: 3,
  memberPosts: 3,
  memberReads: 5,
  memberVouches: 1,
  trustedDays: 30,
  trustedPosts: 20,
  trustedVouches: 2,
};

/** Each threshold lies between 0 and this (ten years in days; as many posts). */
export const thresholdMax = 3650;

/** What the rules look at. Anonymous posts are not counted: nothing links them to the account. */
export interface TrustRecord {
  days: number;
  posts: number;
  reads: number;
  /** Vouches from members trusted now (or moderators) who are not frozen. */
  vouches: number;
}

export function meetsMember(r: TrustRecord, t: TrustThresholds): boolean {
  return (
    (r.days >= t.memberDays && (r.posts >= t.memberPosts || r.reads >= t.memberReads)) || r.vouches >= t.memberVouches
  );
}

export function meetsTrusted(r: TrustRecord, t: TrustThresholds): boolean {
  return r.days >= t.trustedDays && r.posts >= t.trustedPosts && r.vouches >= t.trustedVouches;
}

const rank: Record<TrustLevel, number> = { new: 0, member: 1, trusted: 2 };

/** The highest level the record earns. */
export function earnedLevel(r: TrustRecord, t: TrustThresholds): TrustLevel {
  if (meetsMember(r, t) && meetsTrusted(r, t)) return 'trusted';
  return meetsMember(r, t) ? 'member' : 'new';
}

/** The rules only ever raise a level: a member who stops posting keeps what they earned. */
export function promotionOf(current: TrustLevel, r: TrustRecord, t: TrustThresholds): TrustLevel | null {
  const earned = earnedLevel(r, t);
  return rank[earned] > rank[current] ? earned : null;
}
