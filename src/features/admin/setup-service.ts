import type { ServiceContext } from '../../app-context.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import { recordAudit } from '../../db/audit.js';
import { notFound } from '../../platform/errors.js';
import { hmac } from '../../security/secret-key.js';
import { constantTimeEqual, newToken } from '../../security/tokens.js';
import { createAccount, type NewAccount } from '../auth/public.js';

const setupLifetime = 24 * 60 * 60 * 1000;
/** One row, `<nonce>.<expiry>`: instances starting together share it, so each prints the same link. */
const setupKey = 'setup_link';
/** Rows of the former design (a random token's hash), removed on the next start. */
const formerKeys = ['setup_token_hash', 'setup_token_expires'];

async function hasAdmin(db: DbOrTx): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirst()) !== undefined;
}

async function storedSetup(db: DbOrTx): Promise<{ value: string; nonce: string; expires: number } | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', setupKey).executeTakeFirst();
  const [nonce, expires] = row?.value.split('.') ?? [];
  return row && nonce && expires ? { value: row.value, nonce, expires: Number(expires) } : null;
}

/** The link is an HMAC of the stored nonce: a database without the instance key does not give it away. */
function tokenFor(ctx: ServiceContext, nonce: string): string {
  return hmac(ctx.keys.setup, `setup:${nonce}`);
}

/**
 * While no administrator exists, returns the one-time setup token for the operator's console. The
 * database keeps only a random nonce (with an expiry) from which every instance sharing the instance
 * key derives the same token, so several instances starting together on one empty database all
 * print the same working link; the nonce is created with an insert that does nothing when another
 * instance got there first. An expired nonce is replaced; a valid one is kept until it is used.
 */
export async function ensureSetupLink(ctx: ServiceContext): Promise<string | null> {
  await ctx.db.deleteFrom('settings').where('key', 'in', formerKeys).execute();
  if (await hasAdmin(ctx.db)) {
    await ctx.db.deleteFrom('settings').where('key', '=', setupKey).execute();
    return null;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await storedSetup(ctx.db);
    if (stored && stored.expires > ctx.now) return tokenFor(ctx, stored.nonce);
    // Compare-and-delete: only the expired value read above, never a fresh one another instance just wrote.
    if (stored)
      await ctx.db.deleteFrom('settings').where('key', '=', setupKey).where('value', '=', stored.value).execute();
    await ctx.db
      .insertInto('settings')
      .values({ key: setupKey, value: `${newToken()}.${ctx.now + setupLifetime}` })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
  throw new Error('The setup link kept changing while it was being read');
}

/** The stored setup row the token belongs to, while it is valid and no administrator exists. */
async function openSetupFor(ctx: ServiceContext, token: string) {
  if (await hasAdmin(ctx.db)) return null;
  const stored = await storedSetup(ctx.db);
  return stored && stored.expires > ctx.now && constantTimeEqual(tokenFor(ctx, stored.nonce), token) ? stored : null;
}

/** The setup page exists only for a valid token while there is no administrator. */
export async function assertSetupOpen(ctx: ServiceContext, token: string): Promise<void> {
  if (!(await openSetupFor(ctx, token))) throw notFound();
}

/**
 * Creates the first administrator and uses up the link in one transaction. The link's settings
 * row is deleted first: a second submission racing this one finds nothing to delete and fails.
 */
export async function completeSetup(
  ctx: ServiceContext,
  token: string,
  input: { username: string; passphrase: string },
): Promise<NewAccount> {
  const stored = await openSetupFor(ctx, token);
  if (!stored) throw notFound();
  return inTransaction(ctx.db, async (trx) => {
    const claimed = await trx
      .deleteFrom('settings')
      .where('key', '=', setupKey)
      .where('value', '=', stored.value)
      .executeTakeFirst();
    if (Number(claimed.numDeletedRows) !== 1 || (await hasAdmin(trx))) throw notFound();
    const account = await createAccount({ ...ctx, db: trx }, { ...input, role: 'admin' });
    await recordAudit(trx, {
      actorId: account.user.id,
      action: 'setup.complete',
      subject: account.user.id,
      now: ctx.now,
    });
    return account;
  });
}
