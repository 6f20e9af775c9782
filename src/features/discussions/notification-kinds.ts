import type { ServiceContext } from '../../app-context.js';
import type {
  NotificationKindDefinition,
  RenderedNotification,
  StoredNotification,
} from '../../platform/notification-kinds.js';
import type { Member } from '../../security/actor.js';
import { authorRefMatcher } from '../../security/anonymity.js';
import { canReadContent, groupAccessOf } from '../groups/public.js';

/**
 * Notices about posts, each about one post (its subject) with `{ groupId, threadId }` as context.
 * Shown only while the reader may read the group's content, and the post is still there, neither
 * hidden nor deleted. They name the thread and the group, never the post's words or its author.
 */
async function renderPosts(
  ctx: ServiceContext,
  reader: Member,
  items: StoredNotification[],
): Promise<Map<string, RenderedNotification | null>> {
  const out = new Map<string, RenderedNotification | null>(items.map((n) => [n.id, null]));
  const postIds = [...new Set(items.flatMap((n) => (n.subjectId ? [n.subjectId] : [])))];
  if (postIds.length === 0) return out;
  const posts = await ctx.db
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .select(['p.id', 'p.group_id', 'p.thread_id', 'p.hidden', 'p.deleted', 'p.anonymous', 'p.author_ref', 't.title'])
    .where('p.id', 'in', postIds)
    .execute();
  const byId = new Map(posts.map((p) => [p.id, p]));
  const access = await groupAccessOf(
    ctx.db,
    reader,
    posts.map((p) => p.group_id),
    ctx.keys.anonymity,
  );
  // The author of an anonymous post is told about it like every other watcher, so the stored rows
  // do not single them out (ADR 0018); recognised here by the keyed hash, it is never shown to them.
  const isOwn = authorRefMatcher(ctx.keys.anonymity, reader.id);
  for (const n of items) {
    const post = n.subjectId ? byId.get(n.subjectId) : undefined;
    if (!post || post.hidden === 1 || post.deleted === 1) continue;
    if (post.anonymous === 1 && isOwn(post.thread_id, post.author_ref)) continue;
    const where = access.get(post.group_id);
    if (!where || !canReadContent(where.viewer, where.group)) continue;
    out.set(n.id, {
      message: {
        key: `discussions.notification.${n.kind}`,
        values: {},
        names: { thread: post.title, group: where.group.name },
      },
      href: `/posts/${post.id}`,
    });
  }
  return out;
}

/** The notification kinds discussions emit (it owns their words: `discussions.notification.*`). */
export const discussionsNotificationKinds: NotificationKindDefinition[] = [
  { kind: 'reply', labelKey: 'discussions.notification.label.reply', render: renderPosts },
  { kind: 'thread', labelKey: 'discussions.notification.label.thread', render: renderPosts },
  { kind: 'mention', labelKey: 'discussions.notification.label.mention', render: renderPosts },
];
