import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, inTransaction } from '../../../db/database.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import { recordModeration, settleCases } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { forgetRenderedMarkdown } from '../../../security/sanitize-html.js';
import { canDeletePost } from '../../groups/public.js';
import { loadPostToDelete } from './internal/load.js';
import { erasePost } from './internal/erase-post.js';
import { neighbourOf } from './read-thread.js';
import type { PostModeration } from './hide-post.js';

/**
 * Deleting removes the words from the database and the search index, not just from view. An
 * opening post with replies leaves an empty marker so the replies keep their thread; without
 * replies the whole thread goes.
 */
export async function deletePost(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  note: PostModeration = {},
): Promise<{ threadDeleted: boolean; threadId: string; groupId: string; readable: boolean; landOn: string | null }> {
  const { post, thread, viewer, authorId, readable } = await loadPostToDelete(ctx, actor, postId);
  if (post.deleted || !canDeletePost(viewer, { authorId })) throw forbidden();
  // A deleted opening post with replies stays as a marker in its place; a reply is gone, so the
  // member lands beside where it was.
  const landOn =
    post.id === thread.opening_post_id
      ? post.id
      : await neighbourOf(ctx.db, thread.id, { at: post.created_at, id: post.id });
  const byModerator = authorId !== actor.id;
  let threadDeleted = false;
  await inTransaction(ctx.db, async (trx) => {
    threadDeleted = await erasePost({ ...ctx, db: trx }, post, thread);
    // A moderator's deletion is logged and answers the case about it; an author's own is neither.
    if (byModerator) {
      const target = note.asThread
        ? { targetType: 'thread' as const, targetId: thread.id }
        : { targetType: 'post' as const, targetId: post.id };
      const caseId = await settleCases(trx, target, note, ctx.now);
      await recordModeration(trx, {
        actorId: actor.id,
        action: `${target.targetType}.delete`,
        groupId: post.group_id,
        ...target,
        // Never an anonymous post's author (ADR 0018); `authorId` is only ever the actor's own there.
        targetUserId: post.anonymous ? null : post.author_id,
        reason: note.reason ?? null,
        caseId,
        now: ctx.now,
      });
    }
  });
  forgetRenderedMarkdown(post.body);
  await checkpointAfterErasure(ctx);
  return {
    threadDeleted,
    threadId: thread.id,
    groupId: post.group_id,
    readable,
    landOn: threadDeleted ? null : landOn,
  };
}

/** Before the confirmation page: whether the actor may delete this post, and may still read its thread. */
export async function postToDelete(ctx: ServiceContext, actor: Member, postId: string): Promise<{ readable: boolean }> {
  const { post, viewer, authorId, readable } = await loadPostToDelete(ctx, actor, postId);
  if (post.deleted || !canDeletePost(viewer, { authorId })) throw notFound();
  return { readable };
}
