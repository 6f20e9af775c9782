import type { ServiceContext } from '../../app-context.js';
import type { Role } from '../../db/schema.js';
import type { DbOrTx } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { recordAudit } from '../../db/audit.js';
import { AppError, invalid, type FieldError } from '../../http/errors.js';
import type { Actor } from '../../security/actor.js';
import { checkPassphrase, hashPassphrase, verifyAgainstNothing, verifyPassphrase } from '../../security/passphrase.js';
import type { LimitName, RateLimits } from '../../security/rate-limit.js';
import { newId } from '../../security/tokens.js';
import { checkUsername, normaliseUsername, type NormalisedUsername } from '../../security/username.js';
import { getRegistrationMode } from '../admin/settings-service.js';
import { consumeInvite, isInviteUsable } from '../invites/service.js';
import { presentUser, type PublicUser } from './presenters.js';
import { consumeRecoveryCode, consumeResetCode, countRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.js';

const day = 86_400_000;

export interface NewAccount {
  user: PublicUser;
  /** Shown once; only their hashes are stored. */
  recoveryCodes: string[];
}

interface PreparedAccount {
  name: NormalisedUsername;
  passphraseHash: string;
  role: Role;
}

const usernameTaken = () =>
  new AppError('conflict', 'username.taken', [{ field: 'username', message: 'username.taken' }]);

async function isNameTaken(db: DbOrTx, name: NormalisedUsername): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('username_key', '=', name.key), eb('username_skeleton', '=', name.skeleton)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** Checks and hashes outside any transaction: hashing is slow and must not hold a write lock. */
async function prepareAccount(
  db: DbOrTx,
  input: { username: string; passphrase: string; role: Role },
  extraErrors: FieldError[] = [],
): Promise<PreparedAccount> {
  const { name, errors } = checkUsername(input.username);
  errors.push(...checkPassphrase(input.passphrase, { username: name.key }), ...extraErrors);
  if (errors.length) throw invalid(errors);
  if (await isNameTaken(db, name)) throw usernameTaken();
  return { name, passphraseHash: await hashPassphrase(input.passphrase), role: input.role };
}

async function insertAccount(ctx: ServiceContext, account: PreparedAccount, auditAction: string): Promise<NewAccount> {
  const user = { id: newId(), username: account.name.display, role: account.role };
  try {
    await ctx.db
      .insertInto('users')
      .values({
        id: user.id,
        username: account.name.display,
        username_key: account.name.key,
        username_skeleton: account.name.skeleton,
        passphrase_hash: account.passphraseHash,
        role: account.role,
        // The day only: when exactly someone joined is nobody's business.
        created_at: Math.floor(ctx.now / day) * day,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameTaken();
    throw error;
  }
  const recoveryCodes = await replaceRecoveryCodes(ctx.db, user.id);
  await recordAudit(ctx.db, { actorId: user.id, action: auditAction, subject: user.id, now: ctx.now });
  return { user: presentUser(user), recoveryCodes };
}

/**
 * Creates an account with no registration-mode or invite checks: for the first administrator
 * and the operator's CLI. Works inside a caller's transaction.
 */
export async function createAccount(
  ctx: ServiceContext,
  input: { username: string; passphrase: string; role: Role },
): Promise<NewAccount> {
  const prepared = await prepareAccount(ctx.db, input);
  return insertAccount(ctx, prepared, 'user.create');
}

/** Registration as the instance allows it: open, by invite (used up in the same transaction), or closed. */
export async function register(
  ctx: ServiceContext,
  _actor: Actor,
  input: { username: string; passphrase: string; invite?: string | undefined },
): Promise<NewAccount> {
  const mode = await getRegistrationMode(ctx);
  if (mode === 'closed') throw new AppError('forbidden', 'auth.register.closed');
  const invite = input.invite?.trim() ?? '';
  // The invite is checked before the username, so someone without one cannot learn which names are taken.
  const inviteErrors: FieldError[] = [];
  if (mode === 'invite' && !invite) inviteErrors.push({ field: 'invite', message: 'auth.invite.required' });
  else if (mode === 'invite' && !(await isInviteUsable(ctx.db, invite, ctx.now))) inviteErrors.push({ field: 'invite', message: 'auth.invite.invalid' });
  const prepared = await prepareAccount(ctx.db, { ...input, role: 'member' }, inviteErrors);
  return ctx.db.transaction().execute(async (trx) => {
    if (mode === 'invite' && !(await consumeInvite(trx, invite, ctx.now))) {
      throw invalid([{ field: 'invite', message: 'auth.invite.invalid' }]);
    }
    return insertAccount({ ...ctx, db: trx }, prepared, 'user.register');
  });
}

/** What the sign-in limits need to know about where an attempt comes from. */
export interface AttemptOrigin {
  /** Keyed hash of the client address (never the address). */
  addressKey: string;
  /** The browser's device cookie, if it has one: `nonce` and `mac`. */
  device?: { nonce: string; mac: string } | undefined;
  /** Checks a device cookie against an account. */
  deviceMatches?: (userId: string, device: { nonce: string; mac: string }) => boolean;
}

async function assertNotBlocked(limits: RateLimits, checks: [LimitName, string][]): Promise<void> {
  for (const [name, key] of checks) {
    const retryAfter = await limits.isBlocked(name, key);
    if (retryAfter) throw new AppError('rate_limited', 'error.rateLimited', [], retryAfter);
  }
}

async function countFailure(limits: RateLimits, checks: [LimitName, string][]): Promise<void> {
  for (const [name, key] of checks) {
    await limits.consume(name, key).catch(() => {});
  }
}

const invalidCredentials = () => new AppError('unauthenticated', 'auth.invalidCredentials');

/**
 * Checks a username and passphrase. Unknown usernames cost the same time and count against the
 * same kinds of limits as real ones, so neither the answer nor its timing tells them apart.
 * A browser that has signed in to the account before is counted on its own, so a stranger
 * hammering an account cannot lock its owner out.
 */
export async function signIn(
  ctx: ServiceContext,
  limits: RateLimits,
  input: { username: string; passphrase: string },
  origin: AttemptOrigin,
): Promise<PublicUser> {
  const name = normaliseUsername(input.username);
  const user = name.key
    ? await ctx.db.selectFrom('users').select(['id', 'username', 'role', 'passphrase_hash']).where('username_key', '=', name.key).executeTakeFirst()
    : undefined;
  const trusted = user && origin.device && origin.deviceMatches?.(user.id, origin.device);
  const accountLimit: [LimitName, string] = trusted
    ? ['loginDevice', `${user.id}:${origin.device!.nonce}`]
    : ['loginAccount', user ? user.id : `unknown:${name.key}`];
  // A known browser is counted on its own: neither a busy shared address (a Tor exit, a campus
  // NAT) nor a stranger's failures against the account can keep its owner out.
  const checks: [LimitName, string][] = trusted ? [accountLimit] : [['loginAddress', origin.addressKey], accountLimit];
  await assertNotBlocked(limits, checks);
  const ok = user ? await verifyPassphrase(user.passphrase_hash, input.passphrase) : await verifyAgainstNothing(input.passphrase);
  if (!user || !ok) {
    await countFailure(limits, checks);
    throw invalidCredentials();
  }
  await limits.reset(accountLimit[0], accountLimit[1]);
  return presentUser(user);
}

export interface Recovered {
  user: PublicUser;
  recoveryCodesLeft: number;
}

/**
 * Sets a new passphrase with a recovery code or an administrator's reset code. Every existing
 * session ends: whoever had the old passphrase is out.
 */
export async function recoverAccount(
  ctx: ServiceContext,
  limits: RateLimits,
  input: { username: string; code: string; passphrase: string },
  origin: Pick<AttemptOrigin, 'addressKey'>,
): Promise<Recovered> {
  const name = normaliseUsername(input.username);
  const errors = checkPassphrase(input.passphrase, { username: name.key });
  if (!input.code.trim()) errors.unshift({ field: 'code', message: 'auth.recover.codeRequired' });
  if (errors.length) throw invalid(errors);
  const user = name.key
    ? await ctx.db.selectFrom('users').select(['id', 'username', 'role']).where('username_key', '=', name.key).executeTakeFirst()
    : undefined;
  const checks: [LimitName, string][] = [
    ['recoveryAddress', origin.addressKey],
    ['recoveryAccount', user ? user.id : `unknown:${name.key}`],
  ];
  await assertNotBlocked(limits, checks);
  const passphraseHash = await hashPassphrase(input.passphrase);
  const recovered = user
    ? await ctx.db.transaction().execute(async (trx) => {
        const used =
          (await consumeRecoveryCode(trx, user.id, input.code)) || (await consumeResetCode(trx, user.id, input.code, ctx.now));
        if (!used) return null;
        await trx.updateTable('users').set({ passphrase_hash: passphraseHash }).where('id', '=', user.id).execute();
        await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
        await recordAudit(trx, { actorId: user.id, action: 'user.recover', subject: user.id, now: ctx.now });
        return { user: presentUser(user), recoveryCodesLeft: await countRecoveryCodes(trx, user.id) };
      })
    : null;
  if (!recovered) {
    await countFailure(limits, checks);
    throw new AppError('unauthenticated', 'auth.recover.invalid');
  }
  return recovered;
}
