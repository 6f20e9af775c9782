import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';
import { TestClient } from './support/client.js';
import { createUser, signInAs } from './support/seed.js';
import { loadModules, navigationOf, checkModules } from '../src/platform/modules.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

/** The links of the site navigation, in page order. */
const navLinks = (html: string) =>
  [...(/<nav class="site-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/<a href="([^"]+)"/g)].map(
    (m) => m[1],
  );

test('the navigation is what the modules declare, for each audience, in order', async () => {
  const links = navigationOf(await loadModules());
  // A link that needs a page count (`when`) shows only where the page has it: the moderation queue's,
  // for those who moderate something (the administrator here, not the plain member).
  const expected = (audiences: string[], counts: string[] = []) =>
    links.filter((l) => audiences.includes(l.audience) && (!l.when || counts.includes(l.when))).map((l) => l.href);
  assert.ok(links.length >= 8, 'every capability with a page declares its link');

  const visitor = new TestClient(rt.app);
  assert.deepEqual(navLinks((await visitor.get('/')).body), expected(['visitors']));

  const memberClient = new TestClient(rt.app);
  await signInAs(rt, memberClient, await createUser(rt, { username: 'nav_member' }));
  assert.deepEqual(navLinks((await memberClient.get('/')).body), expected(['members']));

  const adminClient = new TestClient(rt.app);
  await signInAs(rt, adminClient, await createUser(rt, { username: 'nav_admin', role: 'admin' }));
  assert.deepEqual(navLinks((await adminClient.get('/')).body), expected(['members', 'administrators'], ['moderates']));
  assert.ok(expected(['members'], ['moderates']).includes('/moderation'));
  assert.ok(expected(['administrators']).includes('/admin'));
});

test('two modules cannot both claim one navigation link', () => {
  const link = { href: '/somewhere', labelKey: 'nav.home', audience: 'members', order: 1 } as const;
  assert.throws(
    () =>
      checkModules([
        { name: 'one', navigation: [link] },
        { name: 'two', navigation: [link] },
      ]),
    /navigation link to \/somewhere is claimed by both/,
  );
});
