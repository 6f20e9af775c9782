import type { DbOrTx } from '../../../../db/database.js';
import { excerpt, isWarningKind, type AuthorView, type PostView, type ThreadSummary } from '../model.js';
import type { ThreadRow, PostRow } from './load.js';

export function authorView(
  post: Pick<PostRow, 'anonymous' | 'pseudonym' | 'deleted'>,
  username: string | null,
): AuthorView {
  if (post.deleted) return { kind: 'deleted' };
  if (post.anonymous) return { kind: 'anonymous', pseudonym: post.pseudonym ?? 0 };
  return username ? { kind: 'member', username } : { kind: 'deleted' };
}

/** A thread as lists and pages show it: its author and warning are its opening post's. */
export function threadSummary(
  thread: ThreadRow,
  opening: (Pick<PostRow, 'anonymous' | 'pseudonym' | 'deleted' | 'warning'> & { username: string | null }) | undefined,
): ThreadSummary {
  return {
    id: thread.id,
    groupId: thread.group_id,
    title: thread.title,
    author: opening ? authorView(opening, opening.username) : { kind: 'deleted' },
    warning: opening && isWarningKind(opening.warning) ? opening.warning : null,
    replyCount: thread.reply_count,
    createdAt: thread.created_at,
    lastActivityAt: thread.last_activity_at,
    pinned: thread.pinned_at !== null,
    locked: thread.locked_at !== null,
    lockReason: thread.locked_at !== null ? thread.lock_reason : null,
  };
}

/**
 * Threads as lists show them. `withheld` names authors this reader is not shown (a block or a mute,
 * ADR 0052): their threads come back with the author `notShown`, for the lists to leave out.
 */
export async function summaries(
  db: DbOrTx,
  rows: ThreadRow[],
  withheld: (authorId: string) => boolean = () => false,
): Promise<ThreadSummary[]> {
  const openingIds = rows.map((r) => r.opening_post_id).filter((id): id is string => id !== null);
  const openings = new Map<
    string,
    {
      anonymous: number;
      pseudonym: number | null;
      deleted: number;
      warning: string | null;
      username: string | null;
      author_id: string | null;
    }
  >();
  if (openingIds.length) {
    const posts = await db
      .selectFrom('posts')
      .leftJoin('users', 'users.id', 'posts.author_id')
      .select([
        'posts.id',
        'posts.anonymous',
        'posts.pseudonym',
        'posts.deleted',
        'posts.warning',
        'posts.author_id',
        'users.username',
      ])
      .where('posts.id', 'in', openingIds)
      .execute();
    for (const p of posts) openings.set(p.id, p);
  }
  return rows.map((row) => {
    const opening = row.opening_post_id ? openings.get(row.opening_post_id) : undefined;
    const summary = threadSummary(row, opening);
    return opening && opening.anonymous === 0 && opening.author_id !== null && withheld(opening.author_id)
      ? { ...summary, author: { kind: 'notShown' } }
      : summary;
  });
}

/**
 * The quoted posts, by id. `withheld` names authors this reader is not shown (a block or a mute,
 * ADR 0052): a quote of theirs reads as unavailable, with no name.
 */
export async function loadQuotes(
  db: DbOrTx,
  ids: string[],
  withheld: (authorId: string) => boolean = () => false,
): Promise<Map<string, NonNullable<PostView['quote']>>> {
  const quotes = new Map<string, NonNullable<PostView['quote']>>();
  if (ids.length === 0) return quotes;
  const rows = await db
    .selectFrom('posts')
    .leftJoin('users', 'users.id', 'posts.author_id')
    .select([
      'posts.id',
      'posts.body',
      'posts.anonymous',
      'posts.pseudonym',
      'posts.deleted',
      'posts.hidden',
      'posts.author_id',
      'users.username',
      'users.frozen_at',
    ])
    .where('posts.id', 'in', ids)
    .execute();
  for (const row of rows) {
    const notShown = row.anonymous === 0 && row.author_id !== null && withheld(row.author_id);
    // A frozen author's words are not quoted to anyone (ADR 0051).
    const frozen = row.frozen_at !== null && !row.anonymous;
    const unavailable = row.deleted === 1 || row.hidden === 1 || frozen || notShown;
    quotes.set(row.id, {
      postId: row.id,
      author: notShown ? { kind: 'notShown' } : authorView(row, row.username),
      excerpt: unavailable ? '' : excerpt(row.body),
      unavailable,
    });
  }
  return quotes;
}
