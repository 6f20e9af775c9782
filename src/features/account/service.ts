import { eraseAnonymousPostsOf } from '../discussions/public.js';
import type { ServiceContext } from '../../app-context.js';
import type { Role } from '../../db/schema.js';
import { recordAudit } from '../../db/audit.js';
import { checkpointAfterErasure, inTransaction } from '../../db/database.js';
import { lockAdministrators } from '../../db/locks.js';
import { loadModules } from '../../platform/modules.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { Member } from '../../security/actor.js';
import { isAddressForm, type AddressForm } from '../../i18n/address.js';
import { checkPassphrase, hashPassphrase, verifyPassphrase } from '../../security/passphrase.js';
import { countRecoveryCodes, replaceRecoveryCodes } from '../auth/public.js';
import { canManageAccount } from './policy.js';
import { sessionsRevoked } from '../../security/sessions.js';
import { forgetEventsOf } from '../../events/outbox.js';

export interface Profile {
  id: string;
  username: string;
  role: Role;
  createdAt: number;
  recoveryCodesLeft: number;
  address: AddressForm;
}

async function loadOwnAccount(ctx: ServiceContext, actor: Member) {
  const row = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'created_at', 'passphrase_hash', 'address_form'])
    .where('id', '=', actor.id)
    .executeTakeFirst();
  if (!row || !canManageAccount(actor, row)) throw notFound();
  return row;
}

/** Every change to an account is confirmed with the current passphrase. */
async function confirmPassphrase(ctx: ServiceContext, actor: Member, current: string) {
  const row = await loadOwnAccount(ctx, actor);
  if (!current) throw invalid([{ field: 'current', message: 'account.current.required' }]);
  if (!(await verifyPassphrase(row.passphrase_hash, current))) {
    throw invalid([{ field: 'current', message: 'account.current.wrong' }]);
  }
  return row;
}

export async function getProfile(ctx: ServiceContext, actor: Member): Promise<Profile> {
  const row = await loadOwnAccount(ctx, actor);
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: row.created_at,
    recoveryCodesLeft: await countRecoveryCodes(ctx.db, row.id),
    address: row.address_form,
  };
}

/**
 * How the interface addresses the member (ADR 0037). Asks for no passphrase: it guards nothing.
 * No audit row either: a choice of grammatical gender is theirs alone, and the log outlives it.
 */
export async function setAddressForm(ctx: ServiceContext, actor: Member, input: { address: string }): Promise<void> {
  if (!isAddressForm(input.address)) throw invalid([{ field: 'address', message: 'account.address.invalid' }]);
  await loadOwnAccount(ctx, actor);
  await ctx.db.updateTable('users').set({ address_form: input.address }).where('id', '=', actor.id).execute();
}

export async function changePassphrase(
  ctx: ServiceContext,
  actor: Member,
  input: { current: string; passphrase: string; endOtherSessions: boolean },
): Promise<void> {
  const errors = checkPassphrase(input.passphrase, { username: actor.username.toLowerCase() });
  if (errors.length) throw invalid(errors);
  await confirmPassphrase(ctx, actor, input.current);
  const hash = await hashPassphrase(input.passphrase);
  await inTransaction(ctx.db, async (trx) => {
    await trx.updateTable('users').set({ passphrase_hash: hash }).where('id', '=', actor.id).execute();
    if (input.endOtherSessions) {
      let others = trx.deleteFrom('sessions').where('user_id', '=', actor.id);
      if (actor.sessionId) others = others.where('id', '!=', actor.sessionId);
      await sessionsRevoked(trx, actor.id, await others.returning('id').execute(), 'passphrase_changed', ctx.now);
    }
    // Any outstanding administrator reset code is void once the member chose a new passphrase.
    await trx.deleteFrom('reset_codes').where('user_id', '=', actor.id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'user.passphrase', subject: actor.id, now: ctx.now });
  });
}

export async function regenerateRecoveryCodes(
  ctx: ServiceContext,
  actor: Member,
  input: { current: string },
): Promise<string[]> {
  await confirmPassphrase(ctx, actor, input.current);
  return inTransaction(ctx.db, async (trx) => {
    const codes = await replaceRecoveryCodes(trx, actor.id);
    await recordAudit(trx, { actorId: actor.id, action: 'user.recoveryCodes', subject: actor.id, now: ctx.now });
    return codes;
  });
}

/**
 * Erases the member's anonymous posts, and only those, so they can go before and apart from the
 * account (ADR 0018). No audit row: it would tie the account to having written anonymously.
 */
export async function eraseAnonymousPosts(
  ctx: ServiceContext,
  actor: Member,
  input: { current: string; confirm: boolean },
): Promise<number> {
  if (!input.confirm) throw invalid([{ field: 'confirm', message: 'account.anonymous.confirmRequired' }]);
  await confirmPassphrase(ctx, actor, input.current);
  const erased = await inTransaction(ctx.db, (trx) => eraseAnonymousPostsOf({ ...ctx, db: trx }, actor.id));
  await checkpointAfterErasure(ctx);
  return erased;
}

/**
 * Deletes the account at once: every module's `eraseAccount` runs in this one transaction, then
 * the row goes, and with it (by foreign keys) sessions, recovery and reset codes, memberships. The audit row names nobody, since nothing may point back to the person.
 */
export async function deleteAccount(
  ctx: ServiceContext,
  actor: Member,
  input: { current: string; confirm: boolean },
): Promise<void> {
  if (!input.confirm) throw invalid([{ field: 'confirm', message: 'account.delete.confirmRequired' }]);
  await confirmPassphrase(ctx, actor, input.current);
  await inTransaction(ctx.db, async (trx) => {
    // The role is read again under the lock: the one in the session may be stale (ADR 0032).
    const admins = await lockAdministrators({ db: trx, engine: ctx.engine });
    const self = await trx.selectFrom('users').select('role').where('id', '=', actor.id).executeTakeFirst();
    if (self?.role === 'admin' && admins <= 1) throw new AppError('conflict', 'account.delete.lastAdmin');
    // Every module erases what it keeps about them (their words, anonymous ones included; their
    // groups handed on so none is left without an owner), then foreign keys take the rest.
    for (const module of await loadModules()) await module.eraseAccount?.({ ...ctx, db: trx }, actor.id);
    // Events not yet delivered no longer name them (those the erasers just recorded among them).
    await forgetEventsOf(trx, actor.id);
    await trx.deleteFrom('users').where('id', '=', actor.id).execute();
    // Earlier audit rows keep what happened but no longer say to whom.
    await trx.updateTable('audit_log').set({ subject: null }).where('subject', '=', actor.id).execute();
    await recordAudit(trx, { actorId: null, action: 'user.delete', subject: null, now: ctx.now });
  });
  await checkpointAfterErasure(ctx);
}
