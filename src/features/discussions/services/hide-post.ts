import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { forbidden } from '../../../platform/errors.js';
import { recordModeration, settleCases, type ModerationNote } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { canHidePost } from '../../groups/public.js';
import { loadPostToModerate } from './internal/load.js';
import { indexPost, unindexPost } from './internal/write.js';

/** How the moderation queue (ADR 0048) acts through a post: its reason and case, and what it acted on. */
export interface PostModeration extends ModerationNote {
  /** The moderator acted on the thread through its opening post: the log and the case are the thread's. */
  asThread?: boolean;
  /** Showing a post held for approval (or hidden): logged as `post.approve`. */
  approve?: boolean;
}

/**
 * Hides a post from its readers (`hidden` true) or shows it again. Either answers the open case
 * about it, and the moderation log keeps a row naming its author, never an anonymous one (ADR 0018).
 */
export async function setPostHidden(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  hidden: boolean,
  note: PostModeration = {},
): Promise<void> {
  const { post, thread, viewer } = await loadPostToModerate(ctx, actor, postId);
  if (!canHidePost(viewer) || post.deleted) throw forbidden();
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .updateTable('posts')
      .set({ hidden: hidden ? 1 : 0 })
      .where('id', '=', postId)
      .execute();
    if (hidden) await unindexPost(tctx, postId, thread);
    else
      await indexPost(
        tctx,
        { id: postId, threadId: thread.id, groupId: post.group_id, body: post.body, createdAt: post.created_at },
        { id: thread.id, title: thread.title, openingPostId: thread.opening_post_id },
      );
    const target = note.asThread
      ? { targetType: 'thread' as const, targetId: thread.id }
      : { targetType: 'post' as const, targetId: postId };
    const caseId = await settleCases(trx, target, note, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: `${target.targetType}.${hidden ? 'hide' : note.approve ? 'approve' : 'unhide'}`,
      groupId: post.group_id,
      ...target,
      // An anonymous post's author is never linked to it, here neither (ADR 0012, 0018).
      targetUserId: post.anonymous ? null : post.author_id,
      reason: note.reason ?? null,
      caseId,
      now: ctx.now,
    });
  });
}
