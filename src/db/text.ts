/**
 * Text as both engines compare it (ADR 0026): by code point. SQLite's BINARY comparison of UTF-8
 * does so; on PostgreSQL, key columns use the "C" collation (migration 0010).
 */

/**
 * The least string greater than every string that starts with `prefix`, or null when there is
 * none: `key >= prefix and key < prefixEnd(prefix)` is exactly "starts with", for any character,
 * with no wildcards to escape and an index to serve it.
 */
export function prefixEnd(prefix: string): string | null {
  const chars = [...prefix];
  while (chars.length > 0) {
    let code = chars.pop()!.codePointAt(0)! + 1;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xe000; // surrogates are no characters
    if (code <= 0x10ffff) return chars.join('') + String.fromCodePoint(code);
  }
  return null;
}
