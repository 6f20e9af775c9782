import type { Role } from '../db/schema.js';

export type Visitor = { kind: 'visitor' };
export type Member = {
  kind: 'user';
  id: string;
  username: string;
  role: Role;
  /** The session this request came with; absent for jobs and the CLI. */
  sessionId?: string;
};
export type Actor = Visitor | Member;

export const visitor: Visitor = { kind: 'visitor' };

export function isSignedIn(actor: Actor): actor is Member {
  return actor.kind === 'user';
}
