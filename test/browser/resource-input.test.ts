// Hostile and awkward input on the resource directory's pages in a real browser: an imported
// listing's script, event handlers and `javascript:` links never run or become links, and long
// links, addresses and commands never push a page sideways on a 360 px phone, in Arabic or English;
// and a full listing (hours, several windows, overnight, confidential address) with members' notes
// still prints on one page, without the notes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { member } from '../support/community.js';
import { createListing } from '../support/resources.js';
import { createUser, defaultPassphrase } from '../support/seed.js';
import { startBrowserServer, type BrowserServer } from '../support/browser.js';

let server: BrowserServer;
let long: string;
const hostile = 'a0a0a0a0-0000-4000-8000-000000000002';
before(async () => {
  server = await startBrowserServer();
  await createUser(server.rt, { username: 'input_keeper', role: 'moderator' });
  long = (
    await createListing(server.rt, {
      service: {
        name: 'عيادة الدعم القانوني المجاني للأشخاص الكويريين في بيروت',
        description: 'استشارات قانونية مجانية لأفراد مجتمع الميم-عين.\n\nاتصلوا قبل الحضور.',
        eligibility_description: 'كل من يحتاج إلى مساعدة قانونية',
        url: 'https://legal.example.org/a/very/long/path/that/has/no/space/to/break/at/anywhere/on/a/phone',
        email: 'appointments-and-questions@legal-aid-beirut.example.org',
      },
      address: {
        address_1: 'شارع_الحمرا_بناية_اثنا_عشر_الطابق_الثالث_الشقة_اليسرى',
        city: 'بيروت',
        country: 'LB',
        confidential: true,
      },
      phones: [{ number: '+961 1 234 567' }, { number: '+961 70 999 888', confidential: true }],
      // A full week: two windows a day (a lunch closure), and a night open past midnight.
      schedules: [
        { byday: 'SA,SU,MO,TU,WE', opens_at: '09:00', closes_at: '13:00' },
        { byday: 'SA,SU,MO,TU,WE', opens_at: '14:00', closes_at: '17:00' },
        { byday: 'TH', opens_at: '22:00', closes_at: '02:00' },
      ],
      terms: ['legal-aid', 'asylum-migration', 'crisis-line'],
      languages: ['ar', 'en', 'fr'],
    })
  ).serviceId;
  const keeper = await member(server.rt, 'imp', { role: 'moderator' });
  const imported = await keeper.api.api('POST', '/api/v1/resources/import', {
    id: 'a0a0a0a0-0000-4000-8000-000000000001',
    name: '<script>alert(1)</script>Org',
    description: '<img src=x onerror=alert(2)>',
    website: 'javascript:alert(3)',
    services: [
      {
        id: hostile,
        name: '<img src=x onerror=alert(4)>Service',
        description: `<script>alert(5)</script> ${'W'.repeat(300)}`,
        status: 'active',
        url: 'javascript:alert(6)',
        email: 'help@example.org',
        phones: [{ id: 'a0a0a0a0-0000-4000-8000-000000000003', number: '<script>x</script>' }],
      },
    ],
  });
  assert.equal(imported.status, 200, imported.body);
  const noter = await member(server.rt, 'note');
  for (const rating of ['safe', 'mixed', 'unsafe']) {
    const note = await noter.api.api('POST', `/api/v1/resources/${long}/notes`, {
      body: `مكان آمن ومحترم، والموظفون لطفاء. ${'تفاصيل كثيرة عن الزيارة. '.repeat(20)}`,
      rating,
      anonymous: rating !== 'safe',
    });
    if (note.status !== 201) assert.equal(note.status, 409, note.body);
  }
});
after(async () => server.close());

/** Elements that reach past the viewport's sides, unless a scrolling box of their own holds them. */
const pastTheSides = () =>
  Array.from(document.querySelectorAll('main *'))
    .filter((e) => {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || (r.right <= window.innerWidth + 1 && r.left >= -1)) return false;
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
        if (getComputedStyle(p).overflowX !== 'visible') return false;
      return true;
    })
    .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent ?? '').slice(0, 40)}`);

for (const locale of ['ar', 'en']) {
  test(`at 360 px nothing reaches past the sides, and no imported script runs or links, in ${locale}`, async () => {
    const context = await server.newContext({ locale, width: 360 });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto('/login');
    await page.fill('#field-username', 'input_keeper');
    await page.fill('#field-passphrase', defaultPassphrase);
    await page.click('main button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/');
    for (const path of [`/resources/${long}`, `/resources/${hostile}`, '/resources/import-export']) {
      await page.goto(path);
      assert.deepEqual(await page.evaluate(pastTheSides), [], `${locale} ${path}`);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      assert.deepEqual(
        links.filter((href) => !/^(\/|#|https?:|tel:\+?\d|mailto:)/.test(href)),
        [],
        `${locale} ${path}: only site, web, phone and mail links`,
      );
    }
    await page.goto(`/resources/${long}`);
    const gap = await page.evaluate(
      () =>
        document.querySelector('.listing-description')!.getBoundingClientRect().top -
        document.querySelector('.listing-terms')!.getBoundingClientRect().bottom,
    );
    assert.ok(gap >= 8, `${locale}: the description stands apart from the tags (${gap}px)`);
    const leadGap = await page.evaluate(
      () =>
        document.querySelector('.notes > h3')!.getBoundingClientRect().top -
        document.querySelector('.notes > .hint')!.getBoundingClientRect().bottom,
    );
    assert.ok(leadGap >= 12, `${locale}: the notes' lead stands apart from the heading after it (${leadGap}px)`);
    await page.goto(`/resources/${hostile}`);
    assert.match((await page.textContent('h1')) ?? '', /^<img src=x/, 'the name is shown as text');
    assert.deepEqual(dialogs, [], 'no script ran');
    await context.close();
  });
}

test("printed, a full listing with members' notes fits one page, without the notes", async () => {
  const context = await server.newContext({ locale: 'ar' });
  const page = await context.newPage();
  await page.goto('/login');
  await page.fill('#field-username', 'input_keeper');
  await page.fill('#field-passphrase', defaultPassphrase);
  await page.click('main button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/');
  await page.goto(`/resources/${long}`);
  assert.ok(await page.isVisible('.notes .note, .notes article, .notes li'), 'the notes are on the page on screen');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.notes'), false, 'no notes on paper');
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, 'one printed page');
  await context.close();
});
