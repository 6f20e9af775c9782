import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { recordAudit } from '../../../db/audit.js';
import { forbidden } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { canHidePost } from '../../groups/public.js';
import { loadPostToModerate } from './internal/load.js';
import { indexPost, unindexPost } from './internal/write.js';

export async function setPostHidden(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  hidden: boolean,
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
    await recordAudit(trx, {
      actorId: actor.id,
      action: hidden ? 'post.hide' : 'post.unhide',
      subject: post.group_id,
      now: ctx.now,
    });
  });
}
