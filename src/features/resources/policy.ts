import type { Actor, Member } from '../../security/actor.js';
import { isAdmin, isInstanceModerator, isMuted } from '../../security/policy.js';

/**
 * Who may do what in the resource directory (ADR 0053): pure functions of the facts, tested as a
 * matrix of roles × visibilities × actions (policy.test.ts). Services load the facts, call these,
 * and answer a denied read exactly like a missing listing (404).
 */

export type ListingVisibility = 'public' | 'members' | 'group';
export type ReviewState = 'published' | 'pending' | 'declined';

export interface ListingFacts {
  visibility: ListingVisibility;
  reviewState: ReviewState;
  /** The reader takes part in the group a group-limited listing is shared with (a member, not banned). */
  inGroup: boolean;
  /** The reader suggested it: they may see their own suggestion while it waits. */
  suggestedByReader: boolean;
  /** A job posting past its expiry: only keepers, who extend or remove it, still open it (ADR 0058). */
  expired: boolean;
}

/** A job posting whose day of expiry has ended. */
export function isExpiredJob(row: { kind?: string; expires_at: number | null }, now: number): boolean {
  return (row.kind === undefined || row.kind === 'job') && row.expires_at !== null && row.expires_at <= now;
}

const signedIn = (actor: Actor): actor is Member => actor.kind === 'user';
/** Writes need an account that is neither frozen (a suspected infiltrator) nor muted by a moderator. */
const mayWrite = (actor: Actor): actor is Member => signedIn(actor) && !actor.frozen && !isMuted(actor);

/**
 * The directory's keepers: instance moderators and administrators vet listings, so they read every
 * one, group-limited and waiting ones too (a group's own moderators keep its discussions, not the
 * instance's directory).
 */
export function keepsDirectory(actor: Actor): boolean {
  return isInstanceModerator(actor) && !(actor.kind === 'user' && actor.frozen);
}

/** Reading a listing: public ones are outreach, members-only need an account, group-limited the group. */
export function canReadListing(actor: Actor, l: ListingFacts): boolean {
  if (keepsDirectory(actor)) return true;
  if (l.expired) return false;
  if (l.reviewState !== 'published') return signedIn(actor) && l.suggestedByReader && l.reviewState === 'pending';
  if (l.visibility === 'public') return true;
  if (!signedIn(actor)) return false;
  return l.visibility === 'members' || l.inGroup;
}

/** Members' notes are for signed-in members who can read the listing, never for visitors. */
export function canReadNotes(actor: Actor, l: ListingFacts): boolean {
  return signedIn(actor) && l.reviewState === 'published' && canReadListing(actor, l);
}

/** Leaving a note (by name or anonymously) on a published listing one can read. */
export function canNote(actor: Actor, l: ListingFacts): boolean {
  return mayWrite(actor) && canReadNotes(actor, l);
}

/** Reporting a listing as outdated or wrong, with a proposed fix. */
export function canCorrect(actor: Actor, l: ListingFacts): boolean {
  return mayWrite(actor) && l.reviewState === 'published' && canReadListing(actor, l);
}

/** Suggesting a new listing or job posting: it waits for a keeper's approval before anyone sees it. */
export function canSuggest(actor: Actor): boolean {
  return mayWrite(actor);
}

/** Marking a listing verified LGBTQ-affirming, or withdrawing the mark. */
export function canVerify(actor: Actor, l: ListingFacts): boolean {
  return keepsDirectory(actor) && canReadListing(actor, l);
}

/** Editing, approving, declining and deleting listings; deciding corrections; hiding notes. */
export function canEditListing(actor: Actor): boolean {
  return keepsDirectory(actor);
}

/** Bringing a whole directory in, or taking it out, in HSDS 3.0; adding taxonomy terms. */
export function canImport(actor: Actor): boolean {
  return keepsDirectory(actor);
}
export const canExport = canImport;

/** How long a verification holds is an instance setting (ADR 0056): administrators change it. */
export function canSetVerificationMonths(actor: Actor): boolean {
  return isAdmin(actor) && !(actor.kind === 'user' && actor.frozen);
}
export const canManageTerms = canImport;

/** What a listing's page and API answer tell the reader they may do. */
export interface ListingAbilities {
  readNotes: boolean;
  note: boolean;
  correct: boolean;
  verify: boolean;
  edit: boolean;
}

export function listingAbilities(actor: Actor, l: ListingFacts): ListingAbilities {
  return {
    readNotes: canReadNotes(actor, l),
    note: canNote(actor, l),
    correct: canCorrect(actor, l),
    verify: canVerify(actor, l),
    edit: canEditListing(actor) && canReadListing(actor, l),
  };
}
