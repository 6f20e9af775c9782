/**
 * Markdown's words without its syntax, for the places that show a post or a description as
 * plain text: search snippets, quote excerpts, the directory's cards (ADR 0035). No `**`, `>`,
 * `#`, list markers or link targets are left over; a link or an image keeps its words; code keeps
 * its text. Blocks (paragraphs, headings, list items, quotes) are separated by a blank line, so
 * the views can show each paragraph as its own, each with its own direction; the lines inside a
 * block are joined with a space.
 *
 * Read line by line with a few regular expressions, in time linear in the text: search makes a
 * snippet from up to a hundred long posts at once, and a full CommonMark parse of each costs
 * milliseconds. It follows the renderer (src/security/sanitize-html.ts) on everything members
 * write in practice; where CommonMark would keep a character as text (an unclosed `*`), so does this.
 */

const fence = /^ {0,3}(`{3,}|~{3,})/;
const thematicBreak = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const setextUnderline = /^ {0,3}(?:=+|-+)[ \t]*$/;
const quoteMarker = /^ {0,3}> ?/;
const headingMarker = /^ {0,3}#{1,6}(?:[ \t]+|$)/;
const headingClose = /[ \t]+#+[ \t]*$/;
const listMarker = /^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)/;

// Each rule with a character it needs: most lines hold none, and are left alone at the cost of a search.
const inlineRules: [string, RegExp, string][] = [
  // Images and links keep their words; the address goes.
  ['](', /!\[([^\]\n]*)\]\([^)\n]*\)/g, '$1'],
  ['](', /\[([^\]\n]*)\]\([^)\n]*\)/g, '$1'],
  ['][', /\[([^\]\n]+)\]\[[^\]\n]*\]/g, '$1'],
  ['<', /<((?:https?:|mailto:)[^>\s]*)>/gi, '$1'],
  // Emphasis: strong first, then single; "_" only at the edges of words, as CommonMark reads it.
  ['**', /\*\*(?=\S)([^\n]*?\S)\*\*/g, '$1'],
  ['__', /__(?=\S)([^\n]*?\S)__/g, '$1'],
  ['*', /\*(?=[^\s*])([^*\n]*?[^\s*])\*/g, '$1'],
  ['_', /(?<![\p{L}\p{N}_])_(?=[^\s_])([^\n]*?[^\s_]|[^\s_])_(?![\p{L}\p{N}_])/gu, '$1'],
];

// A backslash before punctuation keeps the punctuation as text: it is set aside (as a private-use
// character) while the rules run, then put back.
const escaped = /\\([!-/:-@[-`{-~])/g;
const setAside = /[\uE000-\uE07F]/g;

/** Inline code keeps its text exactly; everything else loses its inline syntax. */
function inlineText(line: string): string {
  if (!/[[\]<*_\\`]/.test(line)) return line;
  const pieces = line.includes('`') ? line.split(/(?<!`)(`+)(.+?)(?<!`)\1(?!`)/) : [line];
  return pieces
    .map((piece, i) => {
      // split() with two groups: text, backticks, code, text, …
      if (i % 3 === 1) return '';
      if (i % 3 === 2) return piece.trim() || piece;
      let text = piece.replace(escaped, (_, c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0)));
      for (const [needs, pattern, replacement] of inlineRules) {
        if (text.includes(needs)) text = text.replace(pattern, replacement);
      }
      return text.replace(setAside, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
    })
    .join('');
}

export function markdownText(source: string): string {
  const blocks: string[] = [];
  let block: string[] = [];
  const endBlock = () => {
    const text = block
      .join(' ')
      .replace(/[ \t]{2,}|\t/g, ' ')
      .trim();
    if (text) blocks.push(text);
    block = [];
  };
  let inFence: string | null = null;
  let inQuote = false;
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    if (inFence !== null) {
      const closing = fence.exec(raw);
      if (closing && closing[1]![0] === inFence[0] && closing[1]!.length >= inFence.length) {
        inFence = null;
        endBlock();
      } else block.push(raw.trim());
      continue;
    }
    let line = raw;
    const quoted = quoteMarker.test(line);
    while (quoteMarker.test(line)) line = line.replace(quoteMarker, '');
    // Entering or leaving a quote ends the block before it.
    if (quoted !== inQuote) endBlock();
    inQuote = quoted;
    const opening = fence.exec(line);
    if (opening) {
      endBlock();
      inFence = opening[1]!;
      continue;
    }
    if (line.trim() === '' || thematicBreak.test(line)) {
      endBlock();
      continue;
    }
    if (setextUnderline.test(line) && block.length > 0) {
      endBlock();
      continue;
    }
    if (headingMarker.test(line)) {
      endBlock();
      block.push(inlineText(line.replace(headingMarker, '').replace(headingClose, '')));
      endBlock();
      continue;
    }
    if (listMarker.test(line)) {
      endBlock();
      line = line.replace(listMarker, '');
    }
    // A hard break (two spaces or a backslash at the end) is just the end of a line here.
    block.push(inlineText(line.replace(/(?: {2,}|\\)$/, '')));
  }
  endBlock();
  return blocks.join('\n\n');
}
