import type { ServiceContext } from '../../app-context.js';
import type { DbOrTx } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { notFound } from '../../http/errors.js';
import { constantTimeEqual, hashToken, newToken } from '../../security/tokens.js';
import { createAccount, type NewAccount } from '../auth/service.js';

const setupLifetime = 24 * 60 * 60 * 1000;
const keys = { hash: 'setup_token_hash', expires: 'setup_token_expires' } as const;

async function hasAdmin(db: DbOrTx): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirst()) !== undefined;
}

async function clearSetup(db: DbOrTx): Promise<void> {
  await db.deleteFrom('settings').where('key', 'in', [keys.hash, keys.expires]).execute();
}

/**
 * While no administrator exists, makes a new one-time setup token (only its hash is stored) and
 * returns it for the operator's console. Each start replaces the previous one.
 */
export async function ensureSetupLink(ctx: ServiceContext): Promise<string | null> {
  if (await hasAdmin(ctx.db)) {
    await clearSetup(ctx.db);
    return null;
  }
  const token = newToken();
  await ctx.db.transaction().execute(async (trx) => {
    await clearSetup(trx);
    await trx
      .insertInto('settings')
      .values([
        { key: keys.hash, value: hashToken(token) },
        { key: keys.expires, value: String(ctx.now + setupLifetime) },
      ])
      .execute();
  });
  return token;
}

async function tokenIsValid(db: DbOrTx, token: string, now: number): Promise<boolean> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', [keys.hash, keys.expires]).execute();
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const hash = stored.get(keys.hash);
  const expires = Number(stored.get(keys.expires));
  return !!hash && expires > now && constantTimeEqual(hash, hashToken(token));
}

/** The setup page exists only for a valid token while there is no administrator. */
export async function assertSetupOpen(ctx: ServiceContext, token: string): Promise<void> {
  if ((await hasAdmin(ctx.db)) || !(await tokenIsValid(ctx.db, token, ctx.now))) throw notFound();
}

/**
 * Creates the first administrator and uses up the token in one transaction. The token's settings
 * row is deleted first: a second submission racing this one finds nothing to delete and fails.
 */
export async function completeSetup(
  ctx: ServiceContext,
  token: string,
  input: { username: string; passphrase: string },
): Promise<NewAccount> {
  await assertSetupOpen(ctx, token);
  return ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .deleteFrom('settings')
      .where('key', '=', keys.hash)
      .where('value', '=', hashToken(token))
      .executeTakeFirst();
    if (Number(claimed.numDeletedRows) !== 1 || (await hasAdmin(trx))) throw notFound();
    await trx.deleteFrom('settings').where('key', '=', keys.expires).execute();
    const account = await createAccount({ ...ctx, db: trx }, { ...input, role: 'admin' });
    await recordAudit(trx, { actorId: account.user.id, action: 'setup.complete', subject: account.user.id, now: ctx.now });
    return account;
  });
}
