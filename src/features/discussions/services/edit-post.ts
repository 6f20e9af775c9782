import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { AppError, forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { forgetRenderedMarkdown } from '../../../security/sanitize-html.js';
import { canEditPost } from '../../groups/public.js';
import type { PostInput } from './model.js';
import { refuseLinks, validatePost, validateTitle } from './internal/validate.js';
import { loadPost, authorIdFor } from './internal/load.js';
import { indexPost, unindexPost } from './internal/write.js';
import { recordEvent } from '../../../events/outbox.js';
import { recordScreening, screenPost } from '../../safety/public.js';

export async function editPost(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  input: PostInput & { title?: string | undefined },
): Promise<void> {
  const { post, thread, viewer } = await loadPost(ctx, actor, postId);
  const authorId = authorIdFor(ctx, actor, post);
  if (post.deleted || !canEditPost(viewer, { authorId, threadLocked: false })) throw forbidden();
  // In a locked thread the words stand as they were, but for those who may unlock it (ADR 0039).
  if (!canEditPost(viewer, { authorId, threadLocked: thread.locked_at !== null }))
    throw new AppError('conflict', 'discussions.locked.noEdits');
  // Not an anonymous post, even for them: only those who may unlock it write in a locked thread, so
  // an edit time after the lock would say the anonymous author is one of its moderators.
  if (post.anonymous && thread.locked_at !== null) throw new AppError('conflict', 'discussions.locked.noEdits');
  const errors: FieldError[] = [];
  const clean = validatePost(
    {
      body: input.body ?? post.body,
      warning: input.warning === undefined ? post.warning : input.warning,
      warningText: input.warningText === undefined ? post.warning_text : input.warningText,
    },
    errors,
  );
  // Only new words: an untouched post of a member who lost a level stays editable.
  if (clean.body !== post.body) refuseLinks(actor, clean.body, errors);
  const isOpening = post.id === thread.opening_post_id;
  const title = isOpening && input.title !== undefined ? validateTitle(input.title, errors) : thread.title;
  if (errors.length) throw invalid(errors);
  // Edited words meet the watched words as new ones do (ADR 0052): a held edit hides the post again.
  const screening = await screenPost(ctx.db, post.group_id, {
    ...(isOpening ? { title } : {}),
    body: clean.body,
  });
  const held = screening.action === 'hold';
  await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .updateTable('posts')
      .set({
        body: clean.body,
        warning: clean.warning,
        warning_text: clean.warningText,
        edited_at: ctx.now,
        ...(held ? { hidden: 1 } : {}),
      })
      .where('id', '=', postId)
      .execute();
    // Locked meanwhile: an anonymous post's edit goes back with the transaction (see above).
    if (post.anonymous) {
      const locked = await trx.selectFrom('threads').select('locked_at').where('id', '=', thread.id).executeTakeFirst();
      if (locked?.locked_at != null) throw new AppError('conflict', 'discussions.locked.noEdits');
    }
    if (title !== thread.title) {
      await trx.updateTable('threads').set({ title }).where('id', '=', thread.id).execute();
      await trx
        .updateTable('search_documents')
        .set({ title })
        .where('kind', '=', 'post')
        .where('ref_id', 'in', (eb) => eb.selectFrom('posts').select('id').where('thread_id', '=', thread.id))
        .execute();
    }
    await recordScreening(trx, screening, { postId, groupId: post.group_id, now: ctx.now });
    if (held && !post.hidden) await unindexPost(tctx, postId, thread);
    else if (!post.hidden && !held)
      await indexPost(
        tctx,
        { id: postId, threadId: thread.id, groupId: post.group_id, body: clean.body, createdAt: post.created_at },
        { id: thread.id, title, openingPostId: thread.opening_post_id },
      );
    await recordEvent(trx, 'post.edited', { groupId: post.group_id, threadId: thread.id, postId }, ctx.now);
  });
  // After the commit, so no reader can put the old words back while the edit is under way.
  if (clean.body !== post.body) forgetRenderedMarkdown(post.body);
}
