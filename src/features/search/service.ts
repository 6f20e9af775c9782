import type { ServiceContext } from '../../app-context.js';
import type { Member } from '../../security/actor.js';
import { search, type SnippetPart } from '../../search/service.js';
import { readableGroupIds } from '../groups/public.js';

export const searchTypes = ['all', 'thread', 'post', 'group'] as const;
export type SearchType = (typeof searchTypes)[number];

export interface SearchResult {
  kind: 'thread' | 'post' | 'group';
  id: string;
  title: string;
  snippet: SnippetPart[];
  href: string;
}

const hrefOf = { thread: '/threads/', post: '/posts/', group: '/groups/' } as const;

/**
 * Searches only what the member may read right now: the content of public groups and of their
 * own, and the directory of listed groups. Hidden posts and deleted ones are not in the index;
 * authors are never indexed at all.
 */
export async function searchFor(
  ctx: ServiceContext,
  actor: Member,
  input: { q: string; type?: SearchType | undefined },
): Promise<SearchResult[]> {
  const type = input.type ?? 'all';
  const kinds = type === 'all' ? ['thread', 'post', 'group'] : [type];
  const scopes = kinds.includes('group') ? ['directory'] : [];
  if (kinds.includes('thread') || kinds.includes('post'))
    scopes.push(...(await readableGroupIds(ctx.db, actor, ctx.keys.anonymity)).map((id) => `group:${id}`));
  const hits = await search(ctx, { query: input.q, scopes, kinds, limit: 30 });
  return hits.map((hit) => {
    const kind = hit.kind as SearchResult['kind'];
    return { kind, id: hit.refId, title: hit.title, snippet: hit.snippet, href: `${hrefOf[kind]}${hit.refId}` };
  });
}
