import type { DbOrTx } from './database.js';
import { newId } from '../security/tokens.js';

/**
 * Records who did what to which record, in the same transaction as the action itself.
 * Holds ids and action names only: never content, addresses or devices.
 */
export async function recordAudit(
  db: DbOrTx,
  entry: { actorId: string | null; action: string; subject?: string | null; now: number },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      actor_id: entry.actorId,
      action: entry.action,
      subject: entry.subject ?? null,
      created_at: entry.now,
    })
    .execute();
}
