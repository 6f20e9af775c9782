import { normaliseUsername } from './username.js';

/** How many people one post may name with @name: the rest are neither notified nor counted against the mention limit. */
export const mentionsPerPost = 10;

/** `@name`, not inside a word or an address: what notifies, and what posts show as a mention. */
export const mentionPattern = /(?<![\p{L}\p{N}_@])@([\p{L}\p{N}_]{3,30})/gu;

/** The distinct usernames a post names with @name, as keys: at most `mentionsPerPost`. */
export function mentionedNames(body: string): string[] {
  return [...new Set([...body.matchAll(mentionPattern)].map((m) => normaliseUsername(m[1]!).key))].slice(
    0,
    mentionsPerPost,
  );
}
