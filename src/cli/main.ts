import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { loadConfig } from '../config.js';
import { startRuntime } from '../bootstrap.js';
import { loadCatalogs, translator } from '../i18n/index.js';
import { isRole } from '../security/actor.js';
import {
  backupCommand,
  CliError,
  createInviteCommand,
  createUserCommand,
  migrateCommand,
  resetUserCommand,
  workCommand,
} from './commands.js';

const locale =
  process.env.SANAD_LOCALE === 'ar' || (!process.env.SANAD_LOCALE && process.env.LANG?.startsWith('ar')) ? 'ar' : 'en';
const t = translator(locale);
// Usage and argument errors are said before any runtime starts.
await loadCatalogs();

/**
 * The passphrase: typed without echo at a terminal, or the first line of piped input. It never
 * goes on the command line, where shell history and process lists would keep it.
 */
async function readPassphrase(): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) {
    process.stderr.write(t('cli.user.passphrasePrompt'));
    input.setRawMode(true);
    input.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') {
            finish();
            return resolve(typed);
          }
          if (char === '\u0003') {
            finish();
            return reject(new CliError(t('cli.cancelled')));
          }
          typed = char === '\u007f' ? Array.from(typed).slice(0, -1).join('') : typed + char;
        }
      };
      const finish = () => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        process.stderr.write('\n');
      };
      input.on('data', onData);
    });
  }
  const lines = readline.createInterface({ input, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

function positiveInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(t('cli.notANumber', { value }));
  return Number(value);
}

/** Resolves at the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(t('cli.help'));
    return command ? 0 : 1;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      role: { type: 'string', default: 'member' },
      uses: { type: 'string' },
      days: { type: 'string' },
      'with-env-key': { type: 'boolean' },
      'without-key': { type: 'boolean' },
    },
  });
  const known = ['migrate', 'user:create', 'invite:create', 'user:reset', 'backup', 'work'];
  if (!known.includes(command)) throw new CliError(`${t('cli.unknown', { command })}\n\n${t('cli.help')}`);

  // A backup copies the database as it is; it never changes it first. The CLI never makes a key for
  // PostgreSQL: the servers' key lives wherever they run, so a new one here would be a second key (ADR 0034).
  const config = loadConfig();
  // pg_dump backs up PostgreSQL: say so before anything else, without even opening the database.
  if (command === 'backup' && config.databaseUrl) throw new CliError(t('cli.backup.postgres'), 2);
  const runtime = await startRuntime(config, {
    migrate: command !== 'migrate' && command !== 'backup',
    createKey: !config.databaseUrl,
  });
  try {
    let output: string[];
    switch (command) {
      case 'migrate':
        output = await migrateCommand(runtime, t);
        break;
      case 'user:create': {
        if (!values.username) throw new CliError(t('cli.user.usernameRequired'));
        const role = values.role;
        if (!isRole(role)) throw new CliError(t('cli.user.badRole'));
        const passphrase = await readPassphrase();
        output = await createUserCommand(runtime, t, { username: values.username, passphrase, role });
        break;
      }
      case 'invite:create':
        output = await createInviteCommand(runtime, t, {
          ...(values.uses ? { uses: positiveInteger(values.uses)! } : {}),
          ...(values.days ? { days: positiveInteger(values.days)! } : {}),
        });
        break;
      case 'user:reset':
        if (!positionals[0]) throw new CliError(t('cli.user.usernameRequired'));
        output = await resetUserCommand(runtime, t, positionals[0]);
        break;
      case 'work':
        console.log(t('cli.work.started', { engine: runtime.ctx.engine }));
        output = await workCommand(runtime, t, untilSignal());
        break;
      default:
        if (!positionals[0]) throw new CliError(t('cli.backup.fileRequired'));
        if (values['with-env-key'] && values['without-key']) throw new CliError(t('cli.backup.envKey'), 2);
        output = await backupCommand(runtime, t, positionals[0], {
          ...(values['with-env-key'] ? { envKey: 'include' as const } : {}),
          ...(values['without-key'] ? { envKey: 'leave-out' as const } : {}),
        });
    }
    console.log(output.join('\n'));
    return 0;
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CliError) {
      console.error(error.message);
      process.exit(error.exitCode);
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
