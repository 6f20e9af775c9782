import type { ServiceContext } from '../../../app-context.js';
import { authorRefMatcher } from '../../../security/anonymity.js';
import { forgetRenderedMarkdown } from '../../../security/sanitize-html.js';
import type { ThreadRow } from './internal/load.js';
import { erasePost } from './internal/erase-post.js';
import { eraseAnonymousSubscriptionsOf } from './anonymous-replies.js';

/** Everything a deleted account wrote, anonymous posts included. */
export async function erasePostsOf(ctx: ServiceContext, userId: string): Promise<void> {
  const named = await ctx.db
    .selectFrom('posts')
    .select(['id', 'thread_id', 'body'])
    .where('author_id', '=', userId)
    .where('deleted', '=', 0)
    .execute();
  await erasePosts(ctx, [...named, ...(await anonymousPostsOf(ctx, userId))]);
  await eraseAnonymousSubscriptionsOf(ctx, userId);
}

/**
 * Only the member's anonymous posts, so they can go before (and apart from) the account and its
 * named posts (ADR 0018). Returns how many were erased.
 */
export async function eraseAnonymousPostsOf(ctx: ServiceContext, userId: string): Promise<number> {
  const theirs = await anonymousPostsOf(ctx, userId);
  await erasePosts(ctx, theirs);
  // Asking to hear of replies goes with the posts (ADR 0043).
  await eraseAnonymousSubscriptionsOf(ctx, userId);
  return theirs.length;
}

/**
 * The member's anonymous posts, recognised by the per-thread keyed hash (ADR 0012): only their own
 * posts' words are read, never every anonymous post's.
 */
async function anonymousPostsOf(ctx: ServiceContext, userId: string) {
  const anonymous = await ctx.db
    .selectFrom('posts')
    .select(['id', 'thread_id', 'author_ref'])
    .where('anonymous', '=', 1)
    .execute();
  const isOwn = authorRefMatcher(ctx.keys.anonymity, userId);
  const ids = anonymous.filter((p) => isOwn(p.thread_id, p.author_ref)).map((p) => p.id);
  if (ids.length === 0) return [];
  return ctx.db.selectFrom('posts').select(['id', 'thread_id', 'body']).where('id', 'in', ids).execute();
}

async function erasePosts(
  ctx: ServiceContext,
  theirs: { id: string; thread_id: string; body: string }[],
): Promise<void> {
  // Replies first, so an opening post whose replies are all theirs takes its thread with it.
  const threads = new Map<string, ThreadRow>();
  const ordered: { id: string; thread_id: string; opening: boolean }[] = [];
  for (const post of theirs) {
    let thread = threads.get(post.thread_id);
    if (!thread) {
      thread = await ctx.db.selectFrom('threads').selectAll().where('id', '=', post.thread_id).executeTakeFirst();
      if (!thread) continue;
      threads.set(thread.id, thread);
    }
    ordered.push({ ...post, opening: post.id === thread.opening_post_id });
  }
  ordered.sort((a, b) => Number(a.opening) - Number(b.opening));
  for (const post of ordered) {
    const thread = threads.get(post.thread_id)!;
    const exists = await ctx.db.selectFrom('threads').select('id').where('id', '=', thread.id).executeTakeFirst();
    if (exists) await erasePost(ctx, post, thread);
  }
  for (const post of theirs) forgetRenderedMarkdown(post.body);
}
