/**
 * PostgreSQL cannot store U+0000 in text and answers such a query with an error; SQLite would
 * store it. No form or API field has a use for it, so every request is checked once, here, for
 * both engines alike: parsed body (values and keys, however nested), query string and path.
 */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  // Bodies are at most 64 KiB, so nesting is bounded too; the depth guard only stops runaway recursion.
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item, depth + 1));
}
