import type { ServiceContext } from '../../app-context.js';
import type { FeatureModule, SearchKind } from '../../platform/module.js';
import type { Member } from '../../security/actor.js';
import { search, type SnippetPart } from '../../search/service.js';

export interface SearchResult {
  kind: string;
  id: string;
  title: string;
  snippet: SnippetPart[];
  href: string;
}

/** The kinds the modules let members search, each with the module that declares it. */
export interface Searchable {
  kinds: SearchKind[];
  /** The scopes a member may search for the chosen kinds: each declaring module asked once. */
  scopes(ctx: ServiceContext, actor: Member, kinds: readonly string[]): Promise<string[]>;
  /** The results this member is not shown (a block or a mute, ADR 0052), as the declaring modules say. */
  withheld(ctx: ServiceContext, actor: Member, hits: { kind: string; refId: string }[]): Promise<Set<string>>;
}

export function searchableOf(modules: readonly FeatureModule[]): Searchable {
  const declarations = modules.flatMap((module) => (module.search ? [module.search] : []));
  return {
    kinds: declarations.flatMap((declaration) => declaration.kinds),
    async scopes(ctx, actor, kinds) {
      const asked = declarations.filter((declaration) => declaration.kinds.some((k) => kinds.includes(k.kind)));
      return [...new Set((await Promise.all(asked.map((declaration) => declaration.scopes(ctx, actor)))).flat())];
    },
    async withheld(ctx, actor, hits) {
      const sets = await Promise.all(
        declarations.map((declaration) => {
          const mine = hits.filter((hit) => declaration.kinds.some((k) => k.kind === hit.kind));
          return declaration.withheld && mine.length ? declaration.withheld(ctx, actor, mine) : new Set<string>();
        }),
      );
      return new Set(sets.flatMap((set) => [...set]));
    },
  };
}

/**
 * Searches only what the member may read right now: each module says where its documents may be
 * found for this member (public groups and their own for discussions, the directory for groups).
 * Hidden posts and deleted ones are not in the index; authors are never indexed at all.
 */
export async function searchFor(
  ctx: ServiceContext,
  actor: Member,
  searchable: Searchable,
  input: { q: string; type?: string | undefined },
): Promise<SearchResult[]> {
  const type = input.type ?? 'all';
  const kinds = searchable.kinds.filter((k) => type === 'all' || k.kind === type);
  if (kinds.length === 0) return [];
  const names = kinds.map((k) => k.kind);
  const scopes = await searchable.scopes(ctx, actor, names);
  const hits = await search(ctx, { query: input.q, scopes, kinds: names, limit: 30 });
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  const withheld = await searchable.withheld(ctx, actor, hits);
  return hits.flatMap((hit) => {
    const kind = byName.get(hit.kind);
    return kind && !withheld.has(hit.refId)
      ? [{ kind: hit.kind, id: hit.refId, title: hit.title, snippet: hit.snippet, href: kind.href(hit.refId) }]
      : [];
  });
}
