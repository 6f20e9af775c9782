import { normalise, tokenize } from '../../search/analyzer.js';
import type { WatchedWordAction } from '../../db/schema.js';

/**
 * Watched words are matched on text normalised as search normalises it (src/search/analyzer.ts):
 * NFKC, case folded, tashkeel and tatweel gone, alef, yaa and taa marbuta variants folded. So
 * "مَثَلاً", "مـــثلا" and "مثلا" are one word here, and spelling tricks do not slip past. A phrase
 * matches as whole words in order: "ثل" never matches inside "مثلا".
 */
export function normalisedWords(text: string): string[] {
  return tokenize(normalise(text));
}

/** The stored form of a watched phrase: its normalised words joined by one space. */
export function watchedKey(phrase: string): string {
  return normalisedWords(phrase).join(' ');
}

export interface WatchedWord {
  id: string;
  phrase: string;
  normalized: string;
  action: WatchedWordAction;
}

/** The strongest action first: a block outweighs a hold, a hold a flag. */
const weight: Record<WatchedWordAction, number> = { block: 0, hold: 1, flag: 2 };

/** The watched words a text holds, strongest action first. */
export function matchesIn(text: string, words: readonly WatchedWord[]): WatchedWord[] {
  if (words.length === 0) return [];
  const tokens = normalisedWords(text);
  // Padded with spaces, so an indexOf finds whole words and whole phrases only.
  const haystack = ` ${tokens.join(' ')} `;
  return words
    .filter((w) => w.normalized !== '' && haystack.includes(` ${w.normalized} `))
    .sort((a, b) => weight[a.action] - weight[b.action]);
}
