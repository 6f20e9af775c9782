import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import type { DbOrTx } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';
import type { Keyset } from '../../../db/keyset.js';
import type { Member } from '../../../security/actor.js';
import { hasMuted, isBlockedBetween } from '../../../security/blocks.js';
import { readableGroupIds } from '../../groups/public.js';
import type { ActivityItem, PostView, ThreadPage, Unread } from './model.js';
import { summaries } from './internal/present.js';
import { getThread, pageOf, type PageRequest } from './read-thread.js';

/*
 * Each member's place in each thread (ADR 0038). The place is the last post they were shown, in the
 * thread's order (created_at, id); it only moves forward. A post is new to a member when it comes
 * after their place, or, in a thread they never opened, when it was written since they joined the
 * group. Hidden and deleted posts are new to nobody, and neither are the member's own posts, so the
 * count never tells anyone that something is hidden and is the same whoever moderates.
 */

type Scope = ExpressionBuilder<
  Database & { t: Database['threads']; r: Database['thread_reads']; m: Database['group_members'] },
  't' | 'r' | 'm'
>;

/** The posts of thread `t` that are new to `memberId`, where `r` is their place and `m` their membership. */
function newPosts(eb: Scope, memberId: string) {
  return (
    eb
      .selectFrom('posts as up')
      .whereRef('up.thread_id', '=', 't.id')
      .where('up.deleted', '=', 0)
      .where('up.hidden', '=', 0)
      .where((w) => w.or([w('up.author_id', 'is', null), w('up.author_id', '<>', memberId)]))
      // The range the index walks: from the member's place (or their joining) on.
      .where(sql<SqlBool>`up.created_at >= coalesce(r.post_created_at, m.joined_at)`)
      .where(
        sql<SqlBool>`(
        (r.post_id is not null and up.created_at >= r.post_created_at
          and (up.created_at > r.post_created_at or up.id > r.post_id))
        or (r.post_id is null and m.joined_at is not null and up.created_at >= m.joined_at)
      )`,
      )
  );
}

/** Whether the member has any place to count from in thread `t`: a read position or a membership. */
const hasBaseline = sql<SqlBool>`(r.post_id is not null or m.joined_at is not null)`;

/**
 * Threads with the member's read positions and memberships joined: the counts for a whole list of
 * threads come from one query, whatever its length, never one per thread.
 */
function threadsWithPlace(db: DbOrTx, memberId: string) {
  return db
    .selectFrom('threads as t')
    .leftJoin('thread_reads as r', (join) => join.onRef('r.thread_id', '=', 't.id').on('r.user_id', '=', memberId))
    .leftJoin('group_members as m', (join) =>
      join.onRef('m.group_id', '=', 't.group_id').on('m.user_id', '=', memberId),
    );
}

/**
 * For each of these threads, in one query: whether the member opened it, how many of its posts are
 * new to them, and the first of those. Exported for the test that reads its plan.
 */
export function unreadQuery(db: DbOrTx, memberId: string, threadIds: string[]) {
  return threadsWithPlace(db, memberId)
    .select((eb) => [
      't.id',
      'r.post_id as read_post_id',
      eb
        .case()
        .when(hasBaseline)
        .then(newPosts(eb, memberId).select((s) => s.fn.countAll<number | string>().as('n')))
        .else(0)
        .end()
        .as('count'),
      eb
        .case()
        .when(hasBaseline)
        .then(newPosts(eb, memberId).select('up.id').orderBy('up.created_at').orderBy('up.id').limit(1))
        .else(null)
        .end()
        .as('first_id'),
    ])
    .where('t.id', 'in', threadIds);
}

/** What a list shows about a thread's new posts for this member, for threads they may read. */
export async function unreadFor(db: DbOrTx, memberId: string, threadIds: string[]): Promise<Map<string, Unread>> {
  const result = new Map<string, Unread>();
  if (threadIds.length === 0) return result;
  const rows = await unreadQuery(db, memberId, threadIds).execute();
  const firsts = rows.map((r) => r.first_id).filter((id): id is string => id !== null);
  const pages = await pagesOf(db, firsts);
  for (const row of rows) {
    const count = Number(row.count ?? 0);
    const firstPostId = count > 0 ? row.first_id : null;
    result.set(row.id, {
      count,
      opened: row.read_post_id !== null,
      firstPostId,
      page: firstPostId ? (pages.get(firstPostId) ?? 1) : null,
    });
  }
  return result;
}

/** The page that holds each of these posts, in one query: how many posts of its thread come before it. */
async function pagesOf(db: DbOrTx, postIds: string[]): Promise<Map<string, number>> {
  const pages = new Map<string, number>();
  if (postIds.length === 0) return pages;
  const rows = await db
    .selectFrom('posts as f')
    .leftJoin('posts as b', (join) =>
      join
        .onRef('b.thread_id', '=', 'f.thread_id')
        .on(sql<SqlBool>`(b.created_at < f.created_at or (b.created_at = f.created_at and b.id < f.id))`),
    )
    .select((eb) => ['f.id', eb.fn.count<number | string>('b.id').as('before')])
    .where('f.id', 'in', postIds)
    .groupBy('f.id')
    .execute();
  for (const row of rows) pages.set(row.id, pageOf(Number(row.before)));
  return pages;
}

/** The link that opens the page holding a thread's first new post, at the marker. */
export const firstUnreadAddress = (threadId: string, unread: Pick<Unread, 'page'>): string =>
  `/threads/${threadId}${unread.page && unread.page > 1 ? `?page=${unread.page}` : ''}#first-unread`;

/** Where the member stands in a thread: their place, else the moment they joined its group, else nowhere. */
async function placeIn(
  db: DbOrTx,
  memberId: string,
  thread: { id: string; groupId: string },
): Promise<{ read: Keyset | null; joinedAt: number | null }> {
  const [read, membership] = await Promise.all([
    db
      .selectFrom('thread_reads')
      .select(['post_created_at', 'post_id'])
      .where('user_id', '=', memberId)
      .where('thread_id', '=', thread.id)
      .executeTakeFirst(),
    db
      .selectFrom('group_members')
      .select('joined_at')
      .where('user_id', '=', memberId)
      .where('group_id', '=', thread.groupId)
      .executeTakeFirst(),
  ]);
  return {
    read: read ? { at: read.post_created_at, id: read.post_id } : null,
    joinedAt: membership?.joined_at ?? null,
  };
}

const after = (post: Keyset, place: Keyset) => post.at > place.at || (post.at === place.at && post.id > place.id);

/** The first post of this page that is new to the member, by the rule the counts follow. */
function firstNewOn(posts: PostView[], place: { read: Keyset | null; joinedAt: number | null }): string | null {
  if (!place.read && place.joinedAt === null) return null;
  const found = posts.find((p) => {
    if (p.deleted || p.hidden || p.mine) return false;
    const key = { at: p.createdAt, id: p.id };
    return place.read ? after(key, place.read) : key.at >= place.joinedAt!;
  });
  return found?.id ?? null;
}

/**
 * A page of a thread as the member opens it: the page, the first post on it that is new to them
 * (null when none is), and their place moved to the page's last post, never backwards.
 */
export async function openThreadPage(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: PageRequest = {},
): Promise<ThreadPage & { firstUnread: string | null }> {
  const page = await getThread(ctx, actor, threadId, input);
  const place = await placeIn(ctx.db, actor.id, { id: page.thread.id, groupId: page.group.id });
  const firstUnread = firstNewOn(page.posts, place);
  const last = page.posts.at(-1);
  if (last && (!place.read || after({ at: last.createdAt, id: last.id }, place.read))) {
    await markSeen(ctx.db, actor.id, threadId, { at: last.createdAt, id: last.id });
  }
  return { ...page, firstUnread };
}

/** Moves the member's place in a thread to `post`, unless it is already there or further. */
async function markSeen(db: DbOrTx, memberId: string, threadId: string, post: Keyset): Promise<void> {
  await db
    .insertInto('thread_reads')
    .values({ user_id: memberId, thread_id: threadId, post_created_at: post.at, post_id: post.id })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'thread_id'])
        .doUpdateSet((eb) => ({
          post_created_at: eb.ref('excluded.post_created_at'),
          post_id: eb.ref('excluded.post_id'),
        }))
        .where(
          sql<SqlBool>`(excluded.post_created_at > thread_reads.post_created_at
            or (excluded.post_created_at = thread_reads.post_created_at and excluded.post_id > thread_reads.post_id))`,
        ),
    )
    .execute();
}

/**
 * "New since your last visit": threads with posts new to the member, in the groups they may read
 * now (the same rule as search and the group pages), latest activity first. One query finds them
 * with their counts; a thread can hold new posts only if it was active at or after the member's place.
 */
export async function newSinceLastVisit(ctx: ServiceContext, actor: Member, limit = 10): Promise<ActivityItem[]> {
  const groups = await readableGroupIds(ctx.db, actor, ctx.keys.anonymity);
  if (groups.length === 0) return [];
  const rows = await threadsWithPlace(ctx.db, actor.id)
    .innerJoin('groups as g', 'g.id', 't.group_id')
    .select([
      't.id',
      't.group_id',
      't.title',
      't.opening_post_id',
      't.reply_count',
      't.created_at',
      't.last_activity_at',
      't.pinned_at',
      't.locked_at',
      't.lock_reason',
      'g.name as group_name',
    ])
    .where('t.group_id', 'in', groups)
    .where(
      sql<SqlBool>`(
        (r.post_id is not null and t.last_activity_at >= r.post_created_at)
        or (r.post_id is null and m.joined_at is not null and t.last_activity_at >= m.joined_at)
      )`,
    )
    .where((eb) => eb.exists(newPosts(eb, actor.id).select('up.id')))
    .orderBy('t.last_activity_at', 'desc')
    .orderBy('t.id')
    .limit(limit)
    .execute();
  return asActivity(
    ctx.db,
    actor.id,
    rows,
    (authorId) => isBlockedBetween(actor, authorId) || hasMuted(actor, authorId),
  );
}

/** Threads as the home page lists them: with their group's name and what is new in them. */
export async function asActivity(
  db: DbOrTx,
  memberId: string,
  rows: (Parameters<typeof summaries>[1][number] & { group_name: string })[],
  withheld: (authorId: string) => boolean = () => false,
): Promise<ActivityItem[]> {
  const names = new Map(rows.map((r) => [r.id, r.group_name]));
  const [list, unread] = await Promise.all([
    summaries(db, rows, withheld),
    unreadFor(
      db,
      memberId,
      rows.map((r) => r.id),
    ),
  ]);
  // Threads by someone in a block with the member, or muted by them, are left out (ADR 0052).
  return list
    .filter((s) => s.author.kind !== 'notShown')
    .map((s) => ({ ...s, groupName: names.get(s.id)!, unread: unread.get(s.id) ?? noneUnread }));
}

export const noneUnread: Unread = { count: 0, opened: false, firstPostId: null, page: null };

/**
 * A member who leaves a group (or is removed or banned from it) leaves no trace of how far they read
 * in it, as their watches and notifications there go (ADR 0038). Reading a public group again
 * starts new positions.
 */
export async function forgetReadPositionsIn(db: DbOrTx, userId: string, groupId: string): Promise<void> {
  await db
    .deleteFrom('thread_reads')
    .where('user_id', '=', userId)
    .where('thread_id', 'in', (eb) => eb.selectFrom('threads').select('id').where('group_id', '=', groupId))
    .execute();
}
