import type { ServiceContext } from '../../../app-context.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import type { Member } from '../../../security/actor.js';
import { authorRef } from '../../../security/anonymity.js';
import {
  abilitiesFor,
  canDeletePost,
  canEditPost,
  canHidePost,
  canPost,
  canPostAnonymously,
  canReact,
} from '../../groups/public.js';
import { type ReactionKind, pageSize, isWarningKind, isReactionKind, type PostView, type ThreadPage } from './model.js';
import { loadThread, postColumns, loadPost } from './internal/load.js';
import { authorView, threadSummary, loadQuotes } from './internal/present.js';
import { emptyCounts, reactionCounts } from './reactions.js';

const postOrder = { at: 'asc', id: 'asc' } as const;

/** A thread with one page of its posts, oldest first. `after` is the cursor from the page before; `at` starts the page at a post. */
export async function getThread(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: { after?: string | undefined; at?: string | undefined } = {},
): Promise<ThreadPage> {
  const { thread, group, viewer } = await loadThread(ctx, actor, threadId);
  let query = ctx.db
    .selectFrom('posts')
    .leftJoin('users', 'users.id', 'posts.author_id')
    .select([...postColumns, 'users.username'])
    .where('posts.thread_id', '=', threadId);
  const cursor = decodeCursor(input.after);
  if (!cursor && input.at) {
    const start = await ctx.db
      .selectFrom('posts')
      .select(['created_at', 'id'])
      .where('id', '=', input.at)
      .where('thread_id', '=', threadId)
      .executeTakeFirst();
    if (start) {
      query = query.where(
        afterKeyset({ at: 'posts.created_at', id: 'posts.id' }, { at: start.created_at, id: start.id }, postOrder, {
          inclusive: true,
        }),
      );
    }
  }
  if (cursor) {
    query = query.where(afterKeyset({ at: 'posts.created_at', id: 'posts.id' }, cursor, postOrder));
  }
  const rows = await query
    .orderBy('posts.created_at')
    .orderBy('posts.id')
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const ids = page.map((p) => p.id);
  const moderator = canHidePost(viewer);
  const [counts, mine, quotes, watching] = await Promise.all([
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
    ),
    ctx.db
      .selectFrom('thread_watches')
      .select('user_id')
      .where('user_id', '=', actor.id)
      .where('thread_id', '=', threadId)
      .executeTakeFirst(),
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
    const concealed = row.hidden === 1 && !moderator && !isMine;
    const quote = row.quote_post_id ? (quotes.get(row.quote_post_id) ?? null) : null;
    return {
      id: row.id,
      threadId,
      author: authorView(row, row.username),
      body: row.deleted || concealed ? '' : row.body,
      warning: isWarningKind(row.warning) ? row.warning : null,
      warningText: concealed ? null : row.warning_text,
      quote: quote && !concealed ? quote : null,
      hidden: row.hidden === 1,
      deleted: row.deleted === 1,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      reactions: counts.get(row.id) ?? emptyCounts(),
      myReactions: myReactions.get(row.id) ?? [],
      mine: isMine,
      opening: row.id === thread.opening_post_id,
      canEdit: !row.deleted && canEditPost(viewer, { authorId }),
      canDelete: !row.deleted && canDeletePost(viewer, { authorId }),
      canModerate: !row.deleted && moderator,
    };
  });
  const last = page.at(-1);
  const opening = page.find((p) => p.id === thread.opening_post_id);
  return {
    thread: threadSummary(thread, opening),
    group,
    abilities: abilitiesFor(viewer, group),
    posts,
    next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null,
    watching: watching !== undefined,
    canPost: canPost(viewer),
    canReact: canReact(viewer, group),
    anonymousAllowed: canPostAnonymously(viewer, group),
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

/** Where a post lives, for links to it (search results, notifications). */
export async function locatePost(ctx: ServiceContext, actor: Member, postId: string): Promise<{ threadId: string }> {
  const { thread } = await loadPost(ctx, actor, postId);
  return { threadId: thread.id };
}
