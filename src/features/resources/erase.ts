import type { ServiceContext } from '../../app-context.js';
import { authorRefMatcher } from '../../security/anonymity.js';

/**
 * A member leaving takes their notes and corrections with them, anonymous ones too (recognised by
 * recomputing their keyed hash, as anonymous posts are: ADR 0043); listings they suggested,
 * verified or decided stay, as the directory's, without their name.
 */
export async function eraseResourcesOf(ctx: ServiceContext, userId: string): Promise<void> {
  const mine = authorRefMatcher(ctx.keys.anonymity, userId);
  for (const table of ['resource_notes', 'resource_corrections'] as const) {
    const anonymous = await ctx.db
      .selectFrom(table)
      .select(['id', 'service_id', 'author_ref'])
      .where('anonymous', '=', 1)
      .execute();
    const ids = anonymous.filter((r) => mine(resourceRefScope(r.service_id), r.author_ref)).map((r) => r.id);
    if (ids.length > 0) await ctx.db.deleteFrom(table).where('id', 'in', ids).execute();
  }
  await ctx.db
    .updateTable('resource_services')
    .set({ submitted_by: null })
    .where('submitted_by', '=', userId)
    .execute();
  await ctx.db.updateTable('resource_services').set({ verified_by: null }).where('verified_by', '=', userId).execute();
  await ctx.db.updateTable('resource_corrections').set({ decided_by: null }).where('decided_by', '=', userId).execute();
}

/**
 * The scope an anonymous note's or correction's keyed hash is taken in: the listing, so a member's
 * anonymous words on one listing link to nothing on another. `authorRef(key, resourceRefScope(id), userId)`.
 */
export function resourceRefScope(serviceId: string): string {
  return `resource:${serviceId}`;
}
