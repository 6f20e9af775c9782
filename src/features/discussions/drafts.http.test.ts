// Never lose what you wrote (ADR 0040): drafts of replies and new threads, saved by a button
// without JavaScript or through the API, restored in the composer, discarded, deleted on
// publishing, with the account, on leaving the group and after 30 days; only ever their author's;
// never kept for an anonymous post. And a preview that renders through the one sanitiser and
// stores nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serviceContext } from '../../app-context.js';
import { createSession } from '../../security/sessions.js';
import { createTestRuntime, type TestRuntime } from '../../../test/support/runtime.js';
import { createGroupAs, member, threadIn } from '../../../test/support/community.js';
import { csrfTokenIn, TestClient } from '../../../test/support/client.js';
import type { SeededUser } from '../../../test/support/seed.js';
import { defaultPassphrase } from '../../../test/support/seed.js';
import { discussionsJobs } from './jobs.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const day = 86_400_000;

async function webFor(user: SeededUser, lang = 'en'): Promise<TestClient> {
  const web = new TestClient(rt.app);
  web.acceptLanguage = lang;
  web.cookies.set('sanad_session', (await createSession(serviceContext(rt.ctx), user.id, 'Test · Linux')).token);
  return web;
}

/** A group (public unless said), its owner, a member who writes, and a thread. */
async function scene(overrides: Record<string, unknown> = {}) {
  const owner = await member(rt, 'own');
  const group = await createGroupAs(owner.api, { visibility: 'public', anonymousPosting: true, ...overrides });
  const writer = await member(rt, 'wri');
  if ((overrides.visibility ?? 'public') === 'public') {
    assert.equal((await writer.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
  } else {
    const invite = (await owner.api.api('POST', `/api/v1/groups/${group.id}/invites`, { uses: 1 })).json().invite;
    const accepted = await writer.api.api('POST', `/api/v1/group-invites/${encodeURIComponent(invite.code)}/accept`);
    assert.equal(accepted.status, 200);
  }
  const { threadId, postId } = await threadIn(owner.api, group.id, { title: 'Where to start', body: 'Hello' });
  const web = await webFor(writer.user);
  return { owner, group, writer, web, threadId, postId };
}

const draftRows = async (userId: string) =>
  rt.ctx.db.selectFrom('drafts').selectAll().where('user_id', '=', userId).execute();

/** Everything a post, a draft or a preview could leave behind. */
async function stored() {
  const count = async (table: 'posts' | 'threads' | 'drafts' | 'outbox_events' | 'search_documents' | 'audit_log') =>
    Number(
      (
        await rt.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    posts: await count('posts'),
    threads: await count('threads'),
    drafts: await count('drafts'),
    events: await count('outbox_events'),
    search: await count('search_documents'),
    audit: await count('audit_log'),
  };
}

const textarea = (html: string, name = 'body') =>
  new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];

describe('reply drafts without JavaScript', () => {
  test('Save draft keeps the words on the server and lands back on the composer, which restores them', async () => {
    const { writer, web, threadId } = await scene();
    const page = await web.get(`/threads/${threadId}`);
    assert.match(page.body, /formaction="\/threads\/[^"]+\/draft"[^>]*>Save draft</);
    assert.match(page.body, /formaction="\/threads\/[^"]+\/preview#reply"[^>]*>Preview</);
    assert.match(page.body, /aria-live="polite"/);
    assert.match(page.body, /formnovalidate hidden data-draft-discard>Discard draft</, 'no draft to discard yet');

    const saved = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, {
      body: 'Half a thought about **books**',
      warning: 'religion',
      warningText: 'faith',
      page: '1',
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, `/threads/${threadId}?page=1&done=draft-saved#reply`);
    const rows = await draftRows(writer.user.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.body, 'Half a thought about **books**');
    assert.equal(rows[0]!.place, `thread:${threadId}`);

    const back = await web.get(`/threads/${threadId}?page=1&done=draft-saved`);
    assert.equal(textarea(back.body), 'Half a thought about **books**');
    assert.match(back.body, /Draft saved\. Only this account can see it\./);
    assert.match(back.body, /<option value="religion" selected/);
    assert.match(back.body, /name="warningText"[^>]*value="faith"|value="faith"[^>]*name="warningText"/);
    assert.match(back.body, /formnovalidate data-draft-discard>Discard draft</, 'the draft can be discarded');

    // Coming back later restores it too, and says from when.
    const later = await web.get(`/threads/${threadId}`);
    assert.equal(textarea(later.body), 'Half a thought about **books**');
    assert.match(later.body, /Restored from the draft saved/);
  });

  test('Discard draft deletes it and empties the composer', async () => {
    const { writer, web, threadId } = await scene();
    await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, { body: 'To be thrown away' });
    const discarded = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft/discard`, {
      body: 'To be thrown away',
    });
    assert.equal(discarded.status, 303);
    assert.equal(discarded.headers.location, `/threads/${threadId}?done=draft-discarded#reply`);
    assert.equal((await draftRows(writer.user.id)).length, 0);
    const page = await web.get(`/threads/${threadId}?done=draft-discarded`);
    assert.equal(textarea(page.body), '');
    assert.match(page.body, /Draft discarded\./);
  });

  test('publishing the reply deletes its draft', async () => {
    const { writer, web, threadId } = await scene();
    await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, { body: 'Almost ready' });
    assert.equal((await draftRows(writer.user.id)).length, 1);
    const posted = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/posts`, { body: 'Ready now' });
    assert.equal(posted.status, 303);
    assert.equal((await draftRows(writer.user.id)).length, 0);
    assert.equal(textarea((await web.get(`/threads/${threadId}`)).body), '');
  });

  test('too long a draft is refused with the words kept, and nothing is stored', async () => {
    const { writer, web, threadId } = await scene();
    const long = `${'long words '.repeat(2000)}end`;
    const refused = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, { body: long });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /Keep your message under/);
    assert.equal(textarea(refused.body), long);
    assert.equal((await draftRows(writer.user.id)).length, 0);
  });

  test('Arabic: the notices speak Arabic', async () => {
    const { writer, threadId } = await scene();
    const web = await webFor(writer.user, 'ar');
    await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, { body: 'مسودة ردّ' });
    const page = await web.get(`/threads/${threadId}?done=draft-saved`);
    assert.match(page.body, /حُفظت المسودة/);
    assert.match(page.body, />حفظ المسودة</);
    assert.match(page.body, />معاينة</);
    assert.equal(textarea(page.body), 'مسودة ردّ');
  });
});

describe('new-thread drafts', () => {
  test('title, body and warning are saved and restored on the new-thread page; posting deletes the draft', async () => {
    const { writer, web, group } = await scene();
    const form = `/groups/${group.id}/threads/new`;
    assert.match((await web.get(form)).body, /formaction="\/groups\/[^"]+\/threads\/draft"/);
    const saved = await web.submit(form, `/groups/${group.id}/threads/draft`, {
      title: 'Fa',
      body: '',
      warning: 'dysphoria',
      warningText: '',
    });
    assert.equal(saved.status, 303, 'a title too short to post is fine in a draft');
    assert.equal(saved.headers.location, `/groups/${group.id}/threads/new?done=draft-saved`);
    const page = await web.get(`/groups/${group.id}/threads/new?done=draft-saved`);
    assert.match(page.body, /name="title"[^>]*value="Fa"|value="Fa"[^>]*name="title"/);
    assert.match(page.body, /<option value="dysphoria" selected/);
    assert.match(page.body, /Draft saved/);

    const posted = await web.submit(form, `/groups/${group.id}/threads`, { title: 'Family and us', body: 'Posting' });
    assert.equal(posted.status, 303);
    assert.equal((await draftRows(writer.user.id)).length, 0);
  });

  test('publishing through the API deletes the draft too', async () => {
    const { writer, group } = await scene();
    const put = await writer.api.api('PUT', `/api/v1/groups/${group.id}/threads/draft`, { title: 'Soon', body: 'x' });
    assert.equal(put.status, 200, put.body);
    await threadIn(writer.api, group.id, { title: 'Soon enough', body: 'Posted' });
    assert.equal((await draftRows(writer.user.id)).length, 0);
  });
});

describe('the drafts API', () => {
  test('get, put, delete; empty deletes; limits are a post’s; only the author’s own', async () => {
    const { writer, owner, threadId, postId } = await scene();
    const url = `/api/v1/threads/${threadId}/draft`;
    assert.deepEqual((await writer.api.api('GET', url)).json(), { draft: null });

    const put = await writer.api.api('PUT', url, { body: 'Through the API', quotePostId: postId, warning: null });
    assert.equal(put.status, 200, put.body);
    const draft = put.json().draft;
    assert.equal(draft.body, 'Through the API');
    assert.equal(draft.quotePostId, postId);
    assert.equal(draft.title, null);
    assert.equal(draft.expiresAt - draft.updatedAt, 30 * day);
    assert.deepEqual((await writer.api.api('GET', url)).json().draft, draft);

    // Someone else in the same thread sees nothing of it, nor does their page.
    assert.deepEqual((await owner.api.api('GET', url)).json(), { draft: null });
    const ownerPage = await (await webFor(owner.user)).get(`/threads/${threadId}`);
    assert.doesNotMatch(ownerPage.body, /Through the API/);

    const tooLong = await writer.api.api('PUT', url, { body: 'x'.repeat(20_001) });
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.json().error.fields[0].field, 'body');
    const anonymous = await writer.api.api('PUT', url, { body: 'x', anonymous: true });
    assert.equal(anonymous.status, 422, 'there is no anonymous choice in a draft');
    assert.equal((await writer.api.api('GET', url)).json().draft.body, 'Through the API', 'refusals change nothing');

    assert.deepEqual((await writer.api.api('PUT', url, { body: '   ' })).json(), { draft: null });
    assert.equal((await draftRows(writer.user.id)).length, 0, 'an empty draft is no draft');

    await writer.api.api('PUT', url, { body: 'Again' });
    assert.equal((await writer.api.api('DELETE', url)).status, 204);
    assert.deepEqual((await writer.api.api('GET', url)).json(), { draft: null });
  });

  test('with a cookie session, saving needs the CSRF token, as the composer script sends it', async () => {
    const { writer, web, threadId } = await scene();
    const url = `/api/v1/threads/${threadId}/draft`;
    assert.equal((await web.api('PUT', url, { body: 'no token' })).status, 403);
    const token = csrfTokenIn((await web.get(`/threads/${threadId}`)).body);
    const saved = await web.api('PUT', url, { body: 'with token' }, { 'x-csrf-token': token });
    assert.equal(saved.status, 200, saved.body);
    assert.equal((await draftRows(writer.user.id))[0]!.body, 'with token');
  });

  test('a visitor to a public group may not save one', async () => {
    const { threadId } = await scene();
    const outsider = await member(rt, 'out');
    const refused = await outsider.api.api('PUT', `/api/v1/threads/${threadId}/draft`, { body: 'not a member' });
    assert.equal(refused.status, 403);
    assert.equal((await draftRows(outsider.user.id)).length, 0);
  });
});

describe('drafts go away', () => {
  test('a member removed from a private group: the draft is deleted, never shown, and saving is refused with 404', async () => {
    const { owner, writer, group, threadId } = await scene({ visibility: 'private' });
    const url = `/api/v1/threads/${threadId}/draft`;
    assert.equal((await writer.api.api('PUT', url, { body: 'Private words' })).status, 200);
    assert.equal(
      (await writer.api.api('PUT', `/api/v1/groups/${group.id}/threads/draft`, { title: 'Mine', body: '' })).status,
      200,
    );
    const removed = await owner.api.api('DELETE', `/api/v1/groups/${group.id}/members/${writer.user.id}`);
    assert.equal(removed.status, 204);
    assert.equal((await draftRows(writer.user.id)).length, 0, 'leaving leaves no unposted words in the group');

    assert.equal((await writer.api.api('GET', url)).status, 404);
    assert.equal((await writer.api.api('PUT', url, { body: 'Again' })).status, 404);
    assert.equal((await writer.api.api('PUT', `/api/v1/groups/${group.id}/threads/draft`, { body: 'x' })).status, 404);
    const web = await webFor(writer.user);
    const page = await web.get(`/threads/${threadId}`);
    assert.equal(page.status, 404);
    assert.equal((await draftRows(writer.user.id)).length, 0);
  });

  test('a draft left behind in a group no longer readable is never shown, though the row waits for expiry', async () => {
    const { writer, group, threadId } = await scene({ visibility: 'private' });
    const url = `/api/v1/threads/${threadId}/draft`;
    await writer.api.api('PUT', url, { body: 'Kept for a while' });
    // As if the member had left before this feature: the row is there, the group unreadable.
    await rt.ctx.db
      .deleteFrom('group_members')
      .where('user_id', '=', writer.user.id)
      .where('group_id', '=', group.id)
      .execute();
    assert.equal((await draftRows(writer.user.id)).length, 1);
    assert.equal((await writer.api.api('GET', url)).status, 404);
  });

  test('deleting the account deletes its drafts', async () => {
    const { writer, group, threadId } = await scene();
    await writer.api.api('PUT', `/api/v1/threads/${threadId}/draft`, { body: 'Goes with me' });
    await writer.api.api('PUT', `/api/v1/groups/${group.id}/threads/draft`, { title: 'Me too', body: '' });
    assert.equal((await draftRows(writer.user.id)).length, 2);
    const deleted = await writer.api.api('DELETE', '/api/v1/me', { current: defaultPassphrase });
    assert.equal(deleted.status, 204, deleted.body);
    assert.equal((await draftRows(writer.user.id)).length, 0);
  });

  test('after 30 days untouched: hidden at once, deleted by the job', async () => {
    const { writer, group, threadId } = await scene();
    const url = `/api/v1/threads/${threadId}/draft`;
    await writer.api.api('PUT', url, { body: 'Old words' });
    rt.advance(10 * day);
    writer.api.bearer = (await createSession(serviceContext(rt.ctx), writer.user.id, 'Test · Linux')).token;
    await writer.api.api('PUT', `/api/v1/groups/${group.id}/threads/draft`, { body: 'Newer words' });
    rt.advance(20 * day + 1000);
    // Sessions end after 14 days; the member signs in again.
    writer.api.bearer = (await createSession(serviceContext(rt.ctx), writer.user.id, 'Test · Linux')).token;
    assert.deepEqual((await writer.api.api('GET', url)).json(), { draft: null }, 'past its time, never shown');
    const job = discussionsJobs.find((j) => j.name === 'discussions.expireDrafts')!;
    assert.ok(job.everyMs, 'a scheduled job');
    await job.run(serviceContext(rt.ctx), {});
    const left = await draftRows(writer.user.id);
    assert.deepEqual(
      left.map((r) => r.body),
      ['Newer words'],
    );
  });
});

describe('anonymous posts keep no draft', () => {
  test('Save draft with the anonymous box ticked stores nothing, deletes the earlier draft, keeps the words', async () => {
    const { writer, web, threadId } = await scene();
    await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, { body: 'Named draft' });
    assert.equal((await draftRows(writer.user.id)).length, 1);
    const answer = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, {
      body: 'Words for an anonymous post',
      anonymous: 'on',
    });
    assert.equal(answer.status, 200);
    assert.match(answer.body, /Nothing was saved: drafts are never kept for anonymous posts/);
    assert.equal(textarea(answer.body), 'Words for an anonymous post');
    assert.match(answer.body, /name="anonymous"[^>]*checked/);
    assert.equal((await draftRows(writer.user.id)).length, 0);
  });

  test('posting anonymously deletes a draft written before the box was ticked', async () => {
    const { writer, web, threadId } = await scene();
    await web.submit(`/threads/${threadId}`, `/threads/${threadId}/draft`, { body: 'Named first' });
    const posted = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/posts`, {
      body: 'Named first',
      anonymous: 'on',
    });
    assert.equal(posted.status, 303);
    assert.equal((await draftRows(writer.user.id)).length, 0);
  });
});

describe('preview', () => {
  test('a warning kind not in the list is said beside the field, in each language, the words kept: never a 500', async () => {
    const { group, writer, threadId } = await scene();
    for (const lang of ['en', 'ar']) {
      const web = await webFor(writer.user, lang);
      const t = (await import('../../i18n/index.js')).translator(lang as 'en' | 'ar');
      for (const [page, action, fields] of [
        [`/groups/${group.id}/threads/new`, `/groups/${group.id}/threads/preview`, { title: 'A title long enough' }],
        [`/threads/${threadId}`, `/threads/${threadId}/preview`, {}],
      ] as const) {
        const shown = await web.submit(page, action, { ...fields, body: 'Words to keep here', warning: 'not-a-kind' });
        assert.equal(shown.status, 200, `${lang} ${action}: ${shown.status}`);
        assert.ok(shown.body.includes(t('discussions.form.warningUnknown')), `${lang} ${action}: the error is said`);
        assert.ok(shown.body.includes('Words to keep here'), `${lang} ${action}: the words are kept`);
      }
    }
  });

  test('renders the Markdown through the sanitiser above the composer, keeps the text, stores nothing', async () => {
    const { web, threadId } = await scene();
    const hostile =
      '**bold** and <script>alert("x")</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) @someone';
    const before = await stored();
    const shown = await web.submit(`/threads/${threadId}`, `/threads/${threadId}/preview`, {
      body: hostile,
      warning: 'violence',
      page: '1',
    });
    assert.equal(shown.status, 200);
    assert.deepEqual(await stored(), before, 'no post, draft, event, search document or audit row');
    const preview = /<section class="preview"[\s\S]*?<\/section>/.exec(shown.body)?.[0] ?? '';
    assert.match(preview, /<strong>bold<\/strong>/);
    assert.match(preview, /&lt;script&gt;/);
    assert.doesNotMatch(preview, /<script|<img|href="javascript:/);
    assert.match(preview, /<bdi class="mention">@someone<\/bdi>/);
    assert.match(preview, /Content warning: violence/);
    assert.ok(shown.body.indexOf('class="preview"') < shown.body.indexOf('<textarea'), 'above the composer');
    const kept = textarea(shown.body) ?? '';
    assert.doesNotMatch(kept, /<script/, 'kept as text in the box');
    assert.equal(
      kept.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
      hostile,
    );
  });

  test('shows what posting would be refused for, as a warning, without refusing anything', async () => {
    const { web, group } = await scene();
    const before = await stored();
    const shown = await web.submit(`/groups/${group.id}/threads/new`, `/groups/${group.id}/threads/preview`, {
      title: 'ab',
      body: 'A *short* start',
    });
    assert.equal(shown.status, 200);
    assert.match(shown.body, /class="error-summary"/);
    assert.match(shown.body, /Use between 3 and 150 characters for the title/);
    assert.match(shown.body, /<em>short<\/em>/);
    assert.match(shown.body, /class="preview-thread-title" dir="auto">ab</);
    assert.deepEqual(await stored(), before);
    const empty = await web.submit(`/groups/${group.id}/threads/new`, `/groups/${group.id}/threads/preview`, {
      title: 'A title',
      body: '',
    });
    assert.match(empty.body, /Nothing to preview yet/);
  });

  test('a preview in a group the member cannot read is a missing page', async () => {
    const { threadId } = await scene({ visibility: 'private' });
    const stranger = await webFor((await member(rt, 'str')).user);
    const page = await stranger.get('/');
    const token = csrfTokenIn(page.body);
    const answer = await stranger.postForm(`/threads/${threadId}/preview`, { body: 'x', _csrf: token });
    assert.equal(answer.status, 404);
  });
});
