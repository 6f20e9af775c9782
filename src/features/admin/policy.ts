import type { Actor } from '../../security/actor.js';

export function canChangeSettings(actor: Actor): boolean {
  return actor.kind === 'user' && actor.role === 'admin';
}
