/**
 * PostgreSQL cannot store U+0000 in text and answers such a query with an error; SQLite would
 * store it. No form or API field has a use for it, so every request is checked once, here, for
 * both engines alike: parsed body (values and keys, however nested), query string and path.
 */
export function containsNul(value: unknown): boolean {
  // A stack rather than recursion: bodies are bounded in size (64 KiB), not in nesting.
  const pending: unknown[] = [value];
  while (pending.length) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
    } else if (Array.isArray(item)) {
      pending.push(...item);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\u0000')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}
