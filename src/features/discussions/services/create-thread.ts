import type { ServiceContext } from '../../../app-context.js';
import { checkpointAfterErasure, inTransaction } from '../../../db/database.js';
import { forbidden, invalid, type FieldError } from '../../../platform/errors.js';
import type { Member } from '../../../security/actor.js';
import { newId } from '../../../security/tokens.js';
import { canPost } from '../../groups/public.js';
import type { PostInput } from './model.js';
import { validatePost, validateTitle, checkAnonymous, refuseLinks } from './internal/validate.js';
import { loadReadableGroup } from './internal/load.js';
import { insertPost, indexPost, mentionerOf } from './internal/write.js';
import { mentionedReaders } from './mentions.js';
import { deleteDraft } from './drafts.js';
import { subscribeAnonymously } from './anonymous-replies.js';
import { recordEvent } from '../../../events/outbox.js';
import { isBlockedBetween } from '../../../security/blocks.js';
import { checkSlowMode, recordScreening, screenPost } from '../../safety/public.js';

export async function createThread(
  ctx: ServiceContext,
  actor: Member,
  groupId: string,
  input: PostInput & { title?: string | undefined },
): Promise<{ threadId: string; postId: string }> {
  const { group, viewer } = await loadReadableGroup(ctx, actor, groupId);
  if (!canPost(viewer)) throw forbidden();
  const errors: FieldError[] = [];
  const title = validateTitle(input.title, errors);
  const post = validatePost(input, errors);
  checkAnonymous(input, viewer, group, errors);
  refuseLinks(actor, post.body, errors);
  if (errors.length) throw invalid(errors);
  // Slow mode, then the watched words (ADR 0052): each refusal keeps the words in the form.
  await checkSlowMode(ctx.db, viewer, { groupId, threadId: null, authorRef: null }, ctx.now);
  const screening = await screenPost(ctx.db, groupId, { title, body: post.body });
  const held = screening.action === 'hold';
  const threadId = newId();
  const postId = newId();
  const hadDraft = await inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await trx
      .insertInto('threads')
      .values({
        id: threadId,
        group_id: groupId,
        title,
        opening_post_id: postId,
        reply_count: 0,
        created_at: ctx.now,
        last_activity_at: ctx.now,
      })
      .execute();
    await insertPost(
      tctx,
      actor,
      { id: postId, threadId, groupId, anonymous: input.anonymous === true, quotePostId: null, held },
      post,
    );
    // Published: the draft it came from goes with the same commit (ADR 0040).
    const hadDraft = await deleteDraft(trx, actor.id, { kind: 'thread', groupId });
    await trx.updateTable('groups').set({ last_activity_at: ctx.now }).where('id', '=', groupId).execute();
    // A held post is hidden, so not searchable until it is approved.
    if (!held)
      await indexPost(
        tctx,
        { id: postId, threadId, groupId, body: post.body, createdAt: ctx.now },
        { id: threadId, title, openingPostId: postId },
      );
    await recordScreening(trx, screening, { postId, groupId, now: ctx.now });
    // Watching is a row tying a person to a thread, so anonymous threads are not watched automatically.
    if (!input.anonymous)
      await trx.insertInto('thread_watches').values({ user_id: actor.id, thread_id: threadId }).execute();
    // Its author may ask to hear of replies, by the keyed hash alone (ADR 0043).
    else if (input.notifyReplies) await subscribeAnonymously(ctx, trx, actor, threadId);
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
        groupId,
        threadId,
        postId,
        opening: true,
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
  return { threadId, postId };
}
