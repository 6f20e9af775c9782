import { sql, type SqlBool } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import { isGroupLanguage } from '../../../i18n/regions.js';
import type { Member } from '../../../security/actor.js';
import { search } from '../../../search/service.js';
import { activityDayMs, activityDayOf, groupColumns, tagsOf, toGroup } from '../queries.js';
import { tagKey, type DirectoryFilters, type GroupPage } from './model.js';

const directoryPageSize = 20;

/**
 * Public and private groups, latest day of activity first; hidden groups are never listed. Every
 * signed-in member sees the same groups; with each, the caller's own relation to it.
 */
export async function listDirectory(ctx: ServiceContext, actor: Member, filters: DirectoryFilters): Promise<GroupPage> {
  let query = ctx.db.selectFrom('groups').select(groupColumns).where('groups.visibility', '!=', 'hidden');
  const q = filters.q?.trim();
  if (q) {
    const hits = await search(ctx, { query: q, scopes: ['directory'], kinds: ['group'], limit: 100 });
    if (hits.length === 0) return { groups: [], mine: new Map(), next: null };
    query = query.where(
      'groups.id',
      'in',
      hits.map((h) => h.refId),
    );
  }
  if (filters.country) query = query.where('groups.country', '=', filters.country.toUpperCase());
  // Language codes are stored lower-case, space-separated: the filter is folded and checked the
  // same way, so the answer never depends on an engine's LIKE (which ignores case on SQLite only).
  const language = filters.language?.trim().toLowerCase();
  if (language) {
    if (!isGroupLanguage(language)) return { groups: [], mine: new Map(), next: null };
    query = query.where(sql<SqlBool>`(' ' || groups.languages || ' ') like ${`% ${language} %`}`);
  }
  const tag = filters.tag ? tagKey(filters.tag) : '';
  if (tag)
    query = query.where('groups.id', 'in', (eb) =>
      eb.selectFrom('group_tags').select('group_id').where('key', '=', tag),
    );
  // Ordered by the day of last activity, then id: neither the order nor the cursor may tell a
  // stranger when a private group was active more precisely than the day its page shows.
  const activityDay = sql<number>`(groups.last_activity_at - groups.last_activity_at % ${activityDayMs})`;
  const cursor = decodeCursor(filters.after);
  if (cursor) {
    query = query.where(afterKeyset({ at: activityDay, id: 'groups.id' }, cursor, { at: 'desc', id: 'asc' }));
  }
  const rows = await query
    .orderBy(activityDay, 'desc')
    .orderBy('groups.id')
    .limit(directoryPageSize + 1)
    .execute();
  const page = rows.slice(0, directoryPageSize);
  const ids = page.map((r) => r.id);
  const [tags, mine] = await Promise.all([tagsOf(ctx.db, ids), relationsOf(ctx, actor, ids)]);
  const last = page.at(-1);
  return {
    groups: page.map((row) => toGroup(row, tags.get(row.id) ?? [])),
    mine,
    next: rows.length > directoryPageSize && last ? encodeCursor(activityDayOf(last.last_activity_at), last.id) : null,
  };
}

/** The caller's membership or waiting request in each of these groups (absent: neither). */
async function relationsOf(ctx: ServiceContext, actor: Member, groupIds: string[]): Promise<GroupPage['mine']> {
  const mine: GroupPage['mine'] = new Map();
  if (groupIds.length === 0) return mine;
  const [memberships, requests] = await Promise.all([
    ctx.db
      .selectFrom('group_members')
      .select(['group_id', 'role'])
      .where('user_id', '=', actor.id)
      .where('group_id', 'in', groupIds)
      .execute(),
    ctx.db
      .selectFrom('join_requests')
      .select('group_id')
      .where('user_id', '=', actor.id)
      .where('group_id', 'in', groupIds)
      .execute(),
  ]);
  for (const r of requests) mine.set(r.group_id, { membership: null, pendingRequest: true });
  for (const m of memberships) mine.set(m.group_id, { membership: m.role, pendingRequest: false });
  return mine;
}
