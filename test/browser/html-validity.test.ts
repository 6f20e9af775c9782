// Every page, as each kind of reader gets it, passes the Nu HTML Checker (vnu, the W3C's own),
// in both languages: the parameterless pages found from the routes, and the pages that need a
// group, a thread or a form (composer with preview, moderation, pinned and locked threads, the
// visibility confirmation, the page that keeps text after a session ended). It needs Java; the
// test runner puts it with the browser checks, which need tools from outside npm, and fails
// under CI when Java is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TestClient, csrfTokenIn } from '../support/client.js';
import { browserMember, createGroupAs, member, threadIn } from '../support/community.js';
import { pagesFor } from '../support/pages.js';
import { createTestRuntime, type TestRuntime } from '../support/runtime.js';
import { createUser, signInAs } from '../support/seed.js';

const java = process.env.JAVA_PATH || 'java';
const vnuJar = path.join(path.dirname(createRequire(import.meta.url).resolve('vnu-jar')), 'build/dist/vnu.jar');
const sameOrigin = { 'sec-fetch-site': 'same-origin' };

let rt: TestRuntime;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-vnu-'));
before(async () => {
  rt = await createTestRuntime();
});
after(async () => {
  await rt.close();
  fs.rmSync(out, { recursive: true, force: true });
});

/** Pages by file name, so a checker message leads back to the page and the reader. */
const checked = new Map<string, string>();
let count = 0;
function keep(label: string, locale: string, status: number, html: string) {
  assert.ok(html.startsWith('<!doctype html>'), `${label} is a whole page (status ${status})`);
  assert.ok(html.includes(`<html lang="${locale}"`), `${label} is in ${locale}`);
  const file = path.join(out, `${String(++count).padStart(3, '0')}-${locale}.html`);
  fs.writeFileSync(file, html);
  checked.set(path.basename(file), `${label} [${locale}]`);
}

async function visit(client: TestClient, locale: string, url: string, label = url) {
  const res = await client.get(url);
  keep(label, locale, res.status, res.body);
}

test('every page, for every kind of reader, in Arabic and English, is valid HTML (vnu)', async () => {
  const version = spawnSync(java, ['-version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, `Java is needed to run the Nu HTML Checker (${java}): install default-jre-headless`);

  const admin = new TestClient(rt.app);
  await signInAs(rt, admin, await createUser(rt, { username: 'checks_markup', role: 'admin' }));

  // A group with a member waiting, a pinned and locked thread of several posts, and a member in a browser.
  const owner = await browserMember(rt, 'vown');
  const ownerApi = new TestClient(rt.app);
  ownerApi.bearer = owner.web.cookies.get('sanad_session');
  const group = await createGroupAs(ownerApi, {
    visibility: 'private',
    questions: ['What brings you here?'],
    description: 'A **reading** circle. English and العربية together.',
  });
  const { threadId } = await threadIn(ownerApi, group.id, {
    title: 'قواعد المجموعة · Group rules',
    body: 'Be kind.\n\n> كونوا لطفاء\n\n- one\n- two',
    warning: 'violence',
  });
  for (let i = 0; i < 3; i++) await ownerApi.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `Reply ${i}` });
  const pinned = await ownerApi.api('POST', `/api/v1/threads/${threadId}/pin`, { pinned: true, reason: 'Rules' });
  assert.equal(pinned.status, 204);
  const { threadId: lockedId } = await threadIn(ownerApi, group.id, { title: 'Closed', body: 'Old talk' });
  const locked = await ownerApi.api('POST', `/api/v1/threads/${lockedId}/lock`, { locked: true, reason: 'Done' });
  assert.equal(locked.status, 204);
  const applicant = await member(rt, 'vapp');
  await applicant.api.api('POST', `/api/v1/groups/${group.id}/join`, { answers: ['To read with others'] });
  const writer = await browserMember(rt, 'vwri');
  const writerApi = new TestClient(rt.app);
  writerApi.bearer = writer.web.cookies.get('sanad_session');
  const invite = (await ownerApi.api('POST', `/api/v1/groups/${group.id}/invites`, {})).json().invite;
  assert.equal((await writerApi.api('POST', `/api/v1/group-invites/${invite.code}/accept`)).status, 200);
  await writerApi.api('POST', `/api/v1/threads/${threadId}/posts`, { body: `@${owner.user.username} thanks` });
  // A report, so the moderation queue has a case with its form (ADR 0048).
  const reported = await writerApi.api('POST', '/api/v1/reports', {
    targetType: 'thread',
    targetId: threadId,
    reason: 'other',
    note: 'A note for the moderators',
  });
  assert.equal(reported.status, 204);

  for (const locale of ['ar', 'en']) {
    const visitor = new TestClient(rt.app);
    for (const client of [visitor, admin, owner.web, writer.web]) client.cookies.set('sanad_lang', locale);

    for (const page of await pagesFor(rt.app, visitor)) await visit(visitor, locale, page, `visitor ${page}`);
    await visit(visitor, locale, '/missing-page', 'visitor 404');
    for (const page of await pagesFor(rt.app, admin)) await visit(admin, locale, page, `admin ${page}`);

    const base = `/groups/${group.id}`;
    for (const page of [base, `${base}/members`, `${base}/invites`, `${base}/settings`, `${base}/requests`])
      await visit(owner.web, locale, page, `owner ${page.replace(group.id, ':group')}`);
    await visit(owner.web, locale, `/threads/${threadId}`, 'owner: pinned thread with moderation');
    await visit(owner.web, locale, `/threads/${lockedId}`, 'owner: locked thread');
    await visit(owner.web, locale, `${base}/threads/new`, 'owner: new thread composer');
    await visit(owner.web, locale, '/notifications', 'owner: notifications');
    await visit(writer.web, locale, `/threads/${threadId}`, 'member: thread');
    await visit(writer.web, locale, `/threads/${lockedId}`, 'member: locked thread');
    await visit(writer.web, locale, '/anonymous-replies', 'member: replies to anonymous posts');
    await visit(writer.web, locale, `/reports/new?targetType=thread&targetId=${threadId}`, 'member: report page');
    await visit(owner.web, locale, '/moderation', 'owner: moderation queue with a case');

    // Forms that answer with a page of their own.
    const preview = await writer.web.submit(`/threads/${threadId}`, `/threads/${threadId}/preview`, {
      body: 'A **preview** with <script>alert(1)</script> and [a link](https://example.org)',
      warning: 'violence',
    });
    keep('member: reply preview', locale, preview.status, preview.body);
    const refused = await writer.web.submit(`/threads/${threadId}`, `/threads/${threadId}/posts`, { body: '' });
    keep('member: reply refused (empty)', locale, refused.status, refused.body);
    const raise = await owner.web.submit(`${base}/settings`, `${base}/settings`, {
      name: 'Readers',
      description: 'A reading circle.',
      languages: 'en',
      country: 'LB',
      city: 'Beirut',
      interests: 'books',
      issues: '',
      identities: 'queer',
      questions: '',
      visibility: 'public',
    });
    assert.equal(raise.status, 200);
    keep('owner: visibility confirmation', locale, raise.status, raise.body);
  }

  // The page that keeps a reply whose session ended while it was written (and the sign-in page after it).
  const late = await browserMember(rt, 'vlate');
  late.web.cookies.set('sanad_lang', 'ar');
  const lateApi = new TestClient(rt.app);
  lateApi.bearer = late.web.cookies.get('sanad_session');
  const open = await createGroupAs(ownerApi, { visibility: 'public' });
  await lateApi.api('POST', `/api/v1/groups/${open.id}/join`, {});
  const { threadId: openThread } = await threadIn(ownerApi, open.id);
  const token = csrfTokenIn((await late.web.get(`/threads/${openThread}`)).body);
  await rt.ctx.db.deleteFrom('sessions').where('user_id', '=', late.user.id).execute();
  const kept = await late.web.request('POST', `/threads/${openThread}/posts`, {
    form: { body: 'Written before the session ended', _csrf: token },
    headers: sameOrigin,
  });
  assert.equal(kept.status, 401);
  keep('kept text after the session ended', 'ar', kept.status, kept.body);
  await visit(late.web, 'ar', '/login', 'sign-in page with kept text');

  assert.ok(count > 60, `${count} pages checked`);
  // The checker itself is seen to fail a page: a form inside a paragraph, an id used twice.
  const control = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-vnu-control-'));
  fs.writeFileSync(
    path.join(control, 'broken.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head><body><p><form></form></p><i id="a"></i><i id="a"></i></body></html>',
  );
  const caught = vnu(control);
  fs.rmSync(control, { recursive: true, force: true });
  assert.equal(caught.messages.filter((m) => m.type === 'error').length, 2, JSON.stringify(caught));

  const report = vnu(out);
  const problems = report.messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => `${checked.get(path.basename(m.url ?? '')) ?? m.url} line ${m.lastLine}: ${m.message} «${m.extract}»`);
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.equal(report.status, 0);
});

function vnu(folder: string) {
  const run = spawnSync(java, ['-jar', vnuJar, '--format', 'json', '--errors-only', folder], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // The report goes to standard error, and is empty of messages when every page is valid.
  const report = JSON.parse(run.stderr || '{"messages":[]}') as {
    messages: { type: string; url?: string; message: string; extract?: string; lastLine?: number }[];
  };
  return { ...report, status: run.status };
}
