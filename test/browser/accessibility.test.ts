import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestClient } from '../support/client.js';
import { pagesFor } from '../support/pages.js';
import { createUser, defaultPassphrase, signInAs } from '../support/seed.js';
import {
  describeViolations,
  screenshot,
  seriousViolations,
  startBrowserServer,
  type BrowserServer,
} from '../support/browser.js';

let server: BrowserServer;
before(async () => {
  server = await startBrowserServer();
  const admin = await createUser(server.rt, { username: 'axe_admin', role: 'admin' });
  publicPages = [...(await pagesFor(server.rt.app, new TestClient(server.rt.app))), '/no-such-page'];
  const signedIn = new TestClient(server.rt.app);
  await signInAs(server.rt, signedIn, admin);
  memberPages = await pagesFor(server.rt.app, signedIn);
  for (const page of ['/notifications', '/notifications/preferences', '/search', '/groups', '/account/posts'])
    assert.ok(memberPages.includes(page), `${page} is swept`);
});
after(async () => server.close());

// Every page without a parameter, found in the app's routes (a new module's pages are swept too),
// as a visitor and as a signed-in administrator; and a page that does not exist.
let publicPages: string[];
let memberPages: string[];

for (const locale of ['ar', 'en']) {
  test(`axe-core finds no serious or critical problem on any page, in ${locale}`, async () => {
    const context = await server.newContext({ locale, bypassCSP: true });
    const page = await context.newPage();
    const check = async (path: string, label = path) => {
      await page.goto(path);
      const violations = await seriousViolations(page);
      assert.equal(violations.length, 0, `${locale} ${label}:\n${describeViolations(violations)}`);
      // axe rates duplicate ids as minor, but a label pointing at the wrong field is not minor to its reader.
      const duplicates = await page.evaluate(() => {
        const ids = Array.from(document.querySelectorAll('[id]'), (e) => e.id);
        return ids.filter((id, i) => ids.indexOf(id) !== i);
      });
      assert.deepEqual(duplicates, [], `${locale} ${label}: duplicate ids`);
    };
    for (const path of publicPages) await check(path);
    await page.goto('/register');
    await page.fill('#field-username', 'x');
    await page.evaluate(() =>
      document.querySelectorAll('[required]').forEach((e) => {
        e.removeAttribute('required');
      }),
    );
    await page.click('main button[type=submit]');
    await page.waitForSelector('.error-summary');
    assert.equal((await seriousViolations(page)).length, 0, 'register page with errors');
    await screenshot(page, `register-errors-${locale}`);

    await page.goto('/login');
    await page.fill('#field-username', 'axe_admin');
    await page.fill('#field-passphrase', defaultPassphrase);
    await page.click('main button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/');
    for (const path of memberPages) await check(path, `${path} (signed in)`);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of ['/', '/account', '/admin']) {
        await page.goto(path);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `${locale} ${path} scrolls sideways at ${width}px`);
        await screenshot(page, `${path.replaceAll('/', '_') || 'home'}-${locale}-${width}`);
      }
    }
    await context.close();
  });
}
