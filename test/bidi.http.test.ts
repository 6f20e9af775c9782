// Mixed Arabic and English (ADR 0035): names people wrote are isolated wherever a sentence holds
// them; rendered Markdown takes its direction per block; mentions are @name in a <bdi> that links
// nowhere; the Markdown hint shows its examples as isolated code; descriptions render Markdown
// with the one sanitiser; excerpts and search snippets show words without Markdown's syntax, in paragraphs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestRuntime, type TestRuntime } from './support/runtime.js';
import { createGroupAs, member, threadIn } from './support/community.js';

let rt: TestRuntime;
before(async () => {
  rt = await createTestRuntime();
});
after(async () => rt.close());

const FSI = '\u2068';
const PDI = '\u2069';

describe('names people wrote, inside sentences', () => {
  test('are in <bdi> on pages and between FSI and PDI in titles and API text', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { name: 'دائرة القراءة 2', city: 'Beirut!' });
    const writer = await member(rt, 'wri');
    assert.equal((await writer.api.api('POST', `/api/v1/groups/${group.id}/join`, {})).status, 200);
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Is it safe?', body: 'Asking for a friend.' });
    assert.equal((await writer.api.api('POST', `/api/v1/threads/${threadId}/posts`, { body: 'Yes.' })).status, 201);

    const notes = await owner.api.get('/notifications');
    assert.match(notes.body, /New reply in “<bdi>Is it safe\?<\/bdi>” \(<bdi>دائرة القراءة 2<\/bdi>\)/);
    const api = (await owner.api.get('/api/v1/notifications')).json();
    assert.equal(api.notifications[0].text, `New reply in “${FSI}Is it safe?${PDI}” (${FSI}دائرة القراءة 2${PDI})`);

    await owner.api.api('POST', '/api/v1/notifications/read');
    const thread = await owner.api.get(`/threads/${threadId}`);
    assert.match(thread.body, new RegExp(`<title>${FSI}Is it safe\\?${PDI} · Sanad</title>`));
    const groupPage = await owner.api.get(`/groups/${group.id}`);
    assert.match(groupPage.body, /<bdi>Beirut!<\/bdi>, Lebanon/, 'a city people typed is isolated from the country');

    const home = await owner.api.get('/');
    assert.match(home.body, new RegExp(`Welcome, <bdi>${owner.user.username}</bdi>`));
  });
});

describe('rendered Markdown', () => {
  test('each paragraph, heading, list item and quote takes its own direction; mentions are @name in <bdi>, linked nowhere', async () => {
    const owner = await member(rt, 'own');
    const named = await member(rt, 'named');
    const group = await createGroupAs(owner.api, { name: 'Mixed circle' });
    const body = [
      'مرحبا بالجميع.',
      'This paragraph is in English.',
      '## عنوان',
      '- first item\n- البند الثاني',
      '> A quote in English.',
      `Thanks @${named.user.username}, and @nobody_here.`,
    ].join('\n\n');
    const { threadId } = await threadIn(owner.api, group.id, { title: 'Mixed', body });
    const page = (await owner.api.get(`/threads/${threadId}`)).body;
    assert.match(page, /<p dir="auto">مرحبا بالجميع.<\/p>\s*<p dir="auto">This paragraph is in English.<\/p>/);
    assert.match(page, /<h4 dir="auto">عنوان<\/h4>/);
    assert.match(page, /<ul dir="auto">\s*<li dir="auto">first item<\/li>\s*<li dir="auto">البند الثاني<\/li>/);
    assert.match(page, /<blockquote dir="auto">\s*<p dir="auto">A quote in English.<\/p>/);
    assert.match(
      page,
      new RegExp(
        `Thanks <bdi class="mention">@${named.user.username}</bdi>, and <bdi class="mention">@nobody_here</bdi>.`,
      ),
    );
    // A mention looks the same whether or not the name is a member's, and links to no one.
    assert.doesNotMatch(page, new RegExp(`href="[^"]*${named.user.username}`));
  });

  test('no attribute people write reaches the page, and dir is only ever auto', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { name: 'Attribute circle' });
    const { threadId } = await threadIn(owner.api, group.id, {
      title: 'Attributes',
      body: '<p dir="rtl" onclick="x()">raw</p>\n\n{dir=ltr} text',
    });
    const page = (await owner.api.get(`/threads/${threadId}`)).body;
    const post = page.slice(page.indexOf('class="post-body"'));
    assert.match(post, /&lt;p dir=&quot;rtl&quot; onclick=&quot;x\(\)&quot;&gt;raw&lt;\/p&gt;/);
    const dirs = [...post.slice(0, post.indexOf('</article>')).matchAll(/ dir="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(dirs.length >= 2);
    assert.deepEqual([...new Set(dirs)], ['auto']);
  });
});

describe('the Markdown hint', () => {
  test('shows its examples as code, each isolated and left to right, in both languages', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { name: 'Hint circle' });
    owner.api.cookies.set('sanad_lang', 'ar');
    const ar = (await owner.api.get(`/groups/${group.id}/threads/new`)).body;
    assert.match(ar, /<code class="markdown-example" dir="ltr">\[رابط\]\(https:\/\/…\)<\/code>/);
    assert.match(ar, /<code class="markdown-example" dir="ltr">\*\*عريض\*\*<\/code>/);
    owner.api.cookies.set('sanad_lang', 'en');
    const en = (await owner.api.get(`/groups/${group.id}/threads/new`)).body;
    assert.match(en, /You can use Markdown: <code class="markdown-example" dir="ltr">\*italic\*<\/code>, /);
    const settings = (await owner.api.get(`/groups/${group.id}/settings`)).body;
    assert.match(settings, /<code class="markdown-example" dir="ltr">\[link\]\(https:\/\/…\)<\/code>/);
  });
});

describe('Markdown where it shows as text', () => {
  test('a group description renders Markdown on its page and loses its syntax on the directory card', async () => {
    const owner = await member(rt, 'own');
    const description = '**Welcome**, friends.\n\nRead the [rules](https://example.org/rules) first.';
    const group = await createGroupAs(owner.api, { name: 'Described circle zqxw', description });
    const page = (await owner.api.get(`/groups/${group.id}`)).body;
    assert.match(page, /<p dir="auto"><strong>Welcome<\/strong>, friends.<\/p>/);
    assert.match(page, /<a href="https:\/\/example.org\/rules" rel="nofollow noopener noreferrer ugc">rules<\/a>/);
    const directory = (await owner.api.get('/groups?q=zqxw')).body;
    const card = directory.slice(directory.indexOf('Described circle zqxw'));
    assert.match(card, /<p dir="auto">Welcome, friends.<\/p>\s*<p dir="auto">Read the rules first.<\/p>/);
    assert.doesNotMatch(card.slice(0, card.indexOf('</li>')), /\*\*|\]\(/);
  });

  test('a quote shows the quoted words without syntax, one paragraph each', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { name: 'Quote circle' });
    const { threadId, postId } = await threadIn(owner.api, group.id, {
      title: 'Quoted',
      body: '**أولًا**، شكرًا.\n\n> Second, in _English_.',
    });
    const reply = await owner.api.api('POST', `/api/v1/threads/${threadId}/posts`, {
      body: 'Agreed.',
      quotePostId: postId,
    });
    assert.equal(reply.status, 201);
    assert.equal(reply.json().post.quote.excerpt, 'أولًا، شكرًا.\n\nSecond, in English.');
    const page = (await owner.api.get(`/threads/${threadId}`)).body;
    assert.match(page, /<p dir="auto">أولًا، شكرًا.<\/p>\s*<p dir="auto">Second, in English.<\/p>/);
    const own = (await owner.api.get('/account/posts')).body;
    assert.match(own, /<p dir="auto">أولًا، شكرًا.<\/p>\s*<p dir="auto">Second, in English.<\/p>/);
  });

  test('a search snippet marks the match in the words as read, without syntax, in paragraphs', async () => {
    const owner = await member(rt, 'own');
    const group = await createGroupAs(owner.api, { name: 'Snippet circle' });
    await threadIn(owner.api, group.id, {
      title: 'Snippets',
      body: 'Before **the kumquatsnip** here.\n\n## Second paragraph\n\nمع [رابط](https://example.org) أخير.',
    });
    const api = (await owner.api.get('/api/v1/search?q=kumquatsnip')).json();
    const parts = api.results[0].snippet as { text: string; match: boolean }[];
    assert.deepEqual(
      parts.filter((p) => p.match).map((p) => p.text),
      ['kumquatsnip'],
    );
    assert.equal(
      parts.map((p) => p.text).join(''),
      'Before the kumquatsnip here.\n\nSecond paragraph\n\nمع رابط أخير.',
    );
    const page = (await owner.api.get('/search?q=kumquatsnip')).body;
    assert.match(
      page,
      /<div class="snippet"><p dir="auto">Before the <mark>kumquatsnip<\/mark> here.<\/p><p dir="auto">Second paragraph<\/p><p dir="auto">مع رابط أخير.<\/p><\/div>/,
    );
  });
});
