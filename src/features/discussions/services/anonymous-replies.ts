import type { ServiceContext } from '../../../app-context.js';
import type { DbOrTx } from '../../../db/database.js';
import type { Member } from '../../../security/actor.js';
import { authorRef, authorRefMatcher } from '../../../security/anonymity.js';
import { canReadContent, groupAccessOf } from '../../groups/public.js';

/**
 * Replies to anonymous posts (ADR 0043). Anonymous posts are not watched (a watch row would tie the
 * member to the thread), so their authors hear of nothing unless they ask. Asking stores the thread
 * and the keyed hash the post already carries, and nothing else: no account id, and no notification
 * rows for the member, which would link them too. Replies are counted when the member reads their
 * notifications, by recomputing the keyed hash for the threads of their groups that have such rows.
 */

/** Most new replies counted, like the unread notifications (ADR 0024). */
export const anonymousRepliesCap = 100;

/** Inside the post's transaction: the author of this anonymous post asks to hear of replies here. */
export async function subscribeAnonymously(
  ctx: ServiceContext,
  db: DbOrTx,
  actor: Member,
  threadId: string,
): Promise<void> {
  await db
    .insertInto('anonymous_subscriptions')
    // The post's own time: the replies after it are the new ones.
    .values({ thread_id: threadId, author_ref: authorRef(ctx.keys.anonymity, threadId, actor.id), seen_at: ctx.now })
    .onConflict((oc) => oc.columns(['thread_id', 'author_ref']).doNothing())
    .execute();
}

export interface AnonymousReplies {
  threadId: string;
  title: string;
  groupName: string;
  /** Replies after the newest one shown, not counting the member's own. */
  newCount: number;
  /** The first of them, where the link leads; null when there is none. */
  firstNewId: string | null;
  /** The time of the newest of them: what the member has seen once shown. */
  newestAt: number | null;
}

/**
 * The member's anonymous subscriptions in groups they belong to and may read now, with their new
 * replies. The keyed hash is recomputed for each thread that has subscriptions there: a few queries,
 * and one count per subscription of the member's own.
 */
export async function listAnonymousReplies(ctx: ServiceContext, actor: Member): Promise<AnonymousReplies[]> {
  const rows = await ctx.db
    .selectFrom('anonymous_subscriptions as s')
    .innerJoin('threads as t', 't.id', 's.thread_id')
    .select(['s.thread_id', 's.author_ref', 's.seen_at', 't.title', 't.group_id', 't.last_activity_at'])
    .where('t.group_id', 'in', (eb) =>
      eb.selectFrom('group_members').select('group_id').where('user_id', '=', actor.id),
    )
    .execute();
  if (rows.length === 0) return [];
  const isOwn = authorRefMatcher(ctx.keys.anonymity, actor.id);
  const mine = rows.filter((r) => isOwn(r.thread_id, r.author_ref));
  if (mine.length === 0) return [];
  const access = await groupAccessOf(
    ctx.db,
    actor,
    mine.map((r) => r.group_id),
    ctx.keys.anonymity,
  );
  const out: AnonymousReplies[] = [];
  for (const sub of mine) {
    const where = access.get(sub.group_id);
    if (!where || !canReadContent(where.viewer, where.group)) continue;
    const fresh = await ctx.db
      .selectFrom('posts')
      .select(['id', 'created_at'])
      .where('thread_id', '=', sub.thread_id)
      .where('created_at', '>', sub.seen_at)
      .where('deleted', '=', 0)
      .where('hidden', '=', 0)
      // Not the member's own replies, named or anonymous.
      .where((eb) => eb.or([eb('author_id', 'is', null), eb('author_id', '!=', actor.id)]))
      .where((eb) => eb.or([eb('author_ref', 'is', null), eb('author_ref', '!=', sub.author_ref)]))
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(anonymousRepliesCap)
      .execute();
    out.push({
      threadId: sub.thread_id,
      title: sub.title,
      groupName: where.group.name,
      newCount: fresh.length,
      firstNewId: fresh[0]?.id ?? null,
      newestAt: fresh.at(-1)?.created_at ?? null,
    });
  }
  // Threads with news first, then the most recently active.
  const activity = new Map(mine.map((r) => [r.thread_id, r.last_activity_at]));
  return out.sort(
    (a, b) =>
      Number(b.newCount > 0) - Number(a.newCount > 0) ||
      (activity.get(b.threadId) ?? 0) - (activity.get(a.threadId) ?? 0),
  );
}

/** How many new replies wait in the member's anonymous subscriptions, up to the cap: for the badge. */
export async function countAnonymousReplies(ctx: ServiceContext, actor: Member): Promise<number> {
  const list = await listAnonymousReplies(ctx, actor);
  return Math.min(
    anonymousRepliesCap,
    list.reduce((sum, s) => sum + s.newCount, 0),
  );
}

/**
 * The page showed these: each subscription's newest reply counts as seen. Stores that reply's time,
 * never the moment the member looked.
 */
export async function markAnonymousRepliesSeen(
  ctx: ServiceContext,
  actor: Member,
  shown: readonly AnonymousReplies[],
): Promise<void> {
  for (const s of shown) {
    if (s.newestAt === null) continue;
    await ctx.db
      .updateTable('anonymous_subscriptions')
      .set({ seen_at: s.newestAt })
      .where('thread_id', '=', s.threadId)
      .where('author_ref', '=', authorRef(ctx.keys.anonymity, s.threadId, actor.id))
      .where('seen_at', '<', s.newestAt)
      .execute();
  }
}

/** Stops hearing of replies in a thread. The same answer whether there was anything to stop. */
export async function stopAnonymousReplies(ctx: ServiceContext, actor: Member, threadId: string): Promise<void> {
  await ctx.db
    .deleteFrom('anonymous_subscriptions')
    .where('thread_id', '=', threadId)
    .where('author_ref', '=', authorRef(ctx.keys.anonymity, threadId, actor.id))
    .execute();
}

/**
 * Every anonymous subscription of the member, recognised by the keyed hash: for erasing their
 * anonymous posts, or their account. Linear in the subscriptions, as erasing anonymous posts is.
 */
export async function eraseAnonymousSubscriptionsOf(ctx: ServiceContext, userId: string): Promise<void> {
  const rows = await ctx.db.selectFrom('anonymous_subscriptions').select(['thread_id', 'author_ref']).execute();
  const isOwn = authorRefMatcher(ctx.keys.anonymity, userId);
  for (const r of rows.filter((row) => isOwn(row.thread_id, row.author_ref)))
    await ctx.db
      .deleteFrom('anonymous_subscriptions')
      .where('thread_id', '=', r.thread_id)
      .where('author_ref', '=', r.author_ref)
      .execute();
}
