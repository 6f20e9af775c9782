import type { ServiceContext } from '../../app-context.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../db/keyset.js';
import { invalid, type FieldError } from '../../platform/errors.js';
import type { RenderedNotification, StoredNotification } from '../../platform/notification-kinds.js';
import type { Member } from '../../security/actor.js';
import { computedNotices, notificationKinds } from './kind-registry.js';

/** One notification as its reader sees it now: what its kind rendered, and when. */
export interface NotificationItem extends RenderedNotification {
  id: string;
  kind: string;
  createdAt: number;
  read: boolean;
}

const pageSize = 30;

export interface NotificationList {
  items: NotificationItem[];
  /** Cursor of the next (older) page, if there is one. */
  next: string | null;
}

interface NotificationRow {
  id: string;
  kind: string;
  subject_id: string | null;
  context: string;
  created_at: number;
  read: number;
}

const rowColumns = ['n.id', 'n.kind', 'n.subject_id', 'n.context', 'n.created_at', 'n.read'] as const;

function parseContext(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // A context that is not JSON holds nothing to show.
  }
  return {};
}

/**
 * Renders stored rows through their kinds, with the reader's rights now (ADR 0030): each kind once
 * for all its rows. Rows a kind renders as null (the reader may no longer see what they are about),
 * and rows of a kind no module declares, are left out. The order of `rows` is kept.
 */
async function renderRows(ctx: ServiceContext, reader: Member, rows: NotificationRow[]): Promise<NotificationItem[]> {
  const kinds = await notificationKinds();
  const byKind = new Map<string, StoredNotification[]>();
  for (const row of rows) {
    if (!kinds.has(row.kind)) continue;
    const stored: StoredNotification = {
      id: row.id,
      kind: row.kind,
      subjectId: row.subject_id,
      context: parseContext(row.context),
      createdAt: row.created_at,
      read: row.read === 1,
    };
    const list = byKind.get(row.kind);
    if (list) list.push(stored);
    else byKind.set(row.kind, [stored]);
  }
  const rendered = new Map<string, RenderedNotification | null>();
  for (const [kind, items] of byKind) {
    for (const [id, shown] of await kinds.get(kind)!.render(ctx, reader, items)) rendered.set(id, shown);
  }
  return rows.flatMap((row) => {
    const shown = rendered.get(row.id);
    return shown ? [{ id: row.id, kind: row.kind, ...shown, createdAt: row.created_at, read: row.read === 1 }] : [];
  });
}

/** The member's notifications, newest first, that they may still see. */
export async function listNotifications(
  ctx: ServiceContext,
  actor: Member,
  input: { after?: string | undefined } = {},
): Promise<NotificationList> {
  let query = ctx.db
    .selectFrom('notifications as n')
    .select(rowColumns)
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
  const items = await renderRows(ctx, actor, page);
  // The cursor follows the rows read, not the ones shown, so a page of unreadable ones is not a dead end.
  const last = page.at(-1);
  return { items, next: rows.length > pageSize && last ? encodeCursor(last.created_at, last.id) : null };
}

/** Counting stops here: the badge says "99+" beyond, and no page reads more than this many index entries. */
export const unreadCountCap = 100;
/** How many batches of `unreadCountCap` rows the count reads at most. */
export const unreadCountBatches = 10;

/**
 * At most `unreadCountCap` entries of the partial index `notifications_unread` (unread rows only),
 * so every page costs the same whether the member has none or twenty thousand notifications.
 */
export function unreadQuery(db: DbOrTx, userId: string) {
  return db
    .selectFrom('notifications as n')
    .select(rowColumns)
    .where('n.user_id', '=', userId)
    .where('n.read', '=', 0)
    .orderBy('n.id')
    .limit(unreadCountCap);
}

/**
 * How many notifications wait unread, counted up to `unreadCountCap`: only those the member may
 * see now, rendered through their kinds as the list does (their own anonymous posts among them
 * are not counted either: ADR 0018).
 */
export async function unreadCount(ctx: ServiceContext, actor: Member): Promise<number> {
  let counted = 0;
  let after: string | undefined;
  // Rows that render as nothing (a post since hidden, the member's own anonymous post) must not
  // crowd out the visible ones, so a full batch with fewer visible rows than the cap reads on, by
  // id, up to a bounded number of batches: the count costs the same however much is stored.
  for (let batch = 0; batch < unreadCountBatches; batch++) {
    let query = unreadQuery(ctx.db, actor.id);
    if (after) query = query.where('n.id', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) break;
    counted += (await renderRows(ctx, actor, rows)).length;
    if (counted >= unreadCountCap || rows.length < unreadCountCap) break;
    after = rows.at(-1)!.id;
  }
  return Math.min(counted, unreadCountCap);
}

/**
 * Marks these notifications read, and only these: the ones a page has just shown the member (a
 * notification that arrived meanwhile stays unread). Ids of other members' notifications change nothing.
 */
export async function markRead(ctx: ServiceContext, actor: Member, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.db
    .updateTable('notifications')
    .set({ read: 1 })
    .where('user_id', '=', actor.id)
    .where('id', 'in', ids)
    .where('read', '=', 0)
    .execute();
}

export async function markAllRead(ctx: ServiceContext, actor: Member): Promise<void> {
  await ctx.db
    .updateTable('notifications')
    .set({ read: 1 })
    .where('user_id', '=', actor.id)
    .where('read', '=', 0)
    .execute();
}

export type Delivery = 'in_app' | 'off';

export interface NotificationPreference {
  kind: string;
  /** The catalogue key naming the kind. */
  labelKey: string;
  delivery: Delivery;
  /** A warning that cannot be turned off (a reset code issued for the account). */
  alwaysOn: boolean;
}

/** Every kind, in-app unless the member turned it off. */
export async function notificationPreferences(ctx: ServiceContext, actor: Member): Promise<NotificationPreference[]> {
  const rows = await ctx.db
    .selectFrom('notification_preferences')
    .select('kind')
    .where('user_id', '=', actor.id)
    .where('delivery', '=', 'off')
    .execute();
  const off = new Set(rows.map((r) => r.kind));
  return [...(await notificationKinds()).values()].map((k) => ({
    kind: k.kind,
    labelKey: k.labelKey,
    delivery: off.has(k.kind) && !k.alwaysOn ? 'off' : 'in_app',
    alwaysOn: k.alwaysOn === true,
  }));
}

/**
 * Changes the member's choice for the kinds named (the others stay as they were). Only "off" is
 * stored: in-app is the default, so a member who never chose leaves no row.
 */
export async function setNotificationPreferences(
  ctx: ServiceContext,
  actor: Member,
  input: Partial<Record<string, string>>,
): Promise<NotificationPreference[]> {
  const kinds = await notificationKinds();
  const errors: FieldError[] = [];
  const chosen: [string, Delivery][] = [];
  for (const [kind, delivery] of Object.entries(input)) {
    const definition = kinds.get(kind);
    if (!definition || (delivery !== 'in_app' && delivery !== 'off'))
      errors.push({ field: kind, message: 'notifications.preferences.invalid' });
    else if (definition.alwaysOn && delivery === 'off')
      errors.push({ field: kind, message: 'notifications.preferences.alwaysOn' });
    else chosen.push([kind, delivery]);
  }
  if (errors.length) throw invalid(errors);
  await inTransaction(ctx.db, async (trx) => {
    for (const [kind, delivery] of chosen) {
      if (delivery === 'off')
        await trx
          .insertInto('notification_preferences')
          .values({ user_id: actor.id, kind, delivery })
          .onConflict((oc) => oc.columns(['user_id', 'kind']).doNothing())
          .execute();
      else
        await trx
          .deleteFrom('notification_preferences')
          .where('user_id', '=', actor.id)
          .where('kind', '=', kind)
          .execute();
    }
  });
  return notificationPreferences(ctx, actor);
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

/** One source of notices worked out when asked (ADR 0043), with how many are new for the reader now. */
export interface ComputedNoticeCount {
  href: string;
  labelKey: string;
  count: number;
}

/** Every module's computed notices for the reader, each with its count. */
export async function computedNoticeCounts(ctx: ServiceContext, actor: Member): Promise<ComputedNoticeCount[]> {
  const sources = await computedNotices();
  return Promise.all(
    sources.map(async (s) => ({ href: s.href, labelKey: s.labelKey, count: await s.count(ctx, actor) })),
  );
}

/** The count beside "Notifications" in the navigation: stored unread ones and computed ones, up to the cap. */
export async function badgeCount(ctx: ServiceContext, actor: Member): Promise<number> {
  const [stored, computed] = await Promise.all([unreadCount(ctx, actor), computedNoticeCounts(ctx, actor)]);
  return Math.min(
    unreadCountCap,
    computed.reduce((sum, c) => sum + c.count, stored),
  );
}
