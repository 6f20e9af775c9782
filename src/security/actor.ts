import type { Role, TrustLevel } from '../db/schema.js';
import type { AddressForm } from '../i18n/address.js';

export type Visitor = { kind: 'visitor' };

/** The instance roles, lowest first. */
export const roles: readonly Role[] = ['member', 'moderator', 'admin'];
export function isRole(value: unknown): value is Role {
  return (roles as readonly unknown[]).includes(value);
}
export type Member = {
  kind: 'user';
  id: string;
  username: string;
  role: Role;
  /** How the interface addresses them (ADR 0037); neutral when absent. */
  address?: AddressForm;
  /**
   * Their trust level, read fresh with the session on every request (ADR 0047). Absent where a
   * member is made up outside a request (tests, the CLI): policies then treat them as `new`.
   */
  trust?: TrustLevel;
  /**
   * Until when a moderator stopped them posting (ADR 0047); absent or null: they may post. The
   * session fills it only while the mute lasts (isMuted in src/security/policy.ts).
   */
  mutedUntil?: number | null;
  /** Marked a suspected infiltrator or taken over: they may read, never write, and others do not see them. */
  frozen?: boolean;
  /**
   * Accounts in a block with them, either way, read fresh with the session on every request
   * (ADR 0052): a policy input every feature asks through `isBlockedBetween`. Absent outside a request.
   */
  blocked?: ReadonlySet<string>;
  /** Accounts whose posts they muted: hidden from their own view only (ADR 0052). */
  muted?: ReadonlySet<string>;
  /** The session this request came with; absent for jobs and the CLI. */
  sessionId?: string;
};
/**
 * The instance itself: the operator's command line and background jobs. It is nobody, so it is
 * never a member of anything and the audit log records it as no account (`actorId: null`); the
 * few policies that let it act say so by name (invites, reset codes). It never comes from a request.
 */
export type System = { kind: 'system' };
export type Actor = Visitor | Member | System;

export const visitor: Visitor = { kind: 'visitor' };
/** The one system actor: the CLI and jobs pass this, never a made-up member or `null`. */
export const systemActor: System = Object.freeze({ kind: 'system' as const });

export function isSignedIn(actor: Actor): actor is Member {
  return actor.kind === 'user';
}

/** The account id to record in the audit log: none for the system. */
export function auditActorId(actor: Member | System): string | null {
  return actor.kind === 'user' ? actor.id : null;
}
