import type { ServiceContext } from '../../../app-context.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import type { Member } from '../../../security/actor.js';
import { hasMuted, isBlockedBetween } from '../../../security/blocks.js';
import { abilitiesFor, canHidePost, groupsBannedAnonymously } from '../../groups/public.js';
import { pageSize, type ThreadList, type ActivityItem } from './model.js';
import { loadReadableGroup, threadColumns } from './internal/load.js';
import { summaries } from './internal/present.js';
import { noneUnread, unreadFor, asActivity } from './unread.js';

/**
 * A group's threads: on the first page its pinned threads, most recently pinned first, then the
 * others by latest activity; later pages (keyset, after the last unpinned thread shown) hold only
 * unpinned threads, so a pinned thread is shown once, on the first page (ADR 0039). A group pins a
 * handful at most (`threadModerationLimits.pinnedMax`), so the first page stays short.
 */
export async function listThreads(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: { after?: string | undefined } = {},
): Promise<ThreadList> {
  const { group, viewer } = await loadReadableGroup(ctx, actor, groupId);
  let query = ctx.db
    .selectFrom('threads')
    .select(threadColumns)
    .where('group_id', '=', groupId)
    .where('pinned_at', 'is', null);
  const cursor = decodeCursor(input.after);
  if (cursor) {
    query = query.where(afterKeyset({ at: 'last_activity_at', id: 'id' }, cursor, { at: 'desc', id: 'asc' }));
  }
  const [pinned, rows, watching] = await Promise.all([
    cursor
      ? Promise.resolve([])
      : ctx.db
          .selectFrom('threads')
          .select(threadColumns)
          .where('group_id', '=', groupId)
          .where('pinned_at', 'is not', null)
          .orderBy('pinned_at', 'desc')
          .orderBy('id')
          .execute(),
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
  const shown = [...pinned, ...page];
  const [list, unread] = await Promise.all([
    // A thread whose author is in a block with the member, or muted by them, is not listed (ADR 0052);
    // those who moderate the group still see a blocked author's threads, as on the thread page.
    summaries(
      ctx.db,
      shown,
      (authorId) => (isBlockedBetween(actor, authorId) && !canHidePost(viewer)) || hasMuted(actor, authorId),
    ),
    unreadFor(
      ctx.db,
      actor.id,
      shown.map((t) => t.id),
    ),
  ]);
  return {
    group,
    abilities: abilitiesFor(viewer, group),
    threads: list
      .filter((t) => t.author.kind !== 'notShown')
      .map((t) => ({ ...t, unread: unread.get(t.id) ?? noneUnread })),
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
      'threads.pinned_at',
      'threads.locked_at',
      'threads.lock_reason',
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
    (authorId) => isBlockedBetween(actor, authorId) || hasMuted(actor, authorId),
  );
}
