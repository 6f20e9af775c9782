import type { DbOrTx } from '../../../../db/database.js';

export async function addMember(db: DbOrTx, groupId: string, userId: string, now: number): Promise<void> {
  // Joined twice at once: once is enough.
  await db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId, role: 'member', joined_at: now })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .execute();
}
