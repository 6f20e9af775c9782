import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownText } from './markdown-text.js';

test('Markdown loses its syntax and keeps its words, block by block', () => {
  const cases: [string, string][] = [
    ['**مرحبا** بالجميع، هذا *نص* مهم.', 'مرحبا بالجميع، هذا نص مهم.'],
    ['One\nline each\n\n\n\nThen a paragraph', 'One line each\n\nThen a paragraph'],
    ['## A heading ##\ntext under it', 'A heading\n\ntext under it'],
    ['Title\n=====\nbody', 'Title\n\nbody'],
    ['- first\n- **second**\n1. third', 'first\n\nsecond\n\nthird'],
    ['> quoted **bold**\n> more\n\nafter', 'quoted bold more\n\nafter'],
    ['[the rules](https://example.org/rules) and ![a photo](https://example.org/p.png)', 'the rules and a photo'],
    ['<https://example.org> and [ref][1]', 'https://example.org and ref'],
    ['`a * b` and ``x ` y`` stay code', 'a * b and x ` y stay code'],
    ['```\ncode **kept**\n```\nafter', 'code **kept**\n\nafter'],
    ['snake_case_name stays, _this_ goes', 'snake_case_name stays, this goes'],
    ['\\*not emphasis\\* and ***both***', '*not emphasis* and both'],
    ['a lone ** stays, as CommonMark shows it', 'a lone ** stays, as CommonMark shows it'],
    ['---\n\nafter a rule', 'after a rule'],
    ['line with a hard break  \nnext\\\nlast', 'line with a hard break next last'],
  ];
  for (const [source, text] of cases) assert.equal(markdownText(source), text, source);
});
