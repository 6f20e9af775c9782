import type { ServiceContext } from '../../../app-context.js';
import type { DbOrTx } from '../../../db/database.js';
import { AppError, forbidden, notFound } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { isBlockedBetween } from '../../../security/blocks.js';
import { canReact } from '../../groups/public.js';
import { type ReactionKind, isReactionKind } from './model.js';
import { loadPost } from './internal/load.js';

/** Sets a reaction (`on` true or false), or flips it (`'toggle'`, the one-button forms of the HTML page). */
export async function setReaction(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  kind: string,
  on: boolean | 'toggle',
): Promise<Record<ReactionKind, number>> {
  if (!isReactionKind(kind)) throw notFound();
  const { post, group, viewer } = await loadPost(ctx, actor, postId);
  if (!canReact(viewer, group) || post.deleted || post.hidden) throw forbidden();
  // A block between them: nothing changes, and nothing says why (ADR 0052). An anonymous post's
  // author is not known to the reader, so a block does not reach it.
  if (!post.anonymous && isBlockedBetween(actor, post.author_id))
    return (await reactionCounts(ctx.db, [postId])).get(postId) ?? emptyCounts();
  if (on === 'toggle') await flipReaction(ctx.db, postId, actor.id, kind);
  else if (on) await addReaction(ctx.db, postId, actor.id, kind);
  else
    await ctx.db
      .deleteFrom('reactions')
      .where('post_id', '=', postId)
      .where('user_id', '=', actor.id)
      .where('kind', '=', kind)
      .execute();
  return (await reactionCounts(ctx.db, [postId])).get(postId) ?? emptyCounts();
}

/** True when this call added the row (false: it was there already). */
async function addReaction(db: DbOrTx, postId: string, userId: string, kind: ReactionKind): Promise<boolean> {
  const added = await db
    .insertInto('reactions')
    .values({ post_id: postId, user_id: userId, kind })
    .onConflict((oc) => oc.columns(['post_id', 'user_id', 'kind']).doNothing())
    .returning('kind')
    .executeTakeFirst();
  return added !== undefined;
}

/**
 * Exactly one change per call, even when calls overlap: a delete that removed the row, or an
 * insert that added it. Reading first and writing after let two overlapping toggles both see
 * "off" and both insert, so an even number of clicks could end "on".
 */
async function flipReaction(db: DbOrTx, postId: string, userId: string, kind: ReactionKind): Promise<void> {
  // Each failed attempt means an overlapping call changed the row in between, so this ends quickly.
  for (let attempt = 0; attempt < 20; attempt++) {
    const removed = await db
      .deleteFrom('reactions')
      .where('post_id', '=', postId)
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .returning('kind')
      .executeTakeFirst();
    if (removed || (await addReaction(db, postId, userId, kind))) return;
  }
  throw new AppError('conflict', 'error.conflict');
}

export const emptyCounts = (): Record<ReactionKind, number> => ({ support: 0, hug: 0, strength: 0, thanks: 0 });

export async function reactionCounts(
  db: DbOrTx,
  postIds: string[],
): Promise<Map<string, Record<ReactionKind, number>>> {
  const counts = new Map<string, Record<ReactionKind, number>>();
  if (postIds.length === 0) return counts;
  const rows = await db
    .selectFrom('reactions')
    .select(['post_id', 'kind', (eb) => eb.fn.countAll<number>().as('count')])
    .where('post_id', 'in', postIds)
    .groupBy(['post_id', 'kind'])
    .execute();
  for (const row of rows) {
    if (!isReactionKind(row.kind)) continue;
    let entry = counts.get(row.post_id);
    if (!entry) {
      entry = emptyCounts();
      counts.set(row.post_id, entry);
    }
    entry[row.kind] = Number(row.count);
  }
  return counts;
}
