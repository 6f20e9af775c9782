import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { ModerationTargetType } from '../db/schema.js';
import { recordEvent } from '../events/outbox.js';
import { newId } from '../security/tokens.js';

// The two writes every feature's moderation shares (ADR 0047): a row of the append-only moderation
// log, written in the transaction of the action it records, and a report merged into the one open
// case about its target (the moderation queue). They live in the shared platform layer so that the
// features that moderate (discussions, groups, accounts) and the moderation feature, which acts
// through them, meet here without importing each other.

export const moderationTargetTypes: readonly ModerationTargetType[] = [
  'post',
  'thread',
  'message',
  'user',
  'group',
  'resource',
  'resource_note',
];

/** The fixed reasons a member may give; `other` asks for a note. The catalogues name each one. */
export const reportReasons = [
  'harassment',
  'hate',
  'spam',
  'outing',
  'infiltrator',
  'self_harm',
  'minors',
  'other',
] as const;
export type ReportReason = (typeof reportReasons)[number];

/**
 * Reasons Sanad itself raises a case for: a watched word flagged or held a post, an account was
 * frozen as a suspected infiltrator, a directory listing's "verified LGBTQ-affirming" mark lapsed
 * and waits for a keeper to check it again (ADR 0056), a trusted member rated a listing unsafe (ADR 0059).
 */
export const systemReasons = ['watched_word', 'held', 'frozen', 'verification_lapsed', 'unsafe_note'] as const;
export type CaseReason = ReportReason | (typeof systemReasons)[number];

/**
 * Lower sorts first. Outing and self-harm first: someone may be in danger now; then abuse of minors
 * and suspected infiltration; the rest after.
 */
export function priorityOf(reason: CaseReason): number {
  switch (reason) {
    case 'outing':
    case 'self_harm':
      return 0;
    case 'minors':
    case 'infiltrator':
    case 'frozen':
    // A service a trusted member found unsafe may be a trap: members may be sent there meanwhile.
    case 'unsafe_note':
      return 1;
    default:
      return 2;
  }
}

export interface ModerationEntry {
  /** Who acted; null for Sanad itself (a job, the command line, a watched word). */
  actorId: string | null;
  /** What was done, as `thing.verb`: `post.hide`, `user.suspend`, `thread.lock`, `trust.grant`, … */
  action: string;
  /** The group whose members may read this row; null for the instance's own log. */
  groupId?: string | null;
  targetType: ModerationTargetType | 'invite' | 'appeal' | 'case';
  targetId?: string | null;
  /** The member it was about: told of it, and the one who may appeal. */
  targetUserId?: string | null;
  reason?: string | null;
  /** Ids and numbers only (hours, a level), never words. */
  detail?: Record<string, string | number | boolean | null>;
  caseId?: string | null;
  now: number;
}

/**
 * Appends one row to the moderation log, in the caller's transaction. Returns its id. A row about a
 * member also records `moderation.logged`, so they are told of it (and may appeal) after the commit.
 */
export async function recordModeration(db: DbOrTx, entry: ModerationEntry): Promise<string> {
  const id = newId();
  await db
    .insertInto('moderation_log')
    .values({
      id,
      group_id: entry.groupId ?? null,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      target_user_id: entry.targetUserId ?? null,
      reason: entry.reason ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
      case_id: entry.caseId ?? null,
      created_at: entry.now,
    })
    .execute();
  if (entry.targetUserId) {
    await recordEvent(db, 'moderation.logged', { logId: id, userId: entry.targetUserId }, entry.now);
  }
  return id;
}

export interface CaseInput {
  targetType: ModerationTargetType;
  targetId: string;
  /** The group whose moderators see the case (besides the instance's), if the target lies in one. */
  groupId: string | null;
  reason: CaseReason;
  /** Null when Sanad raises it. */
  reporterId: string | null;
  note?: string | null;
  now: number;
}

/**
 * Files a report into the one open case about its target, opening the case if there is none, and
 * raises the case's priority to the report's. A member's second report on the same open case
 * changes nothing. Call inside a transaction: concurrent first reports meet at the unique index of
 * open cases, and the loser merges into the winner's case.
 */
export async function openCase(db: DbOrTx, input: CaseInput): Promise<{ caseId: string; merged: boolean }> {
  const priority = priorityOf(input.reason);
  const opened = await db
    .insertInto('moderation_cases')
    .values({
      id: newId(),
      target_type: input.targetType,
      target_id: input.targetId,
      group_id: input.groupId,
      priority,
      opened_at: input.now,
      resolved_at: null,
    })
    // A literal, not a parameter: SQLite matches a partial index's condition only by its text.
    .onConflict((oc) => oc.columns(['target_type', 'target_id']).where('status', '=', sql.lit('open')).doNothing())
    .executeTakeFirst();
  const open = await db
    .selectFrom('moderation_cases')
    .select(['id', 'priority'])
    .where('target_type', '=', input.targetType)
    .where('target_id', '=', input.targetId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  if (open.priority > priority) {
    await db.updateTable('moderation_cases').set({ priority }).where('id', '=', open.id).execute();
  }
  let insert = db.insertInto('reports').values({
    id: newId(),
    case_id: open.id,
    reporter_id: input.reporterId,
    reason: input.reason,
    note: input.note ?? null,
    created_at: input.now,
  });
  if (input.reporterId !== null) {
    insert = insert.onConflict((oc) =>
      oc.columns(['case_id', 'reporter_id']).where(sql<boolean>`reporter_id is not null`).doNothing(),
    );
  }
  await insert.execute();
  return { caseId: open.id, merged: Number(opened.numInsertedOrUpdatedRows ?? 0) === 0 };
}

/** Closes the open case about a target, if any (a moderator acted on it). Returns its id. */
export async function resolveCase(
  db: DbOrTx,
  target: { targetType: ModerationTargetType; targetId: string },
  now: number,
): Promise<string | null> {
  // One conditional update, so two moderators closing the same case at once cannot both close it:
  // the second waits for the first's row lock and then finds nothing open.
  const open = await db
    .updateTable('moderation_cases')
    .set({ status: 'resolved', resolved_at: now })
    .where('target_type', '=', target.targetType)
    .where('target_id', '=', target.targetId)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst();
  if (!open) return null;
  await forgetReportNotes(db, open.id);
  return open.id;
}

/**
 * What a moderator said with an action taken from the moderation queue (ADR 0048): the reason the
 * log keeps, and the case they acted on, which may be about something else (a report on a post
 * answered by banning its author).
 */
export interface ModerationNote {
  reason?: string | null;
  caseId?: string | null;
}

/**
 * Reporters' notes serve the open case alone (the queue shows no other): once it is closed the
 * words go, and the reports keep their reasons and counts.
 */
async function forgetReportNotes(db: DbOrTx, caseId: string): Promise<void> {
  await db
    .updateTable('reports')
    .set({ note: null })
    .where('case_id', '=', caseId)
    .where('note', 'is not', null)
    .execute();
}

/**
 * Closes the open case about the target and the case the moderator acted on, if open, in the
 * action's transaction. Returns the case the log row names: the one acted on, else the target's;
 * null when neither was open (someone closed it a moment ago).
 */
export async function settleCases(
  db: DbOrTx,
  /** Null: only the case acted on closes (a group's ban leaves the instance's case about an account open). */
  target: { targetType: ModerationTargetType; targetId: string } | null,
  note: ModerationNote | undefined,
  now: number,
): Promise<string | null> {
  const resolved = target ? await resolveCase(db, target, now) : null;
  if (note?.caseId && note.caseId !== resolved) {
    const { numUpdatedRows } = await db
      .updateTable('moderation_cases')
      .set({ status: 'resolved', resolved_at: now })
      .where('id', '=', note.caseId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (numUpdatedRows > 0n) {
      await forgetReportNotes(db, note.caseId);
      return note.caseId;
    }
  }
  return resolved;
}

/**
 * When a thread or a group is deleted its words leave the database (ADR 0014), and so do the
 * reasons moderators wrote about it in the moderation log: the rows stay.
 */
export async function forgetModerationReasons(
  db: DbOrTx,
  about: { groupId: string } | { targetId: string },
): Promise<void> {
  let query = db.updateTable('moderation_log').set({ reason: null });
  query =
    'groupId' in about ? query.where('group_id', '=', about.groupId) : query.where('target_id', '=', about.targetId);
  await query.where('reason', 'is not', null).execute();
}
