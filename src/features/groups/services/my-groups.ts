import type { ServiceContext } from '../../../app-context.js';
import type { Member } from '../../../security/actor.js';
import { groupColumns, groupsBannedAnonymously, tagsOf, toGroup } from '../queries.js';
import type { MyGroup } from './model.js';

/** The groups the member belongs to, with the number of waiting requests where they moderate. */
export async function listMyGroups(ctx: ServiceContext, actor: Member): Promise<MyGroup[]> {
  const rows = await ctx.db
    .selectFrom('group_members as m')
    .innerJoin('groups', 'groups.id', 'm.group_id')
    .select([...groupColumns, 'm.role'])
    .where('m.user_id', '=', actor.id)
    .orderBy('groups.last_activity_at', 'desc')
    .orderBy('groups.id')
    .execute();
  const tags = await tagsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const barred = await groupsBannedAnonymously(
    ctx.db,
    ctx.keys.anonymity,
    actor.id,
    rows.filter((r) => r.role === 'moderator').map((r) => r.id),
  );
  const moderated = rows.filter((r) => r.role !== 'member' && !barred.has(r.id)).map((r) => r.id);
  const counts = new Map<string, number>();
  if (moderated.length) {
    const requestCounts = await ctx.db
      .selectFrom('join_requests')
      .select(['group_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('group_id', 'in', moderated)
      .groupBy('group_id')
      .execute();
    for (const r of requestCounts) counts.set(r.group_id, Number(r.count));
  }
  return rows.map((row) => ({
    group: toGroup(row, tags.get(row.id) ?? []),
    role: row.role,
    pendingRequests: counts.get(row.id) ?? 0,
  }));
}
