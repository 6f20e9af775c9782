import type { Actor } from '../../security/actor.js';

/** Only the owner of a session may see or end it; administrators cannot act as anyone. */
export function canRevokeSession(actor: Actor, session: { userId: string }): boolean {
  return actor.kind === 'user' && actor.id === session.userId;
}
