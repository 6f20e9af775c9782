import crypto from 'node:crypto';
import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import type { Actor } from '../../security/actor.js';
import { groupAccessOf, groupsBannedAnonymously } from '../groups/public.js';
import {
  canReadListing,
  isExpiredJob,
  keepsDirectory,
  type ListingFacts,
  type ListingVisibility,
  type ReviewState,
} from './policy.js';

/** HSDS ids are uuids; every record Sanad makes gets one, so exports need no id translation. */
export function newResourceId(): string {
  return crypto.randomUUID();
}

/** The columns of a service that decide who may read it. */
export interface ListingAccessRow {
  id: string;
  visibility: ListingVisibility;
  group_id: string | null;
  review_state: ReviewState;
  submitted_by: string | null;
  kind: string;
  expires_at: number | null;
}

/** The facts the policy weighs for this reader and this listing. */
export async function listingFacts(ctx: ServiceContext, actor: Actor, row: ListingAccessRow): Promise<ListingFacts> {
  let inGroup = false;
  if (row.visibility === 'group' && row.group_id && actor.kind === 'user') {
    const access = (await groupAccessOf(ctx.db, actor, [row.group_id], ctx.keys.anonymity)).get(row.group_id);
    // Taking part, as the group's own content asks (groups' policy): a ban by name, or one through an
    // anonymous post (which leaves them listed as a member, ADR 0018, and spares only the owner), ends it.
    inGroup =
      access !== undefined &&
      access.viewer.membership !== null &&
      !access.viewer.banned &&
      !(access.viewer.anonymousBan === true && access.viewer.membership !== 'owner');
  }
  return {
    visibility: row.visibility,
    reviewState: row.review_state,
    inGroup,
    suggestedByReader: actor.kind === 'user' && row.submitted_by === actor.id,
    expired: isExpiredJob(row, ctx.now),
  };
}

/**
 * A listing (an HSDS service) as this reader may see it, with the facts the policy weighed, or null
 * when it does not exist for them: a denied read answers exactly like a missing one (404).
 */
export async function findReadableListing(ctx: ServiceContext, actor: Actor, serviceId: string) {
  const row = await ctx.db.selectFrom('resource_services').selectAll().where('id', '=', serviceId).executeTakeFirst();
  if (!row) return null;
  const facts = await listingFacts(ctx, actor, row);
  if (!canReadListing(actor, facts)) return null;
  return { row, facts };
}

/**
 * What lists and search may show this reader, as a filter on `resource_services` (aliased `s`):
 * published listings that are public, members-only for members, and limited to groups they take
 * part in. Keepers see every published one; waiting suggestions have their own queue.
 */
export async function readableScope(
  ctx: ServiceContext,
  actor: Actor,
): Promise<{ visibilities: ListingVisibility[]; groupIds: string[] | 'all' }> {
  if (keepsDirectory(actor)) return { visibilities: ['public', 'members', 'group'], groupIds: 'all' };
  if (actor.kind !== 'user') return { visibilities: ['public'], groupIds: [] };
  return { visibilities: ['public', 'members'], groupIds: await groupsTakenPartIn(ctx, actor.id) };
}

/** The groups a member takes part in: not banned by name, nor through an anonymous post (owners excepted). */
async function groupsTakenPartIn(ctx: ServiceContext, userId: string): Promise<string[]> {
  const db: DbOrTx = ctx.db;
  const rows = await db
    .selectFrom('group_members as m')
    .select(['m.group_id', 'm.role'])
    .where('m.user_id', '=', userId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('group_bans as b')
            .select('b.group_id')
            .whereRef('b.group_id', '=', 'm.group_id')
            .where('b.user_id', '=', userId),
        ),
      ),
    )
    .execute();
  const barred = await groupsBannedAnonymously(
    db,
    ctx.keys.anonymity,
    userId,
    rows.filter((r) => r.role !== 'owner').map((r) => r.group_id),
  );
  return rows.filter((r) => !barred.has(r.group_id)).map((r) => r.group_id);
}
