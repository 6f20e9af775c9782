import type { ServiceContext } from '../../../app-context.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import type { Member } from '../../../security/actor.js';
import { abilitiesFor, groupsBannedAnonymously } from '../../groups/public.js';
import { pageSize, type ThreadList, type ActivityItem } from './model.js';
import { loadReadableGroup } from './internal/load.js';
import { summaries } from './internal/present.js';
import { noneUnread, unreadFor, asActivity } from './unread.js';

/** A group's threads, latest activity first. */
export async function listThreads(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { after?: string | undefined } = {},
): Promise<ThreadList> {
  const { group, viewer } = await loadReadableGroup(ctx, actor, groupId);
  let query = ctx.db
    .selectFrom('threads')
    .select(['id', 'group_id', 'title', 'opening_post_id', 'reply_count', 'created_at', 'last_activity_at'])
    .where('group_id', '=', groupId);
  const cursor = decodeCursor(input.after);
  if (cursor) {
    query = query.where(afterKeyset({ at: 'last_activity_at', id: 'id' }, cursor, { at: 'desc', id: 'asc' }));
  }
  const [rows, watching] = await Promise.all([
    query
      .orderBy('last_activity_at', 'desc')
      .orderBy('id')
      .limit(pageSize + 1)
      .execute(),
    ctx.db
      .selectFrom('group_watches')
      .select('user_id')
      .where('user_id', '=', actor.id)
      .where('group_id', '=', groupId)
      .executeTakeFirst(),
  ]);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const [list, unread] = await Promise.all([
    summaries(ctx.db, page),
    unreadFor(
      ctx.db,
      actor.id,
      page.map((t) => t.id),
    ),
  ]);
  return {
    group,
    abilities: abilitiesFor(viewer, group),
    threads: list.map((t) => ({ ...t, unread: unread.get(t.id) ?? noneUnread })),
    next: rows.length > pageSize && last ? encodeCursor(last.last_activity_at, last.id) : null,
    watching: watching !== undefined,
  };
}

/** The most recently active threads across the member's groups, for their home page. */
export async function recentActivity(ctx: ServiceContext, actor: Member, limit = 15): Promise<ActivityItem[]> {
  const rows = await ctx.db
    .selectFrom('threads')
    .innerJoin('group_members as m', (join) =>
      join.onRef('m.group_id', '=', 'threads.group_id').on('m.user_id', '=', actor.id),
    )
    .innerJoin('groups', 'groups.id', 'threads.group_id')
    .select([
      'threads.id',
      'threads.group_id',
      'threads.title',
      'threads.opening_post_id',
      'threads.reply_count',
      'threads.created_at',
      'threads.last_activity_at',
      'groups.name as group_name',
    ])
    .orderBy('threads.last_activity_at', 'desc')
    .orderBy('threads.id')
    .limit(limit)
    .execute();
  const barred = await groupsBannedAnonymously(ctx.db, ctx.keys.anonymity, actor.id, [
    ...new Set(rows.map((r) => r.group_id)),
  ]);
  return asActivity(
    ctx.db,
    actor.id,
    rows.filter((r) => !barred.has(r.group_id)),
  );
}
