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
