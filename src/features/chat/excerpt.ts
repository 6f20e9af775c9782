import { markdownText } from '../../security/markdown-text.js';

/**
 * The first `max` characters of a text, cut between letters as a reader sees them (grapheme
 * clusters): never inside an emoji sequence, a flag, or a letter with its marks, which would show
 * a broken character. An ellipsis says that more follows.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}

/** A message's words as one line of plain text, up to 200 characters: a reply's quote, a request's first words. */
export function messageExcerpt(body: string): string {
  return cutText(markdownText(body).replace(/\s+/g, ' ').trim(), 200);
}
