const base = 'http://sanad.invalid';

/**
 * Only same-origin paths are followed after sign-in or a language switch: never another host. The
 * path comes back percent-encoded, because a Location header carries ASCII only: an Arabic path
 * given as it reads would make the redirect throw after the session had begun.
 */
export function safeLocalPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  // Dot segments can resolve to a path that starts with two slashes (`/.//host`, `/a/..//host`),
  // which a browser reads as another host.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
