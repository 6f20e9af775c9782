import type { ServiceContext } from '../../app-context.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import type { TrustLevel } from '../../db/schema.js';
import { invalid, notFound } from '../../platform/errors.js';
import { recordModeration } from '../../platform/moderation.js';
import type { Member } from '../../security/actor.js';
import { withoutBidiControls } from '../../security/bidi.js';
import { canFreezeBranch, canSeeInviteTree } from './policy.js';

// The invite tree (ADR 0051): every account hangs under the account whose invite it registered
// with; accounts that came in without one (the first administrator, open registration, the command
// line, an inviter since deleted) are its roots. Only the instance's moderators see it.

export const treeLimits = { defaultDepth: 3, maxDepth: 8, maxNodes: 500, reasonMax: 500 } as const;

export interface TreeNode {
  id: string;
  username: string;
  /** The day they joined (midnight UTC). */
  joinedAt: number;
  trust: TrustLevel;
  /** Frozen as a suspected infiltrator or a taken-over account. */
  frozen: boolean;
  /** Their branch's invites were stopped. */
  invitesFrozen: boolean;
  /** How many accounts they brought in directly. */
  invitedCount: number;
  /** Those accounts, down to the depth asked for; empty past it even when `invitedCount` is not. */
  children: TreeNode[];
}

export interface InviteTree {
  /** The branch's root when one was asked for, with whoever brought it in. */
  branch: { id: string; username: string; invitedBy: { id: string; username: string } | null } | null;
  roots: TreeNode[];
  depth: number;
  /** The node limit cut the tree short. */
  truncated: boolean;
}

type Row = {
  id: string;
  username: string;
  created_at: number;
  trust_level: TrustLevel;
  frozen_at: number | null;
  invites_frozen_at: number | null;
  invited_by: string | null;
};

const columns = [
  'id',
  'username',
  'created_at',
  'trust_level',
  'frozen_at',
  'invites_frozen_at',
  'invited_by',
] as const;

async function countInvited(db: DbOrTx, ids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (ids.length === 0) return counts;
  const rows = await db
    .selectFrom('users')
    .select(['invited_by', (eb) => eb.fn.countAll<number>().as('n')])
    .where('invited_by', 'in', ids)
    .groupBy('invited_by')
    .execute();
  for (const r of rows) counts.set(r.invited_by!, Number(r.n));
  return counts;
}

/** The tree, or the branch under `root`, level by level down to `depth`, within the node limit. */
export async function inviteTree(
  ctx: ServiceContext,
  actor: Member,
  input: { root?: string | undefined; depth?: number | undefined },
): Promise<InviteTree> {
  if (!canSeeInviteTree(actor)) throw notFound();
  const depth = Math.min(Math.max(Math.trunc(input.depth ?? treeLimits.defaultDepth), 1), treeLimits.maxDepth);
  let branch: InviteTree['branch'] = null;
  let level: Row[];
  if (input.root) {
    const root = await ctx.db.selectFrom('users').select(columns).where('id', '=', input.root).executeTakeFirst();
    if (!root) throw notFound();
    const parent = root.invited_by
      ? await ctx.db.selectFrom('users').select(['id', 'username']).where('id', '=', root.invited_by).executeTakeFirst()
      : undefined;
    branch = { id: root.id, username: root.username, invitedBy: parent ?? null };
    level = [root];
  } else {
    level = await ctx.db
      .selectFrom('users')
      .select(columns)
      .where('invited_by', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .limit(treeLimits.maxNodes + 1)
      .execute();
  }
  let truncated = level.length > treeLimits.maxNodes;
  level = level.slice(0, treeLimits.maxNodes);
  let seen = level.length;
  const nodes = new Map<string, TreeNode>();
  const roots: TreeNode[] = [];
  for (let d = 0; level.length > 0; d++) {
    const counts = await countInvited(
      ctx.db,
      level.map((r) => r.id),
    );
    for (const r of level) {
      const node: TreeNode = {
        id: r.id,
        username: r.username,
        joinedAt: r.created_at,
        trust: r.trust_level,
        frozen: r.frozen_at !== null,
        invitesFrozen: r.invites_frozen_at !== null,
        invitedCount: counts.get(r.id) ?? 0,
        children: [],
      };
      nodes.set(r.id, node);
      const parent = d > 0 && r.invited_by ? nodes.get(r.invited_by) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    if (d + 1 >= depth) break;
    const parents = level.filter((r) => (counts.get(r.id) ?? 0) > 0).map((r) => r.id);
    if (parents.length === 0) break;
    const room = treeLimits.maxNodes - seen;
    if (room <= 0) {
      truncated = true;
      break;
    }
    const next = await ctx.db
      .selectFrom('users')
      .select(columns)
      .where('invited_by', 'in', parents)
      .orderBy('created_at')
      .orderBy('id')
      .limit(room + 1)
      .execute();
    if (next.length > room) truncated = true;
    level = next.slice(0, room);
    seen += level.length;
  }
  return { branch, roots, depth, truncated };
}

/** Every account in the branch under `rootId`, the root included, whatever its depth. */
async function branchIds(db: DbOrTx, rootId: string): Promise<string[]> {
  const all = [rootId];
  let level = [rootId];
  // invited_by can form no cycle (an account exists before those it invites), but a bound costs nothing.
  for (let d = 0; level.length > 0 && d < 1000; d++) {
    const rows = await db.selectFrom('users').select('id').where('invited_by', 'in', level).execute();
    level = rows.map((r) => r.id);
    all.push(...level);
  }
  return all;
}

function cleanReason(reason: string | undefined): string {
  const clean = withoutBidiControls(reason ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) throw invalid([{ field: 'reason', message: 'invites.reasonRequired' }]);
  if (clean.length > treeLimits.reasonMax)
    throw invalid([{ field: 'reason', message: 'invites.reasonTooLong', values: { max: treeLimits.reasonMax } }]);
  return clean;
}

/**
 * Stops, or restarts, the invites of everyone in a branch: the invites they made stop working at
 * once and they can make no new ones. Logged in the same transaction. The accounts are not told
 * (`targetUserId` null): an infiltrator's inviter learns nothing from it (ADR 0051).
 */
export async function setBranchInvitesFrozen(
  ctx: ServiceContext,
  actor: Member,
  input: { rootId: string; frozen: boolean; reason?: string | undefined },
): Promise<{ accounts: number }> {
  if (!canFreezeBranch(actor)) throw notFound();
  const reason = cleanReason(input.reason);
  return inTransaction(ctx.db, async (trx) => {
    const root = await trx.selectFrom('users').select('id').where('id', '=', input.rootId).executeTakeFirst();
    if (!root) throw notFound();
    const ids = await branchIds(trx, root.id);
    let changed = 0;
    // In slices: a parameter list has limits on both engines.
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      const result = await trx
        .updateTable('users')
        .set({ invites_frozen_at: input.frozen ? ctx.now : null })
        .where('id', 'in', slice)
        .where('invites_frozen_at', input.frozen ? 'is' : 'is not', null)
        .executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    await recordModeration(trx, {
      actorId: actor.id,
      action: input.frozen ? 'invites.freeze_branch' : 'invites.unfreeze_branch',
      targetType: 'user',
      targetId: root.id,
      targetUserId: null,
      reason,
      detail: { accounts: ids.length, changed },
      now: ctx.now,
    });
    return { accounts: ids.length };
  });
}
