import type { ServiceContext } from '../../app-context.js';
import type { Role } from '../../db/schema.js';
import { inTransaction, type DbOrTx } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { recordAudit } from '../../db/audit.js';
import { AppError, invalid, type FieldError } from '../../platform/errors.js';
import type { Actor } from '../../security/actor.js';
import { checkPassphrase, hashPassphrase, verifyAgainstNothing, verifyPassphrase } from '../../security/passphrase.js';
import type { LimitName, RateLimits } from '../../security/rate-limit.js';
import { newId } from '../../security/tokens.js';
import { checkUsername, normaliseUsername, type NormalisedUsername } from '../../security/username.js';
import { getRegistrationMode } from '../../platform/settings.js';
import { isInviteUsable, redeemInvite, usableInviteId } from '../invites/public.js';
import { checkAnswers, submitApplication, type Answer } from '../vetting/public.js';
import { presentUser, type PublicUser } from './presenters.js';
import { consumeRecoveryCode, consumeResetCode, countRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.js';
import { sessionsRevoked } from '../../security/sessions.js';

const day = 86_400_000;

export interface NewAccount {
  user: PublicUser;
  /** Shown once; only their hashes are stored. */
  recoveryCodes: string[];
  /** Approval mode: the account waits for a moderator and may not sign in yet (ADR 0051). */
  pending?: boolean;
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

async function insertAccount(
  ctx: ServiceContext,
  account: PreparedAccount,
  auditAction: string,
  invitedBy: string | null = null,
): Promise<NewAccount> {
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
        // Who brought them in: the invite tree (ADR 0051).
        invited_by: invitedBy,
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

/**
 * Registration as the instance allows it: open, by invite (used up in the same transaction), by
 * approval (the account waits for a moderator, with its answers to the instance's questions, unless
 * a usable invite came along), or closed. An invite used records its maker as the inviter.
 */
export async function register(
  ctx: ServiceContext,
  _actor: Actor,
  input: {
    username: string;
    passphrase: string;
    invite?: string | undefined;
    /** Approval mode: the answers, in the order of the instance's questions. */
    answers?: (string | undefined)[] | undefined;
    /** What `admitRegistration` counted this attempt against: an invite must then be used by it. */
    admittedBy?: Admitted | undefined;
  },
): Promise<NewAccount> {
  const mode = await getRegistrationMode(ctx);
  if (mode === 'closed') throw new AppError('forbidden', 'auth.register.closed');
  const invite = input.invite?.trim() ?? '';
  // The invite is checked before the username, so someone without one cannot learn which names are taken.
  const inviteErrors: FieldError[] = [];
  if (mode === 'invite' && !invite) inviteErrors.push({ field: 'invite', message: 'auth.invite.required' });
  else if (mode === 'invite' && !(await isInviteUsable(ctx.db, invite, ctx.now)))
    inviteErrors.push({ field: 'invite', message: 'auth.invite.invalid' });
  // In approval mode an invite that works admits at once: its maker vouched for them.
  const applying = mode === 'approval' && !(invite && (await isInviteUsable(ctx.db, invite, ctx.now)));
  let answers: Answer[] = [];
  if (applying) {
    const checked = await checkAnswers(ctx, input.answers ?? []);
    answers = checked.pairs;
    inviteErrors.push(...checked.errors);
  }
  const prepared = await prepareAccount(ctx.db, { ...input, role: 'member' }, inviteErrors);
  return inTransaction(ctx.db, async (trx) => {
    let invitedBy: string | null = null;
    if (mode === 'invite' || (mode === 'approval' && !applying)) {
      const redeemed = await redeemInvite(trx, invite, ctx.now);
      if (!redeemed) throw invalid([{ field: 'invite', message: 'auth.invite.invalid' }]);
      invitedBy = redeemed.inviterId;
    }
    // Open registration needs no invite, but one brought along is used: it let this registration
    // past the address limit, and its uses are what bound that (ADR 0044).
    // An attempt let past the address limit on the invite's word must use it: concurrent attempts
    // with a one-use code all find it usable before any has used it, and only one may pass.
    if (mode === 'open' && invite) {
      const redeemed = await redeemInvite(trx, invite, ctx.now);
      if (!redeemed && input.admittedBy !== 'address')
        throw invalid([{ field: 'invite', message: 'auth.invite.invalid' }]);
      invitedBy = redeemed?.inviterId ?? null;
    }
    const account = await insertAccount({ ...ctx, db: trx }, prepared, 'user.register', invitedBy);
    if (!applying) return account;
    await submitApplication(trx, { userId: account.user.id, answers, now: ctx.now });
    return { ...account, pending: true };
  });
}

/**
 * Counts a registration against its limit before anything else is checked (ADR 0044): with an
 * invite usable now, against that invite (many people behind one Tor exit or NAT may each bring
 * one); otherwise, a wrong invite included, against the keyed hash of the address.
 */
export async function admitRegistration(
  ctx: ServiceContext,
  limits: RateLimits,
  input: { invite?: string | undefined; addressKey: string },
): Promise<Admitted> {
  const inviteId = await usableInviteId(ctx.db, input.invite?.trim() ?? '', ctx.now);
  if (inviteId) {
    await limits.consume('registerInvite', inviteId);
    return 'invite';
  }
  await limits.consume('register', input.addressKey);
  return 'address';
}

/** Which limit a registration attempt was counted against. */
export type Admitted = 'invite' | 'address';

/** What the sign-in limits need to know about where an attempt comes from. */
export interface AttemptOrigin {
  /** Keyed hash of the client address (never the address). */
  addressKey: string;
  /** The browser's device cookie, if it has one: `nonce` and `mac`. */
  device?: { nonce: string; mac: string } | undefined;
  /** Checks a device cookie against an account. */
  deviceMatches?: (userId: string, device: { nonce: string; mac: string }) => boolean;
}

type Lane = [LimitName, string];

/** Which limits one sign-in attempt spent, and whether its passphrase may be checked at all. */
interface Admission {
  spent: Lane[];
  /** Limits that still reset after a correct passphrase (the owner proved who they are). */
  clearOnSuccess: Lane[];
  /** Seconds to wait when the attempt is refused. */
  refusedFor: number;
}

/**
 * Limits for a browser without the account's device cookie (ADR 0016). Each address is slowed on
 * its own, so a stranger's guesses never block the owner elsewhere; once the account's failures from
 * all addresses pass a bound, every address is held to one attempt per quarter hour.
 */
async function admitStranger(limits: RateLimits, accountKey: string, addressKey: string): Promise<Admission> {
  const accountAddress: Lane = ['loginAccountAddress', `${accountKey}:${addressKey}`];
  const spent: Lane[] = [['loginAddress', addressKey], accountAddress, ['loginAccount', accountKey]];
  const [address, fromHere, underAttack] = await Promise.all(spent.map(([name, key]) => limits.attempt(name, key)));
  let refusedFor = Math.max(address!, fromHere!);
  const clearOnSuccess = [accountAddress];
  if (underAttack) {
    const slow: Lane = ['loginUnderAttack', `${accountKey}:${addressKey}`];
    spent.push(slow);
    clearOnSuccess.push(slow);
    refusedFor = Math.max(refusedFor, await limits.attempt(...slow));
  }
  return { spent, clearOnSuccess, refusedFor };
}

/**
 * Spends the attempt's limits before its passphrase is checked, atomically, so concurrent guesses
 * cannot all pass a check that is only counted afterwards.
 *
 * A request with a device cookie is refused only by that cookie's own limit, and spends the same
 * limits whatever username it names, so a seized cookie tried against usernames answers alike for
 * every one of them. When the cookie is not the account's, the stranger limits still bind, silently:
 * a refusal then looks exactly like a wrong passphrase.
 */
async function admitSignIn(
  limits: RateLimits,
  origin: AttemptOrigin,
  accountKey: string,
  trusted: boolean,
): Promise<Admission & { silentlyRefused: boolean }> {
  if (!origin.device)
    return { ...(await admitStranger(limits, accountKey, origin.addressKey)), silentlyRefused: false };
  const device: Lane = ['loginDevice', `${accountKey}:${origin.device.nonce}`];
  const refusedFor = await limits.attempt(...device);
  if (refusedFor) return { spent: [device], clearOnSuccess: [], refusedFor, silentlyRefused: false };
  const stranger = await admitStranger(limits, accountKey, origin.addressKey);
  return {
    spent: [device, ...stranger.spent],
    clearOnSuccess: [device, ...stranger.clearOnSuccess],
    refusedFor: 0,
    silentlyRefused: !trusted && stranger.refusedFor > 0,
  };
}

const invalidCredentials = () => new AppError('unauthenticated', 'auth.invalidCredentials');

/**
 * Checks a username and passphrase. Unknown usernames cost the same time and count against the
 * same limits as real ones, so neither the answer nor its timing tells them apart. No stranger's
 * guesses can keep the owner out: a browser that signed in before is counted on its own, and
 * others are slowed per address (ADR 0016).
 */
export async function signIn(
  ctx: ServiceContext,
  limits: RateLimits,
  input: { username: string; passphrase: string },
  origin: AttemptOrigin,
): Promise<PublicUser> {
  const name = normaliseUsername(input.username);
  const user = name.key
    ? await ctx.db
        .selectFrom('users')
        .select(['id', 'username', 'role', 'passphrase_hash'])
        .where('username_key', '=', name.key)
        .executeTakeFirst()
    : undefined;
  const trusted = Boolean(user && origin.device && origin.deviceMatches?.(user.id, origin.device));
  const admission = await admitSignIn(limits, origin, user ? user.id : `unknown:${name.key}`, trusted);
  if (admission.refusedFor) throw new AppError('rate_limited', 'error.rateLimited', [], admission.refusedFor);
  const ok =
    user && !admission.silentlyRefused
      ? await verifyPassphrase(user.passphrase_hash, input.passphrase)
      : await verifyAgainstNothing(input.passphrase);
  if (!user || !ok) throw invalidCredentials();
  // The owner's own attempt does not count against them, nor do their earlier typos from here.
  const cleared = new Set(admission.clearOnSuccess);
  await Promise.all(
    admission.spent.map((lane) => (cleared.has(lane) ? limits.reset(...lane) : limits.refund(...lane))),
  );
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
    ? await ctx.db
        .selectFrom('users')
        .select(['id', 'username', 'role'])
        .where('username_key', '=', name.key)
        .executeTakeFirst()
    : undefined;
  // Counted before the costly hashing, atomically. Codes carry ~98 bits, so no per-account limit is
  // needed, and none exists that a stranger could spend to block the owner's recovery.
  await limits.consume('recoveryAddress', origin.addressKey);
  const passphraseHash = await hashPassphrase(input.passphrase);
  const recovered = user
    ? await inTransaction(ctx.db, async (trx) => {
        const used =
          (await consumeRecoveryCode(trx, user.id, input.code)) ||
          (await consumeResetCode(trx, user.id, input.code, ctx.now));
        if (!used) return null;
        await trx.updateTable('users').set({ passphrase_hash: passphraseHash }).where('id', '=', user.id).execute();
        const ended = await trx.deleteFrom('sessions').where('user_id', '=', user.id).returning('id').execute();
        await sessionsRevoked(trx, user.id, ended, 'recovered', ctx.now);
        await recordAudit(trx, { actorId: user.id, action: 'user.recover', subject: user.id, now: ctx.now });
        return { user: presentUser(user), recoveryCodesLeft: await countRecoveryCodes(trx, user.id) };
      })
    : null;
  if (!recovered) throw new AppError('unauthenticated', 'auth.recover.invalid');
  await limits.refund('recoveryAddress', origin.addressKey);
  return recovered;
}
