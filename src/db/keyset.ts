import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * Keyset pagination: a page ends at a row's (timestamp, id), and the next page starts after it, so
 * pages stay correct while rows are added and cost the same however deep a reader goes.
 */
export interface Keyset {
  at: number;
  id: string;
}

/** The cursor as it travels in URLs; its shape is `Cursor` in src/http/schemas.ts. */
export const encodeCursor = (at: number, id: string): string => `${at}_${id}`;

export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (!cursor) return null;
  const match = /^(\d{1,15})_([\w-]{1,64})$/.exec(cursor);
  return match ? { at: Number(match[1]), id: match[2]! } : null;
}

/**
 * The rows after `key` in a listing ordered by (`at`, `id`): the WHERE clause every keyset page
 * uses, written once. `order` gives each column's direction as the ORDER BY has it; `inclusive`
 * starts at `key`'s own row instead of after it.
 */
export function afterKeyset(
  columns: { at: string | Expression<number>; id: string },
  key: Keyset,
  order: { at: 'asc' | 'desc'; id: 'asc' | 'desc' },
  options: { inclusive?: boolean } = {},
): Expression<SqlBool> {
  const at = typeof columns.at === 'string' ? sql.ref(columns.at) : columns.at;
  const id = sql.ref(columns.id);
  const atPast = sql.raw(order.at === 'asc' ? '>' : '<');
  const idPast = sql.raw((order.id === 'asc' ? '>' : '<') + (options.inclusive ? '=' : ''));
  return sql<SqlBool>`(${at} ${atPast} ${key.at} or (${at} = ${key.at} and ${id} ${idPast} ${key.id}))`;
}
