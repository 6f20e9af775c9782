import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../db/keyset.js';
import type { NotificationKind } from '../../db/schema.js';
import type { Member } from '../../security/actor.js';
import { authorRefMatcher } from '../../security/anonymity.js';
import { canReadContent, canSeeGroup, viewerOf, findGroup } from '../groups/public.js';

export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  /** Null for notifications about the account itself. */
  group: { id: string; name: string } | null;
  thread: { id: string; title: string } | null;
  postId: string | null;
  createdAt: number;
  read: boolean;
}

const pageSize = 30;

export interface NotificationList {
  items: NotificationItem[];
  /** Cursor of the next (older) page, if there is one. */
  next: string | null;
}

/** The member's notifications, newest first, that they may still see. */
export async function listNotifications(
  ctx: ServiceContext,
  actor: Member,
  input: { after?: string | undefined } = {},
): Promise<NotificationList> {
  let query = ctx.db
    .selectFrom('notifications as n')
    .leftJoin('groups as g', 'g.id', 'n.group_id')
    .leftJoin('threads as t', 't.id', 'n.thread_id')
    .leftJoin('posts as p', 'p.id', 'n.post_id')
    .select([
      'n.id',
      'n.kind',
      'n.group_id',
      'g.name as group_name',
      'n.thread_id',
      't.title as thread_title',
      'n.post_id',
      'n.created_at',
      'n.read',
      'p.anonymous',
      'p.author_ref',
      'p.thread_id as post_thread_id',
    ])
    .where('n.user_id', '=', actor.id)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .limit(pageSize + 1);
  const cursor = decodeCursor(input.after);
  if (cursor) {
    query = query.where(afterKeyset({ at: 'n.created_at', id: 'n.id' }, cursor, { at: 'desc', id: 'asc' }));
  }
  const rows = await query.execute();
  const page = rows.slice(0, pageSize);
  const items: NotificationItem[] = [];
  const access = new Map<string, { see: boolean; read: boolean }>();
  const mine = ownAnonymousPost(ctx, actor);
  for (const row of page) {
    if (row.group_id === null || row.group_name === null) {
      items.push({
        id: row.id,
        kind: row.kind,
        group: null,
        thread: null,
        postId: null,
        createdAt: row.created_at,
        read: row.read === 1,
      });
      continue;
    }
    if (mine(row)) continue;
    let rights = access.get(row.group_id);
    if (!rights) {
      const group = await findGroup(ctx.db, row.group_id);
      const viewer = await viewerOf(ctx.db, actor, row.group_id, ctx.keys.anonymity);
      rights = {
        see: group !== null && canSeeGroup(viewer, group),
        read: group !== null && canReadContent(viewer, group),
      };
      access.set(row.group_id, rights);
    }
    // Decisions about one's own request stay visible; anything about content needs read access now.
    const aboutRequest = row.kind === 'join_approved' || row.kind === 'join_declined';
    if (!(aboutRequest || (row.thread_id ? rights.read : rights.see))) continue;
    items.push({
      id: row.id,
      kind: row.kind,
      group: { id: row.group_id, name: row.group_name },
      thread: row.thread_id && row.thread_title !== null ? { id: row.thread_id, title: row.thread_title } : null,
      postId: row.post_id,
      createdAt: row.created_at,
      read: row.read === 1,
    });
  }
  // The cursor follows the rows read, not the ones shown, so a page of unreadable ones is not a dead end.
  const last = page.at(-1);
  return { items, next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null };
}

/**
 * The author of an anonymous post is told about it like every other watcher, so the stored rows do
 * not single them out (ADR 0018); this recognises that row, by the keyed hash, so it is never shown.
 */
function ownAnonymousPost(ctx: ServiceContext, actor: Member) {
  const isOwn = authorRefMatcher(ctx.keys.anonymity, actor.id);
  return (row: { anonymous: number | null; author_ref: string | null; post_thread_id: string | null }): boolean =>
    row.anonymous === 1 && row.post_thread_id !== null && isOwn(row.post_thread_id, row.author_ref);
}

/** Counting stops here: the badge says "99+" beyond, and no page reads more than this many index entries. */
export const unreadCountCap = 100;

/**
 * At most `unreadCountCap` entries of the partial index `notifications_unread` (unread rows only),
 * so every page costs the same whether the member has none or twenty thousand notifications. Each
 * row comes with its post's anonymity fields, for rules about which unread rows count.
 */
export function unreadQuery(db: DbOrTx, userId: string) {
  return db
    .selectFrom('notifications as n')
    .leftJoin('posts as p', 'p.id', 'n.post_id')
    .select(['p.anonymous', 'p.author_ref', 'p.thread_id as post_thread_id'])
    .where('n.user_id', '=', userId)
    .where('n.read', '=', 0)
    .limit(unreadCountCap);
}

/** How many notifications wait unread, counted up to `unreadCountCap`. */
export async function unreadCount(ctx: ServiceContext, actor: Member): Promise<number> {
  // The member's own anonymous posts among them are not counted (ADR 0018).
  const mine = ownAnonymousPost(ctx, actor);
  return (await unreadQuery(ctx.db, actor.id).execute()).filter((row) => !mine(row)).length;
}

export async function markAllRead(ctx: ServiceContext, actor: Member): Promise<void> {
  await ctx.db
    .updateTable('notifications')
    .set({ read: 1 })
    .where('user_id', '=', actor.id)
    .where('read', '=', 0)
    .execute();
}

const day = 86_400_000;

/**
 * How long notifications are kept: they are references to things already readable elsewhere, and
 * a seized database should say as little as possible about what a member followed and when.
 */
export const notificationRetention = { readDays: 30, allDays: 90 } as const;

/**
 * Deletes read notifications older than `readDays` and all notifications older than `allDays`, in
 * batches so no statement holds locks for long. Returns how many rows went. Idempotent, so any
 * number of instances may run it at once.
 */
export async function pruneNotifications(ctx: ServiceContext, batch = 2000): Promise<number> {
  const readBefore = ctx.now - notificationRetention.readDays * day;
  const allBefore = ctx.now - notificationRetention.allDays * day;
  let total = 0;
  for (;;) {
    const result = await ctx.db
      .deleteFrom('notifications')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('notifications')
          .select('id')
          .where((w) =>
            w.or([w('created_at', '<', allBefore), w.and([w('created_at', '<', readBefore), w('read', '=', 1)])]),
          )
          .limit(batch),
      )
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < batch) return total;
  }
}
