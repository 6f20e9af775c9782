import type { DbOrTx } from '../../../../db/database.js';
import { recordEvent } from '../../../../events/outbox.js';
import type { EventPayloads } from '../../../../events/types.js';

/** Adds a member, and records `member.joined` when they were not one already. Call inside a transaction. */
export async function addMember(
  db: DbOrTx,
  groupId: string,
  userId: string,
  now: number,
  via: EventPayloads['member.joined']['via'],
): Promise<void> {
  // Joined twice at once: once is enough.
  const inserted = await db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId, role: 'member', joined_at: now })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1)
    await recordEvent(db, 'member.joined', { groupId, userId, via }, now);
}
