import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgetRenderedMarkdown, renderMarkdown } from './sanitize-html.js';

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
