import type { DbOrTx } from '../../db/database.js';
import type { NotificationKind } from '../../db/schema.js';
import { newId } from '../../security/tokens.js';

// What other features write: kept apart from reading (service.ts), which needs the group rules,
// so that groups and discussions can notify without depending on what depends on them.

/**
 * Notifications hold references only (which group, thread or post), never text or who acted:
 * what a notification says is worked out when it is read, with the reader's rights at that
 * moment, so leaving a group or a deleted post also takes back what it would have revealed.
 * `groupId` is null for notifications about the account itself (a reset code issued).
 */
export async function notify(
  db: DbOrTx,
  input: {
    userIds: string[];
    kind: NotificationKind;
    groupId: string | null;
    threadId?: string | null;
    postId?: string | null;
    now: number;
  },
): Promise<void> {
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      userIds.map((userId) => ({
        id: newId(),
        user_id: userId,
        kind: input.kind,
        group_id: input.groupId,
        thread_id: input.threadId ?? null,
        post_id: input.postId ?? null,
        created_at: input.now,
        read: 0,
      })),
    )
    .execute();
}

/** Leaving a group takes its notifications and watches with it. */
export async function forgetGroupFor(db: DbOrTx, userId: string, groupId: string): Promise<void> {
  await db.deleteFrom('notifications').where('user_id', '=', userId).where('group_id', '=', groupId).execute();
  await db.deleteFrom('group_watches').where('user_id', '=', userId).where('group_id', '=', groupId).execute();
  await db
    .deleteFrom('thread_watches')
    .where('user_id', '=', userId)
    .where('thread_id', 'in', (eb) => eb.selectFrom('threads').select('id').where('group_id', '=', groupId))
    .execute();
}
