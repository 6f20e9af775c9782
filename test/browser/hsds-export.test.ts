import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { serviceContext } from '../../src/app-context.js';
import { createSession } from '../../src/security/sessions.js';
import { type BrowserServer, screenshot, startBrowserServer } from '../support/browser.js';
import { createListing } from '../support/resources.js';
import { createUser } from '../support/seed.js';

let server: BrowserServer;
let keeperToken: string;
before(async () => {
  server = await startBrowserServer();
  const keeper = await createUser(server.rt, { username: 'dir_keeper', role: 'moderator' });
  keeperToken = (await createSession(serviceContext(server.rt.ctx), keeper.id, 'Test · Linux')).token;
  await createListing(server.rt, {
    organization: { name: 'Helm' },
    service: { name: 'Legal clinic' },
    address: { address_1: 'Mar Mikhael street', city: 'Beirut', country: 'LB' },
    phones: [{ number: '+961 1 000 001' }, { number: '+961 1 999 999', confidential: true }],
  });
});
after(async () => server.close());

test('a keeper downloads the directory as an HSDS data package in Arabic, with JavaScript off', async () => {
  const context = await server.newContext({ locale: 'ar', javaScriptEnabled: false });
  await context.addCookies([{ name: 'sanad_session', value: keeperToken, url: server.origin }]);
  const page = await context.newPage();
  await page.goto('/resources/import-export');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await screenshot(page, 'hsds-import-export-ar');
  await page.getByLabel(/حزمة البيانات/).check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'تنزيل' }).click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
  assert.ok(files['datapackage.json']);
  const phones = strFromU8(files['phones.csv']!);
  assert.match(phones, /000 001/);
  assert.doesNotMatch(phones, /999 999/, 'a confidential phone never leaves');
  await context.close();
});
