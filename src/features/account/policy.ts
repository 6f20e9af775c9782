import type { Actor } from '../../security/actor.js';

/** An account is changed or deleted by its owner only: administrators cannot act as anyone. */
export function canManageAccount(actor: Actor, account: { id: string }): boolean {
  return actor.kind === 'user' && actor.id === account.id;
}
