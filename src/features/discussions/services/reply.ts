import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, inTransaction } from '../../../db/database.js';
import { AppError, forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { newId } from '../../../security/tokens.js';
import { canPost, canReply } from '../../groups/public.js';
import type { PostInput } from './model.js';
import { validatePost, checkQuote, checkAnonymous, refuseLinks } from './internal/validate.js';
import { loadThread } from './internal/load.js';
import { insertPost, indexPost, mentionerOf } from './internal/write.js';
import { mentionedReaders } from './mentions.js';
import { deleteDraft } from './drafts.js';
import { subscribeAnonymously } from './anonymous-replies.js';
import { recordEvent } from '../../../events/outbox.js';
import { authorRef } from '../../../security/anonymity.js';
import { isBlockedBetween } from '../../../security/blocks.js';
import { checkSlowMode, recordScreening, screenPost } from '../../safety/public.js';

const lockedRefusal = () => new AppError('conflict', 'discussions.locked.refused');

export async function createPost(
  ctx: ServiceContext,
  actor: Member,
  threadId: string,
  input: PostInput,
): Promise<{ postId: string }> {
  const { thread, group, viewer } = await loadThread(ctx, actor, threadId);
  if (!canPost(viewer)) throw forbidden();
  // A locked thread takes no new replies but from those who may unlock it (ADR 0039).
  const mayReplyLocked = canReply(viewer, { locked: true });
  if (thread.locked_at !== null && !mayReplyLocked) throw lockedRefusal();
  const errors: FieldError[] = [];
  const post = validatePost(input, errors);
  checkAnonymous(input, viewer, group, errors);
  refuseLinks(actor, post.body, errors);
  // Only those who may unlock a locked thread write there, so an anonymous reply would name its
  // author as one of them: refused, the words kept.
  if (input.anonymous && thread.locked_at !== null)
    errors.push({ field: 'anonymous', message: 'discussions.locked.noAnonymous' });
  const quotePostId = await checkQuote(ctx.db, threadId, input.quotePostId, errors);
  if (errors.length) throw invalid(errors);
  // Slow mode, then the watched words (ADR 0052): each refusal keeps the words in the form.
  const ref = authorRef(ctx.keys.anonymity, threadId, actor.id);
  await checkSlowMode(ctx.db, viewer, { groupId: group.id, threadId, authorRef: ref }, ctx.now);
  const screening = await screenPost(ctx.db, group.id, { body: post.body });
  const held = screening.action === 'hold';
  const postId = newId();
  const hadDraft = await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await insertPost(
      tctx,
      actor,
      { id: postId, threadId, groupId: group.id, anonymous: input.anonymous === true, quotePostId, held },
      post,
    );
    // Published: the draft it came from goes with the same commit (ADR 0040).
    const hadDraft = await deleteDraft(trx, actor.id, { kind: 'reply', threadId });
    let counted = trx
      .updateTable('threads')
      .set((eb) => ({ reply_count: eb('reply_count', '+', 1), last_activity_at: ctx.now }))
      .where('id', '=', threadId);
    // Locked since it was read: the update finds no row, and the reply goes back with the transaction.
    if (!mayReplyLocked || input.anonymous) counted = counted.where('locked_at', 'is', null);
    const { numUpdatedRows } = await counted.executeTakeFirst();
    if (numUpdatedRows === 0n) throw lockedRefusal();
    await trx.updateTable('groups').set({ last_activity_at: ctx.now }).where('id', '=', group.id).execute();
    // A held post is hidden, so not searchable until it is approved.
    if (!held)
      await indexPost(
        tctx,
        { id: postId, threadId, groupId: group.id, body: post.body, createdAt: ctx.now },
        { id: threadId, title: thread.title, openingPostId: thread.opening_post_id },
      );
    await recordScreening(trx, screening, { postId, groupId: group.id, now: ctx.now });
    if (!input.anonymous) {
      await trx
        .insertInto('thread_watches')
        .values({ user_id: actor.id, thread_id: threadId })
        .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doNothing())
        .execute();
    } else if (input.notifyReplies) await subscribeAnonymously(ctx, trx, actor, threadId);
    const mentioned = await mentionedReaders(
      trx,
      ctx.keys.anonymity,
      post.body,
      group,
      mentionerOf(actor, input.anonymous === true),
      // Not for an anonymous post: a mention that alone failed to arrive would tell the person named
      // that its author is in a block with them.
      (id) => input.anonymous !== true && isBlockedBetween(actor, id),
    );
    const anonymous = input.anonymous === true;
    await recordEvent(
      trx,
      'post.created',
      // An anonymous post's author is never named, not even here (ADR 0018).
      {
        groupId: group.id,
        threadId,
        postId,
        opening: false,
        anonymous,
        authorId: anonymous ? null : actor.id,
        mentionedUserIds: mentioned,
      },
      ctx.now,
    );
    return hadDraft;
  });
  // A draft of a post now anonymous leaves no copy in the write-ahead log, linking it to the member.
  if (hadDraft && input.anonymous === true) await checkpointAfterErasure(ctx);
  return { postId };
}
