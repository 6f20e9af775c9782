import type { EventSubscriber } from '../../events/types.js';
import { blockedAmong } from '../../security/blocks.js';
import { notify } from '../notifications/public.js';
import { findGroup } from '../groups/public.js';
import { readersNow } from './services/mentions.js';
import { forgetDraftsIn } from './services/drafts.js';
import { forgetReadPositionsIn } from './services/unread.js';

/**
 * Tells the people a new post concerns, after the post's transaction committed (ADR 0028): a new
 * thread to its group's watchers, a reply to its thread's watchers, and everyone the post names.
 * Notifications hold references only, and every list and count renders them with the reader's rights
 * at that moment (ADR 0030), so a reader who has since left, or a post since hidden, shows nothing.
 */
export const discussionsSubscribers: EventSubscriber[] = [
  {
    name: 'notify-readers-of-post',
    events: ['post.created'],
    async handle(ctx, event) {
      if (event.type !== 'post.created') return;
      const { groupId, threadId, postId, opening, authorId } = event.payload;
      // What changed since the post was written: a post deleted or hidden in between tells nobody
      // (and leaves no row about it), and a member named who has since left the group is not told.
      const post = await ctx.db
        .selectFrom('posts')
        .select(['hidden', 'deleted'])
        .where('id', '=', postId)
        .executeTakeFirst();
      const group = await findGroup(ctx.db, groupId);
      if (!post || post.hidden === 1 || post.deleted === 1 || !group) return;
      const named = event.payload.mentionedUserIds.length
        ? await ctx.db
            .selectFrom('users')
            .select(['id', 'username', 'role'])
            .where('id', 'in', event.payload.mentionedUserIds)
            .execute()
        : [];
      const mentionedUserIds = await readersNow(ctx.db, ctx.keys.anonymity, named, group);
      const watchers = opening
        ? await ctx.db.selectFrom('group_watches').select('user_id').where('group_id', '=', groupId).execute()
        : await ctx.db.selectFrom('thread_watches').select('user_id').where('thread_id', '=', threadId).execute();
      // A named author is not told of their own post. An anonymous post names nobody (authorId is
      // null), so an author who watches gets a row like every other watcher, leaving no gap shaped like
      // them (ADR 0018); the kind's renderer never shows them their own post.
      // A block holds at delivery too (ADR 0052): nobody in one with a named author hears of their post.
      const candidates = [...watchers.map((w) => w.user_id), ...mentionedUserIds];
      const blocked = authorId ? await blockedAmong(ctx.db, authorId, candidates) : new Set<string>();
      const watching = watchers.map((w) => w.user_id).filter((id) => id !== authorId && !blocked.has(id));
      const about = { subjectId: postId, context: { groupId, threadId }, now: event.occurredAt };
      if (opening) await notify(ctx.db, { userIds: watching, kind: 'thread', ...about });
      else
        await notify(ctx.db, {
          userIds: watching.filter((id) => !mentionedUserIds.includes(id)),
          kind: 'reply',
          ...about,
        });
      await notify(ctx.db, { userIds: mentionedUserIds.filter((id) => !blocked.has(id)), kind: 'mention', ...about });
    },
  },
  {
    // Leaving a group (or being removed or banned from it) leaves no unposted words there (ADR 0040).
    name: 'forget-drafts-of-former-member',
    events: ['member.removed'],
    async handle(ctx, event) {
      if (event.type !== 'member.removed') return;
      await forgetReadPositionsIn(ctx.db, event.payload.userId, event.payload.groupId);
      await forgetDraftsIn(ctx, event.payload.userId, event.payload.groupId);
    },
  },
];
