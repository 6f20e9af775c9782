import type { ServiceContext } from '../../../app-context.js';
import type { DbOrTx } from '../../../db/database.js';
import { afterKeyset, decodeCursor, encodeCursor, type Keyset } from '../../../db/keyset.js';
import type { Member } from '../../../security/actor.js';
import { authorRef } from '../../../security/anonymity.js';
import { hasMuted, isBlockedBetween } from '../../../security/blocks.js';
import { heldAmong } from '../../safety/public.js';
import {
  abilitiesFor,
  canDeletePost,
  canEditPost,
  canHidePost,
  canPostAnonymously,
  canReact,
  canReply,
} from '../../groups/public.js';
import { type ReactionKind, pageSize, isWarningKind, isReactionKind, type PostView, type ThreadPage } from './model.js';
import { loadThread, postColumns, loadPost } from './internal/load.js';
import { authorView, threadSummary, loadQuotes } from './internal/present.js';
import { emptyCounts, reactionCounts } from './reactions.js';

const postOrder = { at: 'asc', id: 'asc' } as const;
const postKey = { at: 'posts.created_at', id: 'posts.id' } as const;

/**
 * The posts of a thread as every reader is shown them, in reading order: hidden posts stay in
 * place as a notice for those who may not read them, and a deleted opening post as a marker, so a
 * post has the same position, and page, for every reader (ADR 0036). The listing and the
 * counting below both start here, so they cannot disagree about what a page holds.
 */
function threadPosts(db: DbOrTx, threadId: string) {
  return db.selectFrom('posts').where('posts.thread_id', '=', threadId);
}

/** How many posts of the thread come before `key` (or up to and including it): the index `posts_in_thread` answers it. */
export function postsBefore(db: DbOrTx, threadId: string, key: Keyset, options: { inclusive?: boolean } = {}) {
  return threadPosts(db, threadId)
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where(afterKeyset(postKey, key, { at: 'desc', id: 'desc' }, options));
}

/** The page (from 1) that holds a post with `before` posts ahead of it. */
export const pageOf = (before: number): number => Math.floor(before / pageSize) + 1;

/**
 * Which page of a thread to read: a page number (from 1), the page that holds a post (`at`), or,
 * for clients walking the whole thread, the posts after a cursor (`after`, the `next` of the
 * page before).
 */
export interface PageRequest {
  page?: number | 'last' | undefined;
  at?: string | undefined;
  after?: string | undefined;
}

/** A thread with one page of its posts, oldest first. */
export async function getThread(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: PageRequest = {},
): Promise<ThreadPage> {
  const { thread, group, viewer } = await loadThread(ctx, actor, threadId);
  let query = threadPosts(ctx.db, threadId)
    .leftJoin('users', 'users.id', 'posts.author_id')
    .select([...postColumns, 'users.username', 'users.frozen_at as author_frozen_at']);
  const cursor = decodeCursor(input.after);
  const start = !cursor && input.at ? await postKeyOf(ctx.db, threadId, input.at) : undefined;
  const total = await count(
    threadPosts(ctx.db, threadId).select((eb) => eb.fn.countAll<number | string>().as('count')),
  );
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  // The first post this page shows has `skip` posts before it.
  let skip: number;
  if (cursor) {
    skip = await count(postsBefore(ctx.db, threadId, cursor, { inclusive: true }));
    query = query.where(afterKeyset(postKey, cursor, postOrder));
  } else {
    const number = start
      ? pageOf(await count(postsBefore(ctx.db, threadId, start)))
      : input.page === 'last'
        ? pageCount
        : (input.page ?? 1);
    skip = (number - 1) * pageSize;
    query = query.offset(skip);
  }
  const rows = await query
    .orderBy('posts.created_at')
    .orderBy('posts.id')
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const ids = page.map((p) => p.id);
  const moderator = canHidePost(viewer);
  const locked = thread.locked_at !== null;
  // A block withholds a named post both ways, a mute from the muter only (ADR 0052). Those who
  // moderate the group still see what they moderate. Anonymous posts are never withheld: doing so
  // would tell the reader who wrote them.
  const withheldAuthor = (authorId: string) =>
    authorId !== actor.id && ((isBlockedBetween(actor, authorId) && !moderator) || hasMuted(actor, authorId));
  const [counts, mine, quotes, watching, held] = await Promise.all([
    reactionCounts(ctx.db, ids),
    ids.length
      ? ctx.db
          .selectFrom('reactions')
          .select(['post_id', 'kind'])
          .where('post_id', 'in', ids)
          .where('user_id', '=', actor.id)
          .execute()
      : Promise.resolve([]),
    loadQuotes(
      ctx.db,
      page.map((p) => p.quote_post_id).filter((id): id is string => id !== null),
      withheldAuthor,
    ),
    ctx.db
      .selectFrom('thread_watches')
      .select('user_id')
      .where('user_id', '=', actor.id)
      .where('thread_id', '=', threadId)
      .executeTakeFirst(),
    heldAmong(
      ctx.db,
      page.filter((p) => p.hidden === 1).map((p) => p.id),
    ),
  ]);
  const myReactions = new Map<string, ReactionKind[]>();
  for (const r of mine)
    if (isReactionKind(r.kind)) myReactions.set(r.post_id, [...(myReactions.get(r.post_id) ?? []), r.kind]);
  const myRef = myAuthorRef(ctx, actor, threadId, page);
  const posts = page.map((row): PostView => {
    const authorId = row.anonymous
      ? row.author_ref !== null && row.author_ref === myRef
        ? actor.id
        : null
      : row.author_id;
    const isMine = authorId === actor.id;
    // A frozen author's posts (ADR 0051) read to others as hidden by moderators, and to the author
    // exactly as before, so that nothing on their own pages says they were frozen.
    const hidden = row.hidden === 1 || (row.author_frozen_at !== null && !row.anonymous && !isMine);
    const concealed = hidden && !moderator && !isMine;
    const quote = row.quote_post_id ? (quotes.get(row.quote_post_id) ?? null) : null;
    const named = row.anonymous || row.deleted ? null : row.author_id;
    if (named && withheldAuthor(named))
      return withheldPost(row.id, threadId, row.created_at, row.id === thread.opening_post_id);
    return {
      id: row.id,
      threadId,
      author: authorView(row, row.username),
      body: row.deleted || concealed ? '' : row.body,
      warning: isWarningKind(row.warning) ? row.warning : null,
      warningText: concealed ? null : row.warning_text,
      quote: quote && !concealed ? quote : null,
      hidden,
      deleted: row.deleted === 1,
      withheld: false,
      held: isMine && row.hidden === 1 && held.has(row.id),
      blockableAuthorId: named && !isMine ? named : null,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      reactions: counts.get(row.id) ?? emptyCounts(),
      myReactions: myReactions.get(row.id) ?? [],
      mine: isMine,
      opening: row.id === thread.opening_post_id,
      canEdit: !row.deleted && canEditPost(viewer, { authorId, threadLocked: locked }),
      canDelete: !row.deleted && canDeletePost(viewer, { authorId }),
      canModerate: !row.deleted && moderator,
    };
  });
  const last = page.at(-1);
  const opening = page.find((p) => p.id === thread.opening_post_id);
  const summary = threadSummary(thread, opening);
  const openingWithheld = posts.some((p) => p.opening && p.withheld);
  return {
    thread: openingWithheld ? { ...summary, author: { kind: 'notShown' } } : summary,
    group,
    abilities: abilitiesFor(viewer, group),
    posts,
    next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null,
    pages: { number: pageOf(skip), count: pageCount, size: pageSize, posts: total },
    watching: watching !== undefined,
    canPost: canReply(viewer, { locked }),
    canReact: canReact(viewer, group),
    // Not in a locked thread: only its moderators write there, so a post would not stay anonymous (ADR 0039).
    anonymousAllowed: !locked && canReply(viewer, { locked }) && canPostAnonymously(viewer, group),
  };
}

/** A post in its place with nothing of it: withheld from this reader by a block or a mute. */
function withheldPost(id: string, threadId: string, createdAt: number, opening: boolean): PostView {
  return {
    id,
    threadId,
    author: { kind: 'notShown' },
    body: '',
    warning: null,
    warningText: null,
    quote: null,
    hidden: false,
    deleted: false,
    withheld: true,
    held: false,
    blockableAuthorId: null,
    createdAt,
    editedAt: null,
    reactions: emptyCounts(),
    myReactions: [],
    mine: false,
    opening,
    canEdit: false,
    canDelete: false,
    canModerate: false,
  };
}

/** The actor's keyed hash in this thread, computed once and only when the page has anonymous posts. */
function myAuthorRef(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  rows: { anonymous: number }[],
): string | null {
  return rows.some((r) => r.anonymous) ? authorRef(ctx.keys.anonymity, threadId, actor.id) : null;
}

async function count(query: { executeTakeFirstOrThrow(): Promise<{ count: number | string }> }): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).count);
}

async function postKeyOf(db: DbOrTx, threadId: string, postId: string): Promise<Keyset | undefined> {
  const row = await threadPosts(db, threadId)
    .select(['posts.created_at', 'posts.id'])
    .where('posts.id', '=', postId)
    .executeTakeFirst();
  return row ? { at: row.created_at, id: row.id } : undefined;
}

/**
 * Where a post lives, for links to it (search results, notifications, the page after an action):
 * its thread and the page of it that holds the post, counted as the reader is shown the thread.
 */
export async function locatePost(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
): Promise<{ threadId: string; page: number }> {
  const { post, thread } = await loadPost(ctx, actor, postId);
  const before = await count(postsBefore(ctx.db, thread.id, { at: post.created_at, id: post.id }));
  return { threadId: thread.id, page: pageOf(before) };
}

/**
 * The address of a post: the page of its thread that holds it, scrolled to the post; `done` names
 * what just happened there (`deleted`), for the page's notice.
 */
export const postAddress = (at: { threadId: string; page: number }, postId: string, done?: string): string => {
  const query = [...(at.page > 1 ? [`page=${at.page}`] : []), ...(done ? [`done=${done}`] : [])].join('&');
  return `/threads/${at.threadId}${query ? `?${query}` : ''}#post-${postId}`;
};

/**
 * The post a reader lands on once this one is deleted (ADR 0036): the one after it in reading
 * order, or, for the last post, the one before it. Null when it is the thread's only post.
 */
export async function neighbourOf(db: DbOrTx, threadId: string, key: Keyset): Promise<string | null> {
  const after = await threadPosts(db, threadId)
    .select('posts.id')
    .where(afterKeyset(postKey, key, postOrder))
    .orderBy('posts.created_at', 'asc')
    .orderBy('posts.id', 'asc')
    .limit(1)
    .executeTakeFirst();
  if (after) return after.id;
  const before = await threadPosts(db, threadId)
    .select('posts.id')
    .where(afterKeyset(postKey, key, { at: 'desc', id: 'desc' }))
    .orderBy('posts.created_at', 'desc')
    .orderBy('posts.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return before?.id ?? null;
}

/**
 * Of these search results, those this member is not shown (ADR 0052): a reply, or a thread whose
 * opening post, is by someone in a block with them or whom they muted. Anonymous posts never are.
 * Those who moderate a group see what they moderate, as on the thread page; a search leaves them out
 * all the same, as it is no moderation page.
 */
export async function withheldSearchResults(
  ctx: ServiceContext,
  actor: Member,
  hits: { kind: string; refId: string }[],
): Promise<Set<string>> {
  const hidden = new Set([...(actor.blocked ?? []), ...(actor.muted ?? [])]);
  if (hidden.size === 0 || hits.length === 0) return new Set();
  const postIds = hits.filter((h) => h.kind === 'post').map((h) => h.refId);
  const threadIds = hits.filter((h) => h.kind === 'thread').map((h) => h.refId);
  const withheld = new Set<string>();
  if (postIds.length) {
    const rows = await ctx.db
      .selectFrom('posts')
      .select(['id', 'author_id'])
      .where('id', 'in', postIds)
      .where('anonymous', '=', 0)
      .execute();
    for (const row of rows) if (row.author_id && hidden.has(row.author_id)) withheld.add(row.id);
  }
  if (threadIds.length) {
    const rows = await ctx.db
      .selectFrom('threads')
      .innerJoin('posts', 'posts.id', 'threads.opening_post_id')
      .select(['threads.id', 'posts.author_id'])
      .where('threads.id', 'in', threadIds)
      .where('posts.anonymous', '=', 0)
      .execute();
    for (const row of rows) if (row.author_id && hidden.has(row.author_id)) withheld.add(row.id);
  }
  return withheld;
}
