import fs from 'node:fs';
import path from 'node:path';
import { sqliteFileFor, type Runtime } from '../bootstrap.js';
import { serviceContext } from '../app-context.js';
import type { Role } from '../db/schema.js';
import { migrateToLatest } from '../db/migrate.js';
import { AppError } from '../platform/errors.js';
import type { Translate } from '../i18n/index.js';
import { systemActor } from '../security/actor.js';
import { readSecretKey, secretKeyFile } from '../security/secret-key.js';
import { normaliseUsername } from '../security/username.js';
import { createAccount } from '../features/auth/public.js';
import { createInvite, registerInviteUrl } from '../features/invites/public.js';
import { issueResetCode } from '../features/admin/public.js';
import { loadModules } from '../platform/modules.js';
import { startBackground } from '../platform/background.js';
import { lineLog } from '../process.js';

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
    const origin = runtime.ctx.config.publicUrl;
    return [
      invite.code,
      t('cli.invite.created', { uses: invite.usesLeft, date: new Date(invite.expiresAt).toISOString().slice(0, 10) }),
      // Without SANAD_PUBLIC_URL the command cannot know the site's address, so it prints no half link.
      ...(origin ? [t('cli.invite.link', { url: registerInviteUrl(origin, invite.code) })] : []),
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
 * A backup is a data folder: a consistent copy of the live SQLite database, taken online with
 * `VACUUM INTO`, and the secret key that belongs to it (ADR 0034). Without that key the copy
 * restores without anonymous posts' ties to their authors, so a backup never leaves it out
 * unless told to. VACUUM INTO reads one snapshot, so writes from the running server neither
 * restart nor block it (the page-by-page backup API starts over whenever another process
 * writes, and never finished on a busy instance); the copy is compact and keeps no deleted
 * content in free pages. startRuntime() has already checked the key against the database's
 * fingerprint, so the key copied is the one the database was made with. On failure nothing is
 * left behind.
 */
export async function backupCommand(
  runtime: Runtime,
  t: Translate,
  folder: string,
  options: { envKey?: 'include' | 'leave-out' } = {},
): Promise<string[]> {
  const sqlite = runtime.database.sqlite;
  const config = runtime.ctx.config;
  if (!sqlite) throw new CliError(t('cli.backup.postgres'), 2);
  const fromEnv = Boolean(config.secretKey);
  if (fromEnv && !options.envKey) throw new CliError(t('cli.backup.envKey'), 2);
  const key = readSecretKey(config.dataDir, config.secretKey);
  if (!key) throw new CliError(t('cli.backup.noKey'));
  const target = path.resolve(folder);
  if (fs.existsSync(target)) throw new CliError(t('cli.backup.exists', { file: target }));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.mkdirSync(target, { mode: 0o700 });
  const database = path.join(target, path.basename(sqliteFileFor(config)));
  try {
    // Create the file owner-only (and empty, as VACUUM INTO requires) before SQLite writes a page into it.
    fs.closeSync(fs.openSync(database, 'wx', 0o600));
    // exec() prepares no statement object (see withStatementCache); the path is quoted as an SQL string.
    sqlite.exec(`VACUUM INTO '${database.replaceAll("'", "''")}'`);
    fs.chmodSync(database, 0o600);
    if (!fromEnv || options.envKey === 'include') {
      fs.writeFileSync(secretKeyFile(target), key.key, { mode: 0o600, flag: 'wx' });
    }
  } catch (error) {
    fs.rmSync(target, { recursive: true, force: true });
    throw new CliError(t('cli.backup.failed', { reason: error instanceof Error ? error.message : String(error) }));
  }
  return [
    t('cli.backup.done', { folder: target }),
    fromEnv && options.envKey === 'leave-out'
      ? t('cli.backup.keyLeftOut')
      : t('cli.backup.restore', { folder: target }),
  ];
}

/** Runs jobs and event delivery in the foreground until `until` resolves, then waits for the work under way. */
export async function workCommand(runtime: Runtime, t: Translate, until: Promise<void>): Promise<string[]> {
  const background = startBackground(runtime.ctx, await loadModules(), lineLog(runtime.ctx.config.logLevel));
  await until;
  await background.stop();
  return [t('cli.work.stopped')];
}
