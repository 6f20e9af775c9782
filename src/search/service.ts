import { sql } from 'kysely';
import { inTransaction, type DbOrTx, type Engine } from '../db/database.js';
import { markdownText } from '../security/markdown-text.js';
import { analyse, analyserVersion, analyseWord, normalise, tokenize, type AnalysedWord } from './analyzer.js';

/**
 * One search for every kind of content. Features put their documents in with `indexDocument`
 * (in the same transaction as the change) and take them out with `removeDocument`; `search`
 * only ever looks inside the scopes the caller says the searcher may read.
 */
export interface SearchContext {
  db: DbOrTx;
  engine: Engine;
}

export interface SearchDocument {
  kind: string;
  refId: string;
  /** What a reader must be able to read to see it: a group id, or 'public'. */
  scope: string;
  title: string;
  body: string;
  /** False when the title is shown with the hit but is not what it is found by (replies carry their thread's title). */
  titleIndexed?: boolean;
  createdAt: number;
}

/** A piece of a snippet: text without Markdown's syntax, paragraphs separated by a blank line. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SearchHit {
  kind: string;
  refId: string;
  title: string;
  snippet: SnippetPart[];
}

/** Each word's surface form, and its stem when that differs. */
export function termsOf(text: string): string {
  return analyse(text)
    .flatMap((w) => (w.stem === w.surface ? [w.surface] : [w.surface, w.stem]))
    .join(' ');
}

const documentId = (kind: string, refId: string) => `${kind}:${refId}`;

export async function indexDocument(ctx: SearchContext, doc: SearchDocument): Promise<void> {
  const id = documentId(doc.kind, doc.refId);
  const terms = termsOf(doc.titleIndexed === false ? doc.body : `${doc.title}\n${doc.body}`);
  await removeDocument(ctx, doc.kind, doc.refId);
  await ctx.db
    .insertInto('search_documents')
    .values({
      id,
      kind: doc.kind,
      ref_id: doc.refId,
      scope: doc.scope,
      title: doc.title,
      body: doc.body,
      terms,
      created_at: doc.createdAt,
    })
    .execute();
  if (ctx.engine === 'sqlite') await ctx.db.insertInto('search_fts').values({ doc_id: id, terms }).execute();
}

export async function removeDocument(ctx: SearchContext, kind: string, refId: string): Promise<void> {
  const id = documentId(kind, refId);
  if (ctx.engine === 'sqlite') await ctx.db.deleteFrom('search_fts').where('doc_id', '=', id).execute();
  await ctx.db.deleteFrom('search_documents').where('id', '=', id).execute();
}

/** The settings row holding the analyser version the index was built with; absent means version 1. */
export const analyserVersionKey = 'search.analyser_version';

/**
 * Whether `terms`, written by any analyser with today's normalisation, began with the title's
 * words: each word gives its surface form, then perhaps one other term (its stem). The rows do
 * not say whether their title was indexed (replies show their thread's title without being found
 * by it), so the terms are read as written from title and body, or from the body alone.
 */
function readAs(terms: string[], surfaces: string[]): boolean {
  let at = new Set([0]);
  for (const surface of surfaces) {
    const next = new Set<number>();
    for (const i of at) {
      if (terms[i] !== surface) continue;
      next.add(i + 1);
      if (i + 1 < terms.length && terms[i + 1] !== surface) next.add(i + 2);
    }
    if (next.size === 0) return false;
    at = next;
  }
  return at.has(terms.length);
}

export function wasTitleIndexed(terms: string, title: string, body: string): boolean {
  const written = terms.split(' ').filter(Boolean);
  const titleWords = tokenize(normalise(title));
  const bodyWords = tokenize(normalise(body));
  if (readAs(written, [...titleWords, ...bodyWords])) return true;
  // Neither reading fits only if normalisation changed: then keep the title, losing no hit.
  return !readAs(written, bodyWords);
}

/**
 * Rebuilds every document's terms when the analyser changed since the index was built (ADR
 * 0033), so stored documents and new queries agree again. Runs at start, before the server
 * listens, in one transaction: a second instance starting at the same moment waits, then finds
 * the version current. Returns how many documents were re-analysed.
 */
export async function reindexIfAnalyserChanged(ctx: SearchContext): Promise<number> {
  const current = String(analyserVersion);
  const stored = async (db: DbOrTx) =>
    (await db.selectFrom('settings').select('value').where('key', '=', analyserVersionKey).executeTakeFirst())?.value;
  if ((await stored(ctx.db)) === current) return 0;
  return inTransaction(ctx.db, async (trx) => {
    if (ctx.engine === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${analyserVersionKey}))`.execute(trx);
    if ((await stored(trx)) === current) return 0;
    let count = 0;
    let after = '';
    for (;;) {
      const rows = await trx
        .selectFrom('search_documents')
        .select(['id', 'title', 'body', 'terms'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const terms = termsOf(wasTitleIndexed(row.terms, row.title, row.body) ? `${row.title}\n${row.body}` : row.body);
        if (terms === row.terms) continue;
        await trx.updateTable('search_documents').set({ terms }).where('id', '=', row.id).execute();
        if (ctx.engine === 'sqlite') {
          await trx.deleteFrom('search_fts').where('doc_id', '=', row.id).execute();
          await trx.insertInto('search_fts').values({ doc_id: row.id, terms }).execute();
        }
        count++;
      }
      after = rows.at(-1)!.id;
    }
    await trx.deleteFrom('settings').where('key', '=', analyserVersionKey).execute();
    await trx.insertInto('settings').values({ key: analyserVersionKey, value: current }).execute();
    return count;
  });
}

function queryWords(query: string): AnalysedWord[] {
  const seen = new Set<string>();
  return analyse(query.slice(0, 500))
    .filter((w) => !seen.has(w.surface) && seen.add(w.surface))
    .slice(0, 12);
}

/**
 * Every query word must match, by its surface form or its stem. Documents holding the surface
 * form carry both terms, so they rank above documents that only share the stem.
 */
export async function search(
  ctx: SearchContext,
  input: { query: string; scopes: string[]; kinds?: string[]; limit?: number },
): Promise<SearchHit[]> {
  const words = queryWords(input.query);
  if (words.length === 0 || input.scopes.length === 0) return [];
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  const kinds = input.kinds?.length ? input.kinds : null;
  let rows: { kind: string; ref_id: string; title: string; body: string }[];
  if (ctx.engine === 'sqlite') {
    const match = words
      .map((w) => (w.stem === w.surface ? `"${w.surface}"` : `("${w.surface}" OR "${w.stem}")`))
      .join(' AND ');
    const result = await sql<{ kind: string; ref_id: string; title: string; body: string }>`
      select d.kind, d.ref_id, d.title, d.body
      from search_fts f join search_documents d on d.id = f.doc_id
      where search_fts match ${match}
        and d.scope in (${sql.join(input.scopes)})
        ${kinds ? sql`and d.kind in (${sql.join(kinds)})` : sql``}
      order by bm25(search_fts), d.created_at desc, d.id
      limit ${limit}`.execute(ctx.db);
    rows = result.rows;
  } else {
    const tsquery = words.map((w) => (w.stem === w.surface ? w.surface : `(${w.surface} | ${w.stem})`)).join(' & ');
    const result = await sql<{ kind: string; ref_id: string; title: string; body: string }>`
      select d.kind, d.ref_id, d.title, d.body
      from search_documents d, to_tsquery('simple', ${tsquery}) q
      where d.terms_vector @@ q
        and d.scope in (${sql.join(input.scopes)})
        ${kinds ? sql`and d.kind in (${sql.join(kinds)})` : sql``}
      order by ts_rank(d.terms_vector, q) desc, d.created_at desc, d.id
      limit ${limit}`.execute(ctx.db);
    rows = result.rows;
  }
  const stems = new Set(words.map((w) => w.stem));
  // One allowance and one memo for all the snippets of this search.
  const work = {
    hints: snippetHints(input.query, words),
    budget: { characters: snippetBounds.perQuery },
    memo: new Map<string, boolean>(),
  };
  return rows.map((row) => ({
    kind: row.kind,
    refId: row.ref_id,
    title: row.title,
    // Marked by position in the text as read, not in its Markdown source (ADR 0035).
    snippet: snippet(markdownText(row.body), stems, work),
  }));
}

/**
 * How much text snippets may analyse (normalise and stem, word by word: a few microseconds a
 * word). Without a bound, thirty 20,000-character posts with the match at their end blocked the
 * event loop for hundreds of milliseconds per search.
 */
export const snippetBounds = {
  /** Characters looked through for the first match: from the start of a body, and again around a hint. */
  window: 1000,
  /** Characters of distinct words analysed for all the snippets of one search; beyond, snippets show the start, unmarked. */
  perQuery: 10_000,
};

/** Characters analysed by `snippet`, counted so tests and the benchmark can check the bound. */
export const snippetWork = { characters: 0 };

/** Where a match may be, found without analysing: the query's words as typed, normalised and stemmed. */
function snippetHints(query: string, words: AnalysedWord[]): string[] {
  const typed =
    query
      .slice(0, 500)
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  return [...new Set([...typed, ...words.flatMap((w) => [w.surface, w.stem])])].filter((h) => h.length >= 2);
}

const wordBefore = /[\p{L}\p{N}\p{M}]*$/u;
const wordAfter = /^[\p{L}\p{N}\p{M}]*/u;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The text between `from` and `to`, widened to whole words (by at most 100 characters each
 * side), split so that words sit at odd indexes; `offsets` are each piece's place in `body`.
 */
function regionOf(body: string, from: number, to: number): { pieces: string[]; offsets: number[] } {
  from = Math.max(0, from);
  to = Math.min(body.length, to);
  from -= wordBefore.exec(body.slice(Math.max(0, from - 100), from))![0].length;
  to += wordAfter.exec(body.slice(to, to + 100))![0].length;
  if (from > 0 && isLowSurrogate(body.charCodeAt(from))) from--;
  if (to < body.length && isLowSurrogate(body.charCodeAt(to))) to++;
  const pieces = body.slice(from, to).split(/([\p{L}\p{N}\p{M}]+)/u);
  const offsets: number[] = [];
  let offset = from;
  for (const piece of pieces) {
    offsets.push(offset);
    offset += piece.length;
  }
  return { pieces, offsets };
}

/**
 * About `width` pieces (words and what separates them) around the first match, each matching
 * word flagged so the view can mark it. Plain text parts: the view escapes them like anything else.
 *
 * The work is bounded whatever the body: the first `snippetBounds.window` characters are looked
 * through; if no match is there, a window around the first place a hint occurs (a plain search
 * of the raw text, no analysis); then the words shown. Analysing a distinct word costs its length
 * from `budget`; when the budget is spent, words count as not matching.
 */
export function snippet(
  body: string,
  stems: Set<string>,
  options: { hints?: string[]; budget?: { characters: number }; memo?: Map<string, boolean>; width?: number } = {},
): SnippetPart[] {
  const width = options.width ?? 30;
  const budget = options.budget ?? { characters: snippetBounds.perQuery };
  const memo = options.memo ?? new Map<string, boolean>();
  const isMatch = (word: string) => {
    let known = memo.get(word);
    if (known === undefined) {
      if (budget.characters < word.length) return false;
      budget.characters -= word.length;
      snippetWork.characters += word.length;
      const token = tokenize(normalise(word))[0];
      known = token !== undefined && stems.has(analyseWord(token).stem);
      memo.set(word, known);
    }
    return known;
  };
  const firstMatch = (from: number, to: number) => {
    const { pieces, offsets } = regionOf(body, from, to);
    for (let i = 1; i < pieces.length; i += 2) if (isMatch(pieces[i]!)) return offsets[i]!;
    return -1;
  };
  const { window } = snippetBounds;
  let at = firstMatch(0, window);
  if (at === -1 && body.length > window && options.hints?.length) {
    const lower = body.toLowerCase();
    const hint = Math.min(...options.hints.map((h) => lower.indexOf(h, window - 100)).filter((p) => p !== -1));
    // Start a little before the hint: it may sit inside a longer word, or the text may be folded differently.
    if (Number.isFinite(hint)) at = firstMatch(hint - 100, hint + window);
  }
  // Enough characters for `width` pieces either side of the match, unless words are very long.
  const centre = Math.max(at, 0);
  const { pieces, offsets } = regionOf(body, centre - width * 12, centre + width * 24);
  const first = offsets.indexOf(at);
  const start = Math.max(0, (first === -1 ? 0 : first) - width);
  const end = Math.min(pieces.length, start + width * 2);
  const parts: SnippetPart[] = [];
  if (offsets[start]! > 0) parts.push({ text: '… ', match: false });
  for (let i = start; i < end; i++) {
    const piece = pieces[i]!;
    const match = i % 2 === 1 && (i === first || isMatch(piece));
    const last = parts.at(-1);
    if (last && !last.match && !match) last.text += piece;
    else parts.push({ text: piece, match });
  }
  if (offsets[end - 1]! + pieces[end - 1]!.length < body.length) parts.push({ text: ' …', match: false });
  return parts;
}
