import type { ServiceContext } from '../../../../app-context.js';
import type { ThreadRow, PostRow } from './load.js';
import { forgetAuditReasons } from '../../../../db/audit.js';
import { forgetModerationReasons } from '../../../../platform/moderation.js';
import { unindexPost } from './write.js';
import { forgetNotificationsAbout } from '../../../notifications/public.js';
import { recordEvent } from '../../../../events/outbox.js';

export async function erasePost(
  ctx: ServiceContext,
  post: Pick<PostRow, 'id' | 'thread_id'>,
  thread: Pick<ThreadRow, 'id' | 'group_id' | 'opening_post_id' | 'reply_count'>,
): Promise<boolean> {
  const threadDeleted = await erase(ctx, post, thread);
  // Ids only: the words are gone, and the event never says who wrote them.
  await recordEvent(
    ctx.db,
    'post.deleted',
    { groupId: thread.group_id, threadId: thread.id, postId: post.id, threadDeleted },
    ctx.now,
  );
  return threadDeleted;
}

async function erase(
  ctx: ServiceContext,
  post: Pick<PostRow, 'id' | 'thread_id'>,
  thread: Pick<ThreadRow, 'id' | 'opening_post_id' | 'reply_count'>,
): Promise<boolean> {
  const db = ctx.db;
  await unindexPost(ctx, post.id, thread);
  await forgetNotificationsAbout(db, [post.id]);
  if (post.id !== thread.opening_post_id) {
    await db.deleteFrom('posts').where('id', '=', post.id).execute();
    await db
      .updateTable('threads')
      .set((eb) => ({ reply_count: eb('reply_count', '-', 1) }))
      .where('id', '=', thread.id)
      .execute();
    return false;
  }
  const replies = await db
    .selectFrom('posts')
    .select('id')
    .where('thread_id', '=', thread.id)
    .where('id', '!=', post.id)
    .execute();
  if (replies.length === 0) {
    await db.deleteFrom('threads').where('id', '=', thread.id).execute();
    // The reasons moderators gave for pinning or locking it go with its words (ADR 0039).
    await forgetAuditReasons(db, { targetId: thread.id });
    await forgetModerationReasons(db, { targetId: thread.id });
    return true;
  }
  await db.deleteFrom('reactions').where('post_id', '=', post.id).execute();
  await db
    .updateTable('posts')
    .set({
      body: '',
      warning: null,
      warning_text: null,
      author_id: null,
      anonymous: 0,
      author_ref: null,
      author_box: null,
      pseudonym: null,
      deleted: 1,
      hidden: 0,
      edited_at: null,
    })
    .where('id', '=', post.id)
    .execute();
  return false;
}
