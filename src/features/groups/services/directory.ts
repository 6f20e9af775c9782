import { sql } from 'kysely';
import type { ServiceContext } from '../../../app-context.js';
import { afterKeyset, decodeCursor, encodeCursor } from '../../../db/keyset.js';
import type { Member } from '../../../security/actor.js';
import { search } from '../../../search/service.js';
import { activityDayMs, activityDayOf, groupColumns, tagsOf, toGroup } from '../queries.js';
import { tagKey, type DirectoryFilters, type GroupPage } from './model.js';

const directoryPageSize = 20;

/** Public and private groups, latest day of activity first; hidden groups are never listed. */
export async function listDirectory(ctx: ServiceContext, actor: Member, filters: DirectoryFilters): Promise<GroupPage> {
  void actor; // every signed-in member sees the same directory
  let query = ctx.db.selectFrom('groups').select(groupColumns).where('groups.visibility', '!=', 'hidden');
  const q = filters.q?.trim();
  if (q) {
    const hits = await search(ctx, { query: q, scopes: ['directory'], kinds: ['group'], limit: 100 });
    if (hits.length === 0) return { groups: [], next: null };
    query = query.where(
      'groups.id',
      'in',
      hits.map((h) => h.refId),
    );
  }
  if (filters.country) query = query.where('groups.country', '=', filters.country.toUpperCase());
  if (filters.language)
    query = query.where((eb) =>
      eb.or([
        eb('groups.languages', '=', filters.language!),
        eb('groups.languages', 'like', `%${filters.language} %`),
        eb('groups.languages', 'like', `% ${filters.language}`),
      ]),
    );
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
  const tags = await tagsOf(
    ctx.db,
    page.map((r) => r.id),
  );
  const last = page.at(-1);
  return {
    groups: page.map((row) => toGroup(row, tags.get(row.id) ?? [])),
    next: rows.length > directoryPageSize && last ? encodeCursor(activityDayOf(last.last_activity_at), last.id) : null,
  };
}
