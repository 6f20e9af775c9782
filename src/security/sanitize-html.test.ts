import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsLink, forgetRenderedMarkdown, renderMarkdown, renderMarkdownUnkept } from './sanitize-html.js';

test('rendered Markdown is kept, then forgotten when asked', () => {
  const source = `A post that will be deleted ${Math.random()}`;
  const first = renderMarkdown(source);
  assert.equal(renderMarkdown(source), first);
  assert.equal(forgetRenderedMarkdown(source), true);
  assert.equal(forgetRenderedMarkdown(source), false, 'nothing left to forget');
});

test('raw HTML stays text, links carry rel, images become links', () => {
  const html = renderMarkdown('<b>x</b> [a](https://example.org) ![p](https://example.org/p.png)');
  assert.ok(html.includes('&lt;b&gt;x&lt;/b&gt;'));
  assert.ok(html.includes('rel="nofollow noopener noreferrer ugc"'));
  assert.ok(!/<img/i.test(html));
});

test('every block takes its own direction, and no other dir ever reaches the page', () => {
  const html = renderMarkdown(
    'مرحبا.\n\nEnglish.\n\n## عنوان\n\n- one\n- اثنان\n\n> quote\n\n<p dir="rtl">x</p> {dir=ltr}',
  );
  assert.match(html, /^<p dir="auto">مرحبا.<\/p>\n<p dir="auto">English.<\/p>\n<h4 dir="auto">عنوان<\/h4>/);
  assert.match(html, /<ul dir="auto">\n<li dir="auto">one<\/li>\n<li dir="auto">اثنان<\/li>/);
  assert.match(html, /<blockquote dir="auto">\n<p dir="auto">quote<\/p>/);
  assert.deepEqual([...new Set([...html.matchAll(/ dir="([^"]*)"/g)].map((m) => m[1]))], ['auto']);
  assert.ok(html.includes('&lt;p dir=&quot;rtl&quot;&gt;'));
});

test('a mention is @name in a bdi of its own, linked nowhere; code, links and addresses keep their @', () => {
  const html = renderMarkdown('شكرًا @سامي_1 and @bob. `@code` [@link](https://example.org) a@b.org @<b>x</b>');
  assert.ok(html.includes('شكرًا <bdi class="mention">@سامي_1</bdi> and <bdi class="mention">@bob</bdi>.'));
  assert.ok(html.includes('<code>@code</code>'));
  assert.ok(html.includes('rel="nofollow noopener noreferrer ugc">@link</a>'));
  assert.ok(html.includes('>a@b.org</a>') && !html.includes('@b.org</bdi>'), 'an address is no mention');
  assert.ok(html.includes('@&lt;b&gt;x&lt;/b&gt;'), 'what follows an @ that is not a name stays escaped text');
});

test('a preview renders the same HTML and keeps none of it in memory', () => {
  const source = `A preview, never posted ${Math.random()} <script>alert(1)</script> [x](javascript:alert(1))`;
  const html = renderMarkdownUnkept(source);
  assert.doesNotMatch(html, /<script|href="javascript:/);
  assert.match(html, /&lt;script&gt;/);
  assert.equal(forgetRenderedMarkdown(source), false, 'nothing was kept');
  assert.equal(renderMarkdown(source), html, 'the same rendering as a published post');
});

test('containsLink: every way a post can send readers elsewhere counts, and ordinary words do not (ADR 0050)', () => {
  for (const text of [
    'Look at https://example.org/page',
    'See <https://example.org>',
    'A [friendly page](http://example.org)',
    '![a picture](https://example.org/a.png)',
    'Go to www.example.org today',
    'Just example.org',
    'Visit evil.com/x',
    'مرحبا example.com',
    'In code: `https://example.org`',
    'Write to a@b.org',
  ])
    assert.equal(containsLink(text), true, text);
  for (const text of [
    'No link, 3.5 apples.',
    'notes.md and setup.py',
    'e.g. this',
    'node.js',
    'version 1.2.3',
    '@someone',
  ])
    assert.equal(containsLink(text), false, text);
});
