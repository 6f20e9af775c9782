import { sql } from 'kysely';
import type { DbOrTx, Engine } from '../db/database.js';
import { analyse, analyseWord, normalise, tokenize, type AnalysedWord } from './analyzer.js';

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
    .values({ id, kind: doc.kind, ref_id: doc.refId, scope: doc.scope, title: doc.title, body: doc.body, terms, created_at: doc.createdAt })
    .execute();
  if (ctx.engine === 'sqlite') await ctx.db.insertInto('search_fts').values({ doc_id: id, terms }).execute();
}

export async function removeDocument(ctx: SearchContext, kind: string, refId: string): Promise<void> {
  const id = documentId(kind, refId);
  if (ctx.engine === 'sqlite') await ctx.db.deleteFrom('search_fts').where('doc_id', '=', id).execute();
  await ctx.db.deleteFrom('search_documents').where('id', '=', id).execute();
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
    const match = words.map((w) => (w.stem === w.surface ? `"${w.surface}"` : `("${w.surface}" OR "${w.stem}")`)).join(' AND ');
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
  return rows.map((row) => ({ kind: row.kind, refId: row.ref_id, title: row.title, snippet: snippet(row.body, stems) }));
}

/**
 * About `width` words around the first match, each matching word flagged so the view can mark
 * it. Plain text parts: the view escapes them like anything else.
 */
export function snippet(body: string, stems: Set<string>, width = 30): SnippetPart[] {
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
