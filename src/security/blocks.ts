import type { DbOrTx } from '../db/database.js';
import type { Actor } from './actor.js';

/**
 * Blocks and mutes as every feature meets them (ADR 0052). A block is a policy input, not a
 * per-feature filter: the accounts in a block with the member, either way, are read with the
 * session on every request and carried on the actor, and each place that shows or reaches a person
 * asks `isBlockedBetween`. Nothing here tells the blocked member of the block.
 */

/** Whether the actor and this account are in a block, whoever made it. */
export function isBlockedBetween(actor: Actor, otherUserId: string | null | undefined): boolean {
  return actor.kind === 'user' && !!otherUserId && actor.blocked?.has(otherUserId) === true;
}

/** Whether the actor muted this account (their own view only). */
export function hasMuted(actor: Actor, otherUserId: string | null | undefined): boolean {
  return actor.kind === 'user' && !!otherUserId && actor.muted?.has(otherUserId) === true;
}

/**
 * The accounts in a block with this one (either way) and those it muted, in one query over the two
 * tables' primary keys and the blocked side's index.
 */
export async function relationsOf(
  db: DbOrTx,
  userId: string,
): Promise<{ blocked: ReadonlySet<string>; muted: ReadonlySet<string> }> {
  const rows = await db
    .selectFrom('blocks')
    .select(['blocked_id as other', (eb) => eb.val('block').as('kind')])
    .where('blocker_id', '=', userId)
    .unionAll((eb) =>
      eb
        .selectFrom('blocks')
        .select(['blocker_id as other', (e) => e.val('block').as('kind')])
        .where('blocked_id', '=', userId),
    )
    .unionAll((eb) =>
      eb
        .selectFrom('mutes')
        .select(['muted_id as other', (e) => e.val('mute').as('kind')])
        .where('muter_id', '=', userId),
    )
    .execute();
  const blocked = new Set<string>();
  const muted = new Set<string>();
  for (const row of rows) (row.kind === 'block' ? blocked : muted).add(row.other);
  return { blocked, muted };
}

/** Of these accounts, those in a block with `userId` (either way): for work done outside a request. */
export async function blockedAmong(db: DbOrTx, userId: string, others: readonly string[]): Promise<Set<string>> {
  if (others.length === 0) return new Set();
  const rows = await db
    .selectFrom('blocks')
    .select('blocked_id as other')
    .where('blocker_id', '=', userId)
    .where('blocked_id', 'in', others)
    .unionAll((eb) =>
      eb
        .selectFrom('blocks')
        .select('blocker_id as other')
        .where('blocked_id', '=', userId)
        .where('blocker_id', 'in', others),
    )
    .execute();
  return new Set(rows.map((r) => r.other));
}
