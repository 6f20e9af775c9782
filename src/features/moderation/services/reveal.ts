import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import { recordModeration } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { openAuthor } from '../../../security/anonymity.js';
import { newId } from '../../../security/tokens.js';
import { canBeShownAuthor, canDecideReveal, canRequestReveal, canSeeReveal } from '../log-policy.js';
import { appealLimits } from '../log-schemas.js';
import { cleanLine } from './text.js';

/**
 * Revealing who wrote an anonymous post (ADR 0049): an instance administrator asks, with a reason;
 * another administrator or an instance moderator approves or declines; the requester alone is then
 * shown the author's username, once. Each step is a row of the instance's moderation log naming the
 * post, never the author. The author is opened from the post's sealed box (ADR 0012) only at the
 * moment it is shown, and stored nowhere.
 */

export interface RevealRequest {
  id: string;
  postId: string;
  /** Where the post is read; the requester, an administrator, may open it as any member would. */
  postHref: string;
  reason: string;
  status: 'pending' | 'approved' | 'declined';
  requesterName: string | null;
  /** The reader asked for it. */
  mine: boolean;
  createdAt: number;
  decidedAt: number | null;
  /** The reader may approve or decline it now. */
  mayDecide: boolean;
  /** The requester was shown the author already. */
  shown: boolean;
}

export async function requestReveal(
  ctx: ServiceContext,
  actor: Member,
  input: { postId: string; reason: string },
): Promise<{ id: string }> {
  if (!canRequestReveal(actor)) throw new AppError('forbidden', 'moderation.reveal.adminsOnly');
  const post = await ctx.db
    .selectFrom('posts')
    .select(['id', 'anonymous', 'deleted'])
    .where('id', '=', input.postId)
    .executeTakeFirst();
  if (!post || post.deleted === 1) throw notFound();
  if (post.anonymous !== 1) throw new AppError('conflict', 'moderation.reveal.notAnonymous');
  const reason = cleanLine(input.reason);
  if (reason.length === 0 || reason.length > appealLimits.reasonMax)
    throw invalid([
      { field: 'reason', message: 'moderation.decision.reasonLength', values: { max: appealLimits.reasonMax } },
    ]);
  const id = newId();
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('reveal_requests')
      .values({ id, post_id: post.id, requester_id: actor.id, reason, created_at: ctx.now })
      .execute();
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'reveal.request',
      targetType: 'post',
      targetId: post.id,
      reason,
      detail: { revealId: id },
      now: ctx.now,
    });
  });
  return { id };
}

export async function decideReveal(
  ctx: ServiceContext,
  actor: Member,
  revealId: string,
  approve: boolean,
): Promise<void> {
  if (!canSeeReveal(actor)) throw notFound();
  const request = await ctx.db
    .selectFrom('reveal_requests')
    .select(['id', 'post_id', 'requester_id', 'status'])
    .where('id', '=', revealId)
    .executeTakeFirst();
  if (!request) throw notFound();
  if (!canDecideReveal(actor, { requesterId: request.requester_id }))
    throw new AppError('forbidden', 'moderation.reveal.notYourOwn');
  await inTransaction(ctx.db, async (trx) => {
    const updated = await trx
      .updateTable('reveal_requests')
      .set({ status: approve ? 'approved' : 'declined', decided_by: actor.id, decided_at: ctx.now })
      .where('id', '=', request.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new AppError('conflict', 'moderation.reveal.decided');
    await recordModeration(trx, {
      actorId: actor.id,
      action: approve ? 'reveal.approve' : 'reveal.decline',
      targetType: 'post',
      targetId: request.post_id,
      detail: { revealId: request.id },
      now: ctx.now,
    });
  });
}

const columns = [
  'r.id',
  'r.post_id',
  'r.requester_id',
  'r.reason',
  'r.status',
  'r.created_at',
  'r.decided_at',
  'r.shown_at',
  'u.username as requester_name',
] as const;

function present(
  actor: Member,
  r: {
    id: string;
    post_id: string;
    requester_id: string;
    reason: string;
    status: 'pending' | 'approved' | 'declined';
    created_at: number;
    decided_at: number | null;
    shown_at: number | null;
    requester_name: string | null;
  },
): RevealRequest {
  return {
    id: r.id,
    postId: r.post_id,
    postHref: `/posts/${r.post_id}`,
    reason: r.reason,
    status: r.status,
    requesterName: r.requester_name,
    mine: r.requester_id === actor.id,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    mayDecide: r.status === 'pending' && canDecideReveal(actor, { requesterId: r.requester_id }),
    shown: r.shown_at !== null,
  };
}

/** Requests waiting for a decision, and the reader's own, newest first: instance moderators and administrators. */
export async function listReveals(ctx: ServiceContext, actor: Member): Promise<RevealRequest[]> {
  if (!canSeeReveal(actor)) throw notFound();
  const rows = await ctx.db
    .selectFrom('reveal_requests as r')
    .leftJoin('users as u', 'u.id', 'r.requester_id')
    .select(columns)
    .where((eb) => eb.or([eb('r.status', '=', 'pending'), eb('r.requester_id', '=', actor.id)]))
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => present(actor, r));
}

/** One request, as it stands, without showing anyone the author. */
export async function loadReveal(ctx: ServiceContext, actor: Member, revealId: string): Promise<RevealRequest> {
  if (!canSeeReveal(actor)) throw notFound();
  const row = await ctx.db
    .selectFrom('reveal_requests as r')
    .leftJoin('users as u', 'u.id', 'r.requester_id')
    .select(columns)
    .where('r.id', '=', revealId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return present(actor, row);
}

/**
 * One request. Its approved requester, the first time they open it, is shown the author's username
 * (null when the author's account is gone); the showing is recorded, so it happens once.
 */
export async function readReveal(
  ctx: ServiceContext,
  actor: Member,
  revealId: string,
): Promise<{ request: RevealRequest; author: { username: string | null } | null }> {
  if (!canSeeReveal(actor)) throw notFound();
  const row = await ctx.db
    .selectFrom('reveal_requests as r')
    .leftJoin('users as u', 'u.id', 'r.requester_id')
    .select(columns)
    .where('r.id', '=', revealId)
    .executeTakeFirst();
  if (!row) throw notFound();
  const request = present(actor, row);
  if (!canBeShownAuthor(actor, { requesterId: row.requester_id, status: row.status, shownAt: row.shown_at }))
    return { request, author: null };
  const author = await inTransaction(ctx.db, async (trx) => {
    const marked = await trx
      .updateTable('reveal_requests')
      .set({ shown_at: ctx.now })
      .where('id', '=', row.id)
      .where('shown_at', 'is', null)
      .executeTakeFirst();
    // Opened twice at once: only one of them shows it.
    if (Number(marked.numUpdatedRows) === 0) return null;
    const post = await trx.selectFrom('posts').select(['author_box']).where('id', '=', row.post_id).executeTakeFirst();
    const authorId = post?.author_box ? openAuthor(ctx.keys.anonymity, post.author_box) : null;
    const user = authorId
      ? await trx.selectFrom('users').select('username').where('id', '=', authorId).executeTakeFirst()
      : undefined;
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'reveal.show',
      targetType: 'post',
      targetId: row.post_id,
      detail: { revealId: row.id },
      now: ctx.now,
    });
    return { username: user?.username ?? null };
  });
  return { request: { ...request, shown: true }, author };
}
