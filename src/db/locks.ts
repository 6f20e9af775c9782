import type { DbOrTx, Engine } from './database.js';

/**
 * Row locks for invariants that a read-then-write checks (ADR 0032). Call inside the transaction that
 * makes the change. On PostgreSQL `SELECT … FOR UPDATE` makes a concurrent transaction wait until
 * this one ends, then re-read the rows as they are; rows are locked in id order, so two callers
 * never wait on each other in a circle. On SQLite one connection runs one transaction at a time
 * (Kysely holds it for the whole transaction), so the plain read is already serialised.
 */
interface Locking {
  db: DbOrTx;
  engine: Engine;
}

/** How many administrators there are, with each of their rows locked until the transaction ends. */
export async function lockAdministrators(ctx: Locking): Promise<number> {
  let query = ctx.db.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('id');
  if (ctx.engine === 'postgres') query = query.forUpdate();
  return (await query.execute()).length;
}

/** Locks one group's row: every change to who owns the group takes this first. */
export async function lockGroup(ctx: Locking, groupId: string): Promise<boolean> {
  let query = ctx.db.selectFrom('groups').select('id').where('id', '=', groupId);
  if (ctx.engine === 'postgres') query = query.forUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}
