/**
 * Explicit direction embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). In a
 * name or title they can make text read backwards or run into what follows it ("gnp.exe"),
 * which lets one member pass for another or a link for something else. Usernames refuse them
 * (only letters, digits and "_" are allowed, src/security/username.ts); every other name people
 * give (group names, cities, tags, questions, thread titles) loses them when saved. Direction
 * is set per element with `dir="auto"` instead.
 */
export const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

export const withoutBidiControls = (text: string): string => text.replace(bidiControls, '');

/**
 * Text people wrote, isolated for places that hold text only (a page's <title>, an API's text,
 * an attribute): FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, the plain-text form of `<bdi>`.
 * The text inside cannot hold isolates of its own (names lose them when saved), so the pair stays balanced.
 */
export const isolate = (text: string): string => `\u2068${text}\u2069`;
