import { sql, SqliteAdapter } from 'kysely';
import type { DbOrTx } from '../../db/database.js';
import { newId } from '../../security/tokens.js';

/**
 * Stores one notification per recipient: references only (the kind, the id of what it is about,
 * and ids as context), never words or who acted. What it says is worked out when it is read, by
 * its kind's `render`, with the reader's rights at that moment (ADR 0030), so leaving a group or a
 * deleted post also takes back what it would have revealed. A recipient who turned the kind off
 * gets no row at all.
 */
export async function notify(
  db: DbOrTx,
  input: {
    userIds: string[];
    kind: string;
    /** What it is about; null for notices about the account itself. */
    subjectId: string | null;
    /** Ids only; `groupId` whenever it belongs to a group. */
    context?: Record<string, string>;
    now: number;
  },
): Promise<void> {
  const wanted = [...new Set(input.userIds)];
  if (wanted.length === 0) return;
  // Accounts that still exist (an event may name one deleted since: its row would fail the foreign
  // key, and the whole delivery with it, for ever) and have not turned the kind off.
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('notification_preferences as p', (join) =>
      join.onRef('p.user_id', '=', 'u.id').on('p.kind', '=', input.kind).on('p.delivery', '=', 'off'),
    )
    .select('u.id')
    .where('u.id', 'in', wanted)
    .where('p.user_id', 'is', null)
    .execute();
  const userIds = rows.map((r) => r.id);
  if (userIds.length === 0) return;
  const context = JSON.stringify(input.context ?? {});
  await db
    .insertInto('notifications')
    .values(
      userIds.map((userId) => ({
        id: newId(),
        user_id: userId,
        kind: input.kind,
        subject_id: input.subjectId,
        context,
        created_at: input.now,
        read: 0,
      })),
    )
    .execute();
}

/** The `groupId` of a notification's context, in SQL (the context is JSON text on both engines). */
function contextGroupId(db: DbOrTx) {
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? sql<string>`json_extract(context, '$.groupId')`
    : sql<string>`(context::jsonb ->> 'groupId')`;
}

/** A member leaving (or removed from) a group takes that group's notifications with them. */
export async function forgetGroupNotificationsOf(db: DbOrTx, userId: string, groupId: string): Promise<void> {
  await db.deleteFrom('notifications').where('user_id', '=', userId).where(contextGroupId(db), '=', groupId).execute();
}

/** A deleted group takes every notification about it or anything in it. */
export async function forgetGroupNotifications(db: DbOrTx, groupId: string): Promise<void> {
  await db.deleteFrom('notifications').where(contextGroupId(db), '=', groupId).execute();
}

/**
 * Deleted things take their notifications with them (they would no longer be shown anyway): the
 * database keeps no trace of who was told about them.
 */
export async function forgetNotificationsAbout(db: DbOrTx, subjectIds: string[]): Promise<void> {
  if (subjectIds.length === 0) return;
  await db.deleteFrom('notifications').where('subject_id', 'in', subjectIds).execute();
}

/** Leaving a group takes its notifications and watches with it. */
export async function forgetGroupFor(db: DbOrTx, userId: string, groupId: string): Promise<void> {
  await forgetGroupNotificationsOf(db, userId, groupId);
  await db.deleteFrom('group_watches').where('user_id', '=', userId).where('group_id', '=', groupId).execute();
  await db
    .deleteFrom('thread_watches')
    .where('user_id', '=', userId)
    .where('thread_id', 'in', (eb) => eb.selectFrom('threads').select('id').where('group_id', '=', groupId))
    .execute();
}
