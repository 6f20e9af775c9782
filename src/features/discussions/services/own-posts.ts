import type { ServiceContext } from '../../../app-context.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import type { Member } from '../../../security/actor.js';
import { canReadContent, findGroup, viewerOf } from '../../groups/public.js';
import { pageSize, type OwnPost } from './model.js';

/**
 * The member's own signed posts, newest first, so they can find and delete them after leaving a
 * group. Anonymous posts are not listed: whoever gets into the account would learn which they are.
 */
export async function listOwnPosts(
  ctx: ServiceContext,
  actor: Member,
  input: { after?: string | undefined } = {},
): Promise<{ posts: OwnPost[]; next: string | null }> {
  let query = ctx.db
    .selectFrom('posts')
    .select(['id', 'group_id', 'body', 'created_at', 'edited_at'])
    .where('author_id', '=', actor.id)
    .where('deleted', '=', 0);
  const cursor = decodeCursor(input.after);
  if (cursor) {
    query = query.where(afterKeyset({ at: 'created_at', id: 'id' }, cursor, { at: 'desc', id: 'desc' }));
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const readable = new Set<string>();
  for (const groupId of new Set(page.map((r) => r.group_id))) {
    const group = await findGroup(ctx.db, groupId);
    if (group && canReadContent(await viewerOf(ctx.db, actor, groupId, ctx.keys.anonymity), group))
      readable.add(groupId);
  }
  return {
    posts: page.map((r) => ({
      id: r.id,
      body: r.body,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      readable: readable.has(r.group_id),
    })),
    next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null,
  };
}
