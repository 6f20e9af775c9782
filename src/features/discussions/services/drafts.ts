import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, type DbOrTx } from '../../../db/database.js';
import { forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { canPost } from '../../groups/public.js';
import { draftLimits, isWarningKind, postLimits, type DraftInput, type WarningKind } from './model.js';
import { checkWarning, clean } from './internal/validate.js';
import { loadReadableGroup, loadThread } from './internal/load.js';

/**
 * Where a draft belongs: a reply in a thread, or a new thread in a group. One draft per member and
 * place (ADR 0040).
 */
export type DraftPlace = { kind: 'reply'; threadId: string } | { kind: 'thread'; groupId: string };

export interface Draft {
  /** New threads only. */
  title: string | null;
  body: string;
  warning: WarningKind | null;
  warningText: string | null;
  /** Replies only. */
  quotePostId: string | null;
  updatedAt: number;
  /** When the expiry job deletes it, unless it changes before. */
  expiresAt: number;
}

const keepMs = draftLimits.keepDays * 86_400_000;

const placeKey = (place: DraftPlace) =>
  place.kind === 'reply' ? `thread:${place.threadId}` : `group:${place.groupId}`;

/** The place's group (and thread), read as the member may read them now: a denied read is a missing one. */
async function locate(ctx: ServiceContext, actor: Member, place: DraftPlace) {
  if (place.kind === 'reply') {
    const { thread, group, viewer } = await loadThread(ctx, actor, place.threadId);
    return { groupId: group.id, threadId: thread.id, viewer };
  }
  const { group, viewer } = await loadReadableGroup(ctx, actor, place.groupId);
  return { groupId: group.id, threadId: null, viewer };
}

/**
 * The member's own draft for this place, or null. Nobody else's is ever read (the key holds the
 * member's id), and a draft in a group the member can no longer read is never shown (404), nor one
 * past its time that the job has not deleted yet.
 */
export async function getDraft(ctx: ServiceContext, actor: Member, place: DraftPlace): Promise<Draft | null> {
  await locate(ctx, actor, place);
  const row = await ctx.db
    .selectFrom('drafts')
    .select(['title', 'body', 'warning', 'warning_text', 'quote_post_id', 'updated_at'])
    .where('user_id', '=', actor.id)
    .where('place', '=', placeKey(place))
    .where('updated_at', '>', ctx.now - keepMs)
    .executeTakeFirst();
  if (!row) return null;
  const updatedAt = Number(row.updated_at);
  return {
    title: place.kind === 'thread' ? (row.title ?? '') : null,
    body: row.body,
    warning: isWarningKind(row.warning) ? row.warning : null,
    warningText: row.warning_text,
    quotePostId: place.kind === 'reply' ? row.quote_post_id : null,
    updatedAt,
    expiresAt: updatedAt + keepMs,
  };
}

/**
 * Keeps what the member has written so far. Unfinished is fine (no title yet, an empty body), but
 * never more than a post may hold; a draft with nothing in it is no draft (the old one goes). Only
 * where the member may post now: a group they can no longer read answers 404, one they read but
 * may not post in 403. A quote of a post that is gone is dropped, not refused.
 */
export async function saveDraft(
  ctx: ServiceContext,
  actor: Member,
  place: DraftPlace,
  input: DraftInput,
): Promise<Draft | null> {
  const { groupId, threadId, viewer } = await locate(ctx, actor, place);
  if (!canPost(viewer)) throw forbidden();
  const errors: FieldError[] = [];
  const body = clean(input.body);
  if (body.length > postLimits.bodyMax)
    errors.push({ field: 'body', message: 'discussions.form.bodyLength', values: { max: postLimits.bodyMax } });
  const title = place.kind === 'thread' ? clean(input.title).replace(/\s+/g, ' ') : '';
  if (title.length > postLimits.titleMax) {
    errors.push({
      field: 'title',
      message: 'discussions.form.titleLength',
      values: { min: postLimits.titleMin, max: postLimits.titleMax },
    });
  }
  const { warning, warningText } = checkWarning(input, errors);
  if (errors.length) throw invalid(errors);
  if (!body && !title && !warning && !warningText) {
    await discardDraft(ctx, actor, place);
    return null;
  }
  const quotePostId =
    threadId && input.quotePostId
      ? ((
          await ctx.db
            .selectFrom('posts')
            .select('id')
            .where('id', '=', input.quotePostId)
            .where('thread_id', '=', threadId)
            .where('hidden', '=', 0)
            .where('deleted', '=', 0)
            .executeTakeFirst()
        )?.id ?? null)
      : null;
  const values = {
    title: place.kind === 'thread' ? title : null,
    body,
    warning,
    warning_text: warningText,
    quote_post_id: quotePostId,
    updated_at: ctx.now,
  };
  await ctx.db
    .insertInto('drafts')
    .values({ user_id: actor.id, place: placeKey(place), group_id: groupId, thread_id: threadId, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'place']).doUpdateSet(values))
    .execute();
  return {
    title: values.title,
    body,
    warning,
    warningText,
    quotePostId,
    updatedAt: ctx.now,
    expiresAt: ctx.now + keepMs,
  };
}

/**
 * Deletes the member's draft for this place, if there is one. Their own words, so no read check:
 * it works for a group they have left as well, and says nothing about it either way.
 */
export async function discardDraft(ctx: ServiceContext, actor: Member, place: DraftPlace): Promise<void> {
  const deleted = await deleteDraft(ctx.db, actor.id, place);
  // Unpublished words leave no copy in the write-ahead log (ADR 0021).
  if (deleted) await checkpointAfterErasure(ctx);
}

/** Deletes a member's draft in the caller's transaction (publishing the post); true when there was one. */
export async function deleteDraft(db: DbOrTx, userId: string, place: DraftPlace): Promise<boolean> {
  const result = await db
    .deleteFrom('drafts')
    .where('user_id', '=', userId)
    .where('place', '=', placeKey(place))
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A member who leaves a group (or is removed or banned) leaves no unposted words behind in it. */
export async function forgetDraftsIn(ctx: ServiceContext, userId: string, groupId: string): Promise<void> {
  const result = await ctx.db
    .deleteFrom('drafts')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) > 0) await checkpointAfterErasure(ctx);
}

/** Drafts untouched for 30 days are deleted (the `discussions.expireDrafts` job); answers how many. */
export async function expireDrafts(ctx: ServiceContext): Promise<number> {
  const result = await ctx.db
    .deleteFrom('drafts')
    .where('updated_at', '<=', ctx.now - keepMs)
    .executeTakeFirst();
  const count = Number(result.numDeletedRows);
  if (count > 0) await checkpointAfterErasure(ctx);
  return count;
}
