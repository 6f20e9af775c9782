import fs from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../bootstrap.js';
import { serviceContext } from '../app-context.js';
import type { Role } from '../db/schema.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError } from '../platform/errors.js';
import type { Translate } from '../i18n/index.js';
import { systemActor } from '../security/actor.js';
import { normaliseUsername } from '../security/username.js';
import { createAccount } from '../features/auth/public.js';
import { createInvite } from '../features/invites/public.js';
import { issueResetCode } from '../features/admin/public.js';

/** Operator commands, callable from tests as well as from the command line. Each returns its output lines. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Service errors carry message keys; the operator reads them in their language. */
function explain(t: Translate, error: unknown): never {
  if (error instanceof AppError) {
    const details = error.fields.map((f) => t(f.message, f.values));
    throw new CliError([t(error.messageKey), ...details].join('\n'));
  }
  throw error;
}

export async function migrateCommand(runtime: Runtime, t: Translate): Promise<string[]> {
  const applied = await migrateToLatest(runtime.ctx.db, runtime.database.pgSchema);
  return [t('cli.migrate.done', { count: applied.length })];
}

export async function createUserCommand(
  runtime: Runtime,
  t: Translate,
  input: { username: string; passphrase: string; role: Role },
): Promise<string[]> {
  try {
    const account = await createAccount(serviceContext(runtime.ctx), input);
    return [
      t('cli.user.created', { name: account.user.username, role: account.user.role }),
      t('cli.user.codes'),
      ...account.recoveryCodes,
    ];
  } catch (error) {
    explain(t, error);
  }
}

export async function createInviteCommand(
  runtime: Runtime,
  t: Translate,
  input: { uses?: number; days?: number },
): Promise<string[]> {
  try {
    const invite = await createInvite(serviceContext(runtime.ctx), systemActor, input);
    return [
      invite.code,
      t('cli.invite.created', { uses: invite.usesLeft, date: new Date(invite.expiresAt).toISOString().slice(0, 10) }),
    ];
  } catch (error) {
    explain(t, error);
  }
}

export async function resetUserCommand(runtime: Runtime, t: Translate, username: string): Promise<string[]> {
  const key = normaliseUsername(username).key;
  const user = await runtime.ctx.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username_key', '=', key)
    .executeTakeFirst();
  if (!user) throw new CliError(t('cli.user.notFound', { name: username }));
  const reset = await issueResetCode(serviceContext(runtime.ctx), systemActor, user.id);
  return [
    reset.code,
    t('cli.reset.created', {
      name: user.username,
      date: new Date(reset.expiresAt).toISOString().slice(0, 16).replace('T', ' '),
    }),
  ];
}

/**
 * A consistent copy of the live SQLite database, taken online with `VACUUM INTO`: it reads one
 * snapshot, so writes from the running server neither restart nor block it (the page-by-page
 * backup API starts over whenever another process writes, and never finished on a busy instance).
 * The copy is compact and keeps no deleted content in free pages. On failure nothing is left behind.
 */
export async function backupCommand(runtime: Runtime, t: Translate, file: string): Promise<string[]> {
  const sqlite = runtime.database.sqlite;
  if (!sqlite) throw new CliError(t('cli.backup.postgres'), 2);
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new CliError(t('cli.backup.exists', { file: target }));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Create the file owner-only (and empty, as VACUUM INTO requires) before SQLite writes a page into it.
  fs.closeSync(fs.openSync(target, 'wx', 0o600));
  try {
    // exec() prepares no statement object (see withStatementCache); the path is quoted as an SQL string.
    sqlite.exec(`VACUUM INTO '${target.replaceAll("'", "''")}'`);
  } catch (error) {
    for (const leftover of [target, `${target}-journal`, `${target}-wal`]) fs.rmSync(leftover, { force: true });
    throw new CliError(t('cli.backup.failed', { reason: error instanceof Error ? error.message : String(error) }));
  }
  fs.chmodSync(target, 0o600);
  return [t('cli.backup.done', { file: target })];
}
