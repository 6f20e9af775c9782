import type { DbOrTx } from '../../db/database.js';
import { AppError, invalid } from '../../platform/errors.js';
import { openCase } from '../../platform/moderation.js';
import type { Viewer } from '../groups/public.js';
import { type WatchedWord, matchesIn } from './matching.js';
import { isExemptFromSlowMode } from './policy.js';

// What discussions (and any later feature that takes posts) call before and while writing a post
// (ADR 0052). Nothing here imports discussions, so discussions may import it.

/** What a post's words meet: nothing, or the strongest watched word they hold. */
export type Screening = { action: 'publish' } | { action: 'hold' | 'flag'; wordId: string };

/**
 * The watched words that apply in a group: the instance's and the group's own. Words written
 * outside any group (a note on a listing, ADR 0059) meet the instance's alone.
 */
export async function watchedWordsFor(db: DbOrTx, groupId: string | null): Promise<WatchedWord[]> {
  return db
    .selectFrom('watched_words')
    .select(['id', 'phrase', 'normalized', 'action'])
    .where((eb) =>
      groupId === null ? eb('group_id', 'is', null) : eb.or([eb('group_id', 'is', null), eb('group_id', '=', groupId)]),
    )
    .execute();
}

/**
 * Screens a post's words (its title and body) against the watched words of its group. A blocked
 * word refuses the post as input, beside the field, naming the word (the author wrote it; saying
 * which lets them rephrase) and keeping their words. Otherwise says whether to hold or flag it.
 */
export async function screenPost(
  db: DbOrTx,
  groupId: string | null,
  text: { title?: string | undefined; body: string },
): Promise<Screening> {
  const words = await watchedWordsFor(db, groupId);
  if (words.length === 0) return { action: 'publish' };
  const inTitle = text.title ? matchesIn(text.title, words) : [];
  const inBody = matchesIn(text.body, words);
  const blocked = [...inTitle.filter((w) => w.action === 'block'), ...inBody.filter((w) => w.action === 'block')];
  if (blocked.length) {
    const field = inTitle.some((w) => w.action === 'block') ? 'title' : 'body';
    throw invalid([{ field, message: 'safetyTools.watched.refused', values: { word: blocked[0]!.phrase } }]);
  }
  const strongest = [...inTitle, ...inBody].sort((a, b) => (a.action === 'hold' ? -1 : b.action === 'hold' ? 1 : 0))[0];
  return strongest
    ? { action: strongest.action === 'hold' ? 'hold' : 'flag', wordId: strongest.id }
    : { action: 'publish' };
}

/**
 * Opens the case a held or flagged post needs, in the post's transaction: a held post waits,
 * hidden, for a moderator to approve it from the queue; a flagged one is published and queued.
 * Raised by Sanad itself (no reporter); the case names the post, never the word or the author.
 */
export async function recordScreening(
  db: DbOrTx,
  screening: Screening,
  post: { postId: string; groupId: string; now: number },
): Promise<void> {
  if (screening.action === 'publish') return;
  await openCase(db, {
    targetType: 'post',
    targetId: post.postId,
    groupId: post.groupId,
    reason: screening.action === 'hold' ? 'held' : 'watched_word',
    reporterId: null,
    now: post.now,
  });
}

/**
 * Whether a post the author can see as hidden is held for approval (an open case raised for it by a
 * watched word), so their page says "waiting for a moderator" rather than "hidden by moderators".
 */
export async function heldAmong(db: DbOrTx, postIds: readonly string[]): Promise<Set<string>> {
  if (postIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('moderation_cases')
    .innerJoin('reports', 'reports.case_id', 'moderation_cases.id')
    .select('moderation_cases.target_id')
    .where('moderation_cases.target_type', '=', 'post')
    .where('moderation_cases.target_id', 'in', postIds)
    .where('moderation_cases.status', '=', 'open')
    .where('reports.reason', '=', 'held')
    .execute();
  return new Set(rows.map((r) => r.target_id));
}

/**
 * Slow mode (ADR 0052): the least time between one member's posts in a group or a thread, the
 * stricter of the two. Moderators are exempt. Counted from the member's last named post there and
 * their anonymous posts in the thread (an anonymous post is found by its keyed hash in that thread
 * only). Refused with 429, how long to wait beside the field, their words kept by the form.
 */
export async function checkSlowMode(
  db: DbOrTx,
  viewer: Viewer,
  at: { groupId: string; threadId: string | null; authorRef: string | null },
  now: number,
): Promise<void> {
  if (viewer.actor.kind !== 'user' || isExemptFromSlowMode(viewer)) return;
  const userId = viewer.actor.id;
  const group = await db
    .selectFrom('groups')
    .select('slow_mode_seconds')
    .where('id', '=', at.groupId)
    .executeTakeFirst();
  const thread = at.threadId
    ? await db.selectFrom('threads').select('slow_mode_seconds').where('id', '=', at.threadId).executeTakeFirst()
    : undefined;
  const groupSeconds = group?.slow_mode_seconds ?? 0;
  const threadSeconds = thread?.slow_mode_seconds ?? 0;
  if (groupSeconds <= 0 && threadSeconds <= 0) return;
  let wait = 0;
  if (groupSeconds > 0) {
    const last = await db
      .selectFrom('posts')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('group_id', '=', at.groupId)
      .where('author_id', '=', userId)
      .executeTakeFirst();
    wait = Math.max(wait, remaining(last?.at, groupSeconds, now));
  }
  if (at.threadId && (threadSeconds > 0 || groupSeconds > 0)) {
    const seconds = Math.max(threadSeconds, groupSeconds);
    const last = await db
      .selectFrom('posts')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('thread_id', '=', at.threadId)
      .where((eb) =>
        at.authorRef
          ? eb.or([eb('author_id', '=', userId), eb('author_ref', '=', at.authorRef)])
          : eb('author_id', '=', userId),
      )
      .executeTakeFirst();
    wait = Math.max(wait, remaining(last?.at, seconds, now));
  }
  if (wait > 0) {
    throw new AppError(
      'rate_limited',
      'safetyTools.slowMode.refused',
      [{ field: 'body', message: 'safetyTools.slowMode.wait', values: { seconds: wait } }],
      wait,
    );
  }
}

function remaining(lastAt: number | string | null | undefined, seconds: number, now: number): number {
  if (lastAt === null || lastAt === undefined) return 0;
  const left = Number(lastAt) + seconds * 1000 - now;
  return left > 0 ? Math.ceil(left / 1000) : 0;
}
