import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyse, analyseWord, normalise, tokenize } from './analyzer.js';
import { snippet, snippetBounds, snippetWork, type SnippetPart } from './service.js';

const stemsOf = (query: string) => new Set(analyse(query).map((w) => w.stem));
const marked = (parts: SnippetPart[]) => parts.filter((p) => p.match).map((p) => p.text);
const text = (parts: SnippetPart[]) => parts.map((p) => p.text).join('');

/** The unbounded snippet this replaced: every word analysed up to the match. The reference for normal posts. */
function reference(body: string, stems: Set<string>, width = 30): SnippetPart[] {
  const pieces = body.split(/([\p{L}\p{N}\p{M}]+)/u);
  const isMatch = (piece: string) => {
    const token = tokenize(normalise(piece))[0];
    return token !== undefined && stems.has(analyseWord(token).stem);
  };
  const words = pieces.map((piece, i) => ({ piece, word: i % 2 === 1 }));
  const first = words.findIndex((p) => p.word && isMatch(p.piece));
  const start = Math.max(0, (first === -1 ? 0 : first) - width);
  const end = Math.min(words.length, start + width * 2);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '… ', match: false });
  for (const { piece, word } of words.slice(start, end)) {
    const match = word && isMatch(piece);
    const last = parts.at(-1);
    if (last && !last.match && !match) last.text += piece;
    else parts.push({ text: piece, match });
  }
  if (end < words.length) parts.push({ text: ' …', match: false });
  return parts;
}

const filler =
  'أهلا بكم في المجموعة أريد أن أشارك تجربتي مع عائلتي بعد أن تحدثت عن نفسي thanks for sharing this I went through something similar with my family'.split(
    ' ',
  );
const longPost = (ending: string, words = filler) => {
  let body = '';
  for (let i = 0; body.length < 20_000; i++) body += `${words[i % words.length]} `;
  return `${body}${ending}`;
};

/** Words that never repeat, so nothing can be remembered from one to the next. */
const distinctWords = (seed: number) => Array.from({ length: 4000 }, (_, i) => `w${seed}x${i.toString(36)}`);

test('normal posts get the same snippet as before: the match marked, the words around it', () => {
  const posts: [string, string][] = [
    ['عائلاتهم رفضتهم فبنوا عائلة جديدة من الأصدقاء.', 'عائلاتهم'],
    ['كيف أخبرت عائلتي بأنني مثلي، وماذا قال أبي.', 'عائلتي'],
    ['Families can take time. My parents needed a year.', 'family'],
    ['أَنَا مُسْلِمَةٌ وَمِثْلِيَّةٌ', 'مثلية'],
    [
      `${'Some words before the match, '.repeat(12)}and the family at last, ${'then more words after it. '.repeat(12)}`,
      'families',
    ],
    ['No match in this one at all.', 'زنجبيل'],
  ];
  for (const [body, query] of posts) {
    const stems = stemsOf(query);
    assert.deepEqual(snippet(body, stems), reference(body, stems), body);
  }
  assert.deepEqual(marked(snippet('كيف أخبرت عائلتي بأنني مثلي', stemsOf('عائلتي'))), ['عائلتي']);
});

test('a rare word at the end of a 20,000-character post is found by analysing a bounded window, not the whole post', () => {
  const body = longPost('and then زنجبيل at the very end');
  const stems = stemsOf('زنجبيل');
  snippetWork.characters = 0;
  const parts = snippet(body, stems, { hints: ['زنجبيل'] });
  assert.deepEqual(marked(parts), ['زنجبيل']);
  assert.ok(text(parts).startsWith('… ') && text(parts).endsWith('at the very end'));
  // The first window, the window around the hint and the words shown; the repeated filler words are analysed once.
  assert.ok(snippetWork.characters <= 3 * snippetBounds.window, `analysed ${snippetWork.characters} characters`);
  assert.ok(
    reference(body, stems).some((p) => p.match),
    'the reference agrees there is a match',
  );
});

test('a search over thirty long posts of distinct words analyses at most the per-query allowance', () => {
  const stems = stemsOf('زنجبيل');
  const work = { hints: ['زنجبيل'], budget: { characters: snippetBounds.perQuery }, memo: new Map<string, boolean>() };
  snippetWork.characters = 0;
  const snippets = Array.from({ length: 30 }, (_, i) => snippet(longPost('زنجبيل', distinctWords(i)), stems, work));
  assert.ok(snippetWork.characters <= snippetBounds.perQuery, `analysed ${snippetWork.characters} characters`);
  assert.ok(snippetWork.characters > snippetBounds.perQuery / 2, 'the allowance was what stopped it');
  assert.deepEqual(marked(snippets[0]!), ['زنجبيل'], 'the first hits are marked');
  for (const parts of snippets) assert.ok(text(parts).length > 0, 'every hit still has a snippet');
  // Without the bound, each post would have been analysed up to its last word.
  assert.ok(30 * 20_000 > 10 * snippetBounds.perQuery);
});

test('without a hint in the text, a long post costs one window and shows its start', () => {
  const body = longPost('نهاية');
  snippetWork.characters = 0;
  const parts = snippet(body, stemsOf('زنجبيل'), { hints: ['زنجبيل'] });
  assert.deepEqual(marked(parts), []);
  assert.ok(text(parts).startsWith(filler[0]!));
  assert.ok(snippetWork.characters <= snippetBounds.window + 100, `analysed ${snippetWork.characters} characters`);
});
