import type { ServiceContext } from '../../../../app-context.js';
import type { PostsTable, ThreadsTable } from '../../../../db/schema.js';
import { notFound } from '../../../../platform/errors.js';
import type { Actor, Member } from '../../../../security/actor.js';
import { authorRef } from '../../../../security/anonymity.js';
import {
  canModerate,
  canReachModeration,
  canReadContent,
  type Viewer,
  findGroup,
  viewerOf,
  type Group,
} from '../../../groups/public.js';

export type ThreadRow = ThreadsTable;

/** Every column of a thread, as services read it. */
export const threadColumns = [
  'id',
  'group_id',
  'title',
  'opening_post_id',
  'reply_count',
  'created_at',
  'last_activity_at',
  'pinned_at',
  'locked_at',
  'lock_reason',
] as const;

export async function loadReadableGroup(
  ctx: ServiceContext,
  actor: Actor,
  groupId: string,
): Promise<{ group: Group; viewer: Viewer }> {
  const group = await findGroup(ctx.db, groupId);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity);
  if (!canReadContent(viewer, group)) throw notFound();
  return { group, viewer };
}

export async function loadThread(
  ctx: ServiceContext,
  actor: Actor,
  threadId: string,
): Promise<{ thread: ThreadRow; group: Group; viewer: Viewer }> {
  const thread = await ctx.db.selectFrom('threads').select(threadColumns).where('id', '=', threadId).executeTakeFirst();
  if (!thread) throw notFound();
  return { thread, ...(await loadReadableGroup(ctx, actor, thread.group_id)) };
}

export type PostRow = Pick<
  PostsTable,
  | 'id'
  | 'thread_id'
  | 'group_id'
  | 'author_id'
  | 'anonymous'
  | 'author_ref'
  | 'author_box'
  | 'pseudonym'
  | 'body'
  | 'warning'
  | 'warning_text'
  | 'quote_post_id'
  | 'hidden'
  | 'deleted'
  | 'created_at'
  | 'edited_at'
>;

export const postColumns = [
  'posts.id',
  'posts.thread_id',
  'posts.group_id',
  'posts.author_id',
  'posts.anonymous',
  'posts.author_ref',
  'posts.author_box',
  'posts.pseudonym',
  'posts.body',
  'posts.warning',
  'posts.warning_text',
  'posts.quote_post_id',
  'posts.hidden',
  'posts.deleted',
  'posts.created_at',
  'posts.edited_at',
] as const;

/**
 * A post for a moderation action (hide, ban its author). Whoever reads the group reaches it as
 * `loadPost` does; an instance moderator who may not read the group reaches it by id for these
 * actions only, and is shown nothing of it (ADR 0032). Anyone else finds no such post.
 */
export async function loadPostToModerate(ctx: ServiceContext, actor: Actor, postId: string) {
  const post = await ctx.db.selectFrom('posts').select(postColumns).where('id', '=', postId).executeTakeFirst();
  if (!post) throw notFound();
  const group = await findGroup(ctx.db, post.group_id);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
  const reaches = canReadContent(viewer, group) || (canReachModeration(viewer, group) && canModerate(viewer));
  if (!reaches) throw notFound();
  const thread = await ctx.db
    .selectFrom('threads')
    .select(threadColumns)
    .where('id', '=', post.thread_id)
    .executeTakeFirstOrThrow();
  return { post, thread, group, viewer };
}

/**
 * A thread for pinning or locking (ADR 0039), reached as `loadPostToModerate` reaches a post:
 * whoever reads the group, and an instance moderator who may not read it, by id, for this only.
 */
export async function loadThreadToModerate(ctx: ServiceContext, actor: Actor, threadId: string) {
  const thread = await ctx.db.selectFrom('threads').select(threadColumns).where('id', '=', threadId).executeTakeFirst();
  if (!thread) throw notFound();
  const group = await findGroup(ctx.db, thread.group_id);
  if (!group) throw notFound();
  const viewer = await viewerOf(ctx.db, actor, group.id, ctx.keys.anonymity);
  const reaches = canReadContent(viewer, group) || (canReachModeration(viewer, group) && canModerate(viewer));
  if (!reaches) throw notFound();
  return { thread, group, viewer };
}

export async function loadPost(ctx: ServiceContext, actor: Actor, postId: string) {
  const post = await ctx.db.selectFrom('posts').select(postColumns).where('id', '=', postId).executeTakeFirst();
  if (!post) throw notFound();
  const { thread, group, viewer } = await loadThread(ctx, actor, post.thread_id);
  return { post, thread, group, viewer };
}

/**
 * A post to delete. Authors reach their own post even where they can no longer read (after leaving
 * a private group, or a ban), and learn nothing else of its thread or group; anyone else reaches
 * it only by reading. A denied read looks like a missing post.
 */
export async function loadPostToDelete(ctx: ServiceContext, actor: Member, postId: string) {
  const post = await ctx.db.selectFrom('posts').select(postColumns).where('id', '=', postId).executeTakeFirst();
  if (!post) throw notFound();
  const authorId = authorIdFor(ctx, actor, post);
  if (authorId !== actor.id) return { ...(await loadPost(ctx, actor, postId)), authorId, readable: true };
  const [thread, group, viewer] = await Promise.all([
    ctx.db.selectFrom('threads').select(threadColumns).where('id', '=', post.thread_id).executeTakeFirstOrThrow(),
    findGroup(ctx.db, post.group_id),
    viewerOf(ctx.db, actor, post.group_id, ctx.keys.anonymity),
  ]);
  return { post, thread, viewer, authorId, readable: group !== null && canReadContent(viewer, group) };
}

/** The author as the policies see them: for anonymous posts, the actor themselves when the keyed hash matches, else nobody. */
export function authorIdFor(
  ctx: ServiceContext,
  actor: Actor,
  post: Pick<PostRow, 'author_id' | 'anonymous' | 'author_ref' | 'thread_id'>,
): string | null {
  if (!post.anonymous) return post.author_id;
  if (actor.kind !== 'user' || !post.author_ref) return null;
  return post.author_ref === authorRef(ctx.keys.anonymity, post.thread_id, actor.id) ? actor.id : null;
}
