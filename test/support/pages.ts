import type { App } from '../../src/http/app.js';
import type { TestClient } from './client.js';

/**
 * Every GET route of the app without a parameter, read from the app itself, so the page sweeps
 * (weight, accessibility) take in a new module's pages without anyone adding them to a list.
 * Pages that need a parameter (a group, a thread) still need a test to make one.
 */
export function parameterlessGetPaths(app: App): string[] {
  const paths: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false, method: 'GET' }).split('\n')) {
    const match = /^([\s│]*)[├└]── (.+?) \(/.exec(line);
    if (!match) continue;
    const depth = Math.floor(match[1]!.length / 4);
    stack.length = depth;
    const path = (depth === 0 ? '' : stack[depth - 1]!) + match[2]!;
    stack.push(path);
    paths.push(path);
  }
  return paths.filter(
    (p) => !p.includes(':') && !p.includes('*') && !p.startsWith('/api/') && app.hasRoute({ method: 'GET', url: p }),
  );
}

/** The one GET that changes something: quick exit ends the session it is asked from. */
const notToVisit = new Set(['/exit']);

/** Of those, the pages this client gets as a page: an HTML answer, neither a redirect nor a refusal. */
export async function pagesFor(app: App, client: TestClient): Promise<string[]> {
  const pages: string[] = [];
  for (const path of parameterlessGetPaths(app).filter((p) => !notToVisit.has(p))) {
    const response = await client.get(path);
    if (response.status === 200 && String(response.headers['content-type']).startsWith('text/html')) pages.push(path);
  }
  return pages;
}
