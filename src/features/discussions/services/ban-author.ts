import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import { recordAudit } from '../../../db/audit.js';
import { AppError, forbidden, notFound } from '../../../platform/errors.js';
import { recordModeration, settleCases, type ModerationNote } from '../../../platform/moderation.js';
import type { Member } from '../../../security/actor.js';
import { anonymousBanKey, openAuthor } from '../../../security/anonymity.js';
import { newId } from '../../../security/tokens.js';
import { canModerate, canRemoveMember, banUser } from '../../groups/public.js';
import { forgetGroupFor } from '../../notifications/public.js';
import { loadPostToModerate } from './internal/load.js';
import { recordEvent } from '../../../events/outbox.js';

/**
 * Bans whoever wrote a post from its group. For an anonymous post (ADR 0018) the answer and the
 * moderation log's row are the same whoever wrote it (owner, moderator, member, the moderator themself), and
 * nobody leaves the member list: the server records a keyed hash of group and author, and from then
 * on the author cannot post, react, moderate or read a closed group's content. An owner cannot be
 * banned from their own group: for them the ban ends anonymous posting there, which is all anyone
 * else could observe of it.
 */
export async function banPostAuthor(
  ctx: ServiceContext,
  actor: Member,
  postId: string,
  note: ModerationNote = {},
): Promise<void> {
  const { post, viewer } = await loadPostToModerate(ctx, actor, postId);
  if (!canModerate(viewer) || post.deleted) throw forbidden();
  if (post.anonymous) {
    const authorId = post.author_box ? openAuthor(ctx.keys.anonymity, post.author_box) : null;
    await inTransaction(ctx.db, async (trx) => {
      if (authorId) {
        await trx
          .insertInto('anonymous_bans')
          .values({
            id: newId(),
            group_id: post.group_id,
            author_key: anonymousBanKey(ctx.keys.anonymity, post.group_id, authorId),
            created_at: ctx.now,
          })
          .onConflict((oc) => oc.columns(['group_id', 'author_key']).doNothing())
          .execute();
      }
      // The row names the post, never its author: the same whoever wrote it.
      const caseId = await settleCases(trx, { targetType: 'post', targetId: post.id }, note, ctx.now);
      await recordModeration(trx, {
        actorId: actor.id,
        action: 'group.ban.anonymous',
        groupId: post.group_id,
        targetType: 'post',
        targetId: post.id,
        reason: note.reason ?? null,
        caseId,
        now: ctx.now,
      });
    });
    return;
  }
  const authorId = post.author_id;
  if (!authorId) throw notFound();
  const author = await ctx.db
    .selectFrom('users as u')
    .leftJoin('group_members as m', (join) => join.onRef('m.user_id', '=', 'u.id').on('m.group_id', '=', post.group_id))
    .select(['u.role as instance_role', 'm.role'])
    .where('u.id', '=', authorId)
    .executeTakeFirst();
  if (!author) throw notFound();
  // The outrank rule, as on the members page (src/security/policy.ts).
  const target = { userId: authorId, groupRole: author.role, instanceRole: author.instance_role };
  const refusal =
    authorId === actor.id
      ? new AppError('conflict', 'groups.members.notYourself')
      : !canRemoveMember(viewer, target)
        ? new AppError('forbidden', 'discussions.ban.notAllowed')
        : null;
  if (refusal) {
    // Refused attempts are kept too, so the log shows every try.
    await recordAudit(ctx.db, { actorId: actor.id, action: 'group.ban.refused', subject: post.group_id, now: ctx.now });
    throw refusal;
  }
  await inTransaction(ctx.db, async (trx) => {
    await banUser(trx, post.group_id, authorId, ctx.now);
    await forgetGroupFor(trx, authorId, post.group_id);
    if (author.role)
      await recordEvent(trx, 'member.removed', { groupId: post.group_id, userId: authorId, reason: 'banned' }, ctx.now);
    const caseId = await settleCases(trx, { targetType: 'post', targetId: post.id }, note, ctx.now);
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'group.ban',
      groupId: post.group_id,
      targetType: 'user',
      targetId: authorId,
      targetUserId: authorId,
      reason: note.reason ?? null,
      detail: { postId: post.id },
      caseId,
      now: ctx.now,
    });
  });
}
