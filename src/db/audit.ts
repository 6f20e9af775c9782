import type { DbOrTx } from './database.js';
import { newId } from '../security/tokens.js';

/**
 * Records who did what to which record, in the same transaction as the action itself.
 * Holds ids and action names, and for moderators' actions that ask for one the reason they gave
 * (ADR 0039): never a member's words, addresses or devices.
 */
export async function recordAudit(
  db: DbOrTx,
  entry: {
    actorId: string | null;
    action: string;
    subject?: string | null;
    /** The record within the subject (a thread of the group). */
    targetId?: string | null;
    reason?: string | null;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      actor_id: entry.actorId,
      action: entry.action,
      subject: entry.subject ?? null,
      target_id: entry.targetId ?? null,
      reason: entry.reason ?? null,
      created_at: entry.now,
    })
    .execute();
}

/**
 * When a thread or a group is deleted its words leave the database (ADR 0014), and so do the
 * reasons moderators wrote about it: the rows stay (what was done, when, by which account).
 * Only rows written before the moderation log (migration 0020) hold reasons here; newer ones are in
 * `moderation_log`, cleared by `forgetModerationReasons` beside each call of this.
 */
export async function forgetAuditReasons(db: DbOrTx, about: { subject: string } | { targetId: string }): Promise<void> {
  let query = db.updateTable('audit_log').set({ reason: null });
  query =
    'subject' in about ? query.where('subject', '=', about.subject) : query.where('target_id', '=', about.targetId);
  await query.where('reason', 'is not', null).execute();
}
