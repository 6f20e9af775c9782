import type { ServiceContext } from '../../app-context.js';
import { inTransaction } from '../../db/database.js';
import { prefixEnd } from '../../db/text.js';
import type { Role } from '../../db/schema.js';
import { recordAudit } from '../../db/audit.js';
import { lockAdministrators } from '../../db/locks.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import type { Member } from '../../security/actor.js';
import { normaliseUsername } from '../../security/username.js';
import { canChangeRole, canListUsers } from './policy.js';

export const usersPageSize = 50;

export interface UserListing {
  users: { id: string; username: string; role: Role }[];
  /** Username key to continue after, when there are more. */
  nextAfter: string | undefined;
}

/** Accounts in username order, optionally starting with a prefix; keyset pagination. */
export async function listUsers(
  ctx: ServiceContext,
  actor: Member,
  input: { q?: string | undefined; after?: string | undefined },
): Promise<UserListing> {
  if (!canListUsers(actor)) throw forbidden();
  let query = ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'username_key'])
    .orderBy('username_key')
    .limit(usersPageSize + 1);
  const prefix = input.q ? normaliseUsername(input.q).key : '';
  if (prefix) {
    // A range instead of LIKE, so user input has no wildcards to escape and the unique index serves it.
    query = query.where('username_key', '>=', prefix);
    const end = prefixEnd(prefix);
    if (end !== null) query = query.where('username_key', '<', end);
  }
  if (input.after) query = query.where('username_key', '>', input.after);
  const rows = await query.execute();
  const page = rows.slice(0, usersPageSize);
  return {
    users: page.map((r) => ({ id: r.id, username: r.username, role: r.role })),
    nextAfter: rows.length > usersPageSize ? page.at(-1)!.username_key : undefined,
  };
}

export async function changeRole(ctx: ServiceContext, actor: Member, userId: string, role: Role): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    // Locked before the target is read: two administrators demoting each other at once would both
    // count two and leave none (ADR 0032).
    const admins = await lockAdministrators({ db: trx, engine: ctx.engine });
    const target = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', userId).executeTakeFirst();
    if (!target) throw notFound();
    if (!canChangeRole(actor, target)) throw forbidden();
    if (target.role === 'admin' && role !== 'admin' && admins <= 1)
      throw new AppError('conflict', 'admin.users.lastAdmin');
    await trx.updateTable('users').set({ role }).where('id', '=', userId).execute();
    await recordAudit(trx, { actorId: actor.id, action: `user.role.${role}`, subject: userId, now: ctx.now });
  });
}
