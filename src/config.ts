import net from 'node:net';
import path from 'node:path';

/** What one process does: serve HTTP, run event delivery and jobs, or both (ADR 0027). */
export type ProcessMode = 'all' | 'web' | 'worker';
export const processModes: readonly ProcessMode[] = ['all', 'web', 'worker'];

/** `approval`: anyone may apply, and a moderator admits or declines each applicant (ADR 0051). */
export type RegistrationMode = 'open' | 'invite' | 'approval' | 'closed';
export const registrationModes: readonly RegistrationMode[] = ['open', 'invite', 'approval', 'closed'];

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… when set; otherwise SQLite in dataDir. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /**
   * The name the real-time bus publishes under (a Redis channel prefix, a PostgreSQL NOTIFY channel):
   * instances that share it meet; instances of different sites on one Redis keep apart (ADR 0061).
   */
  realtimeChannel: string;
  /** Overrides the registration mode stored in the instance settings. */
  registrationOverride: RegistrationMode | undefined;
  defaultLocale: 'ar' | 'en';
  /** Set when the key comes from the environment rather than the data folder. */
  secretKey: string | undefined;
  /** Where quick exit sends people: a neutral site. */
  quickExitUrl: string;
  /** Public origin, used for the setup link and to decide on Secure cookies and HSTS. */
  publicUrl: string | undefined;
  sessionIdleMinutes: number;
  sessionAbsoluteDays: number;
  /**
   * Which reverse proxies to believe about the client's address and protocol: false (none), a
   * number of proxy hops in front of Sanad, or the proxies' own addresses and CIDR ranges.
   */
  trustProxy: TrustProxy;
  /** All requests allowed from one address per minute (raise it for load tests or large NATs). */
  requestsPerMinute: number;
  /** How long a start waits for a database that does not answer yet before giving up. */
  databaseStartTimeoutSeconds: number;
  /** How long shutdown waits for requests in flight before closing their connections. */
  shutdownTimeoutSeconds: number;
  logLevel: string;
  /** `all` (default): HTTP and background work; `web`: HTTP only; `worker`: event delivery and jobs only. */
  processMode: ProcessMode;
}

export type TrustProxy = false | number | string[];

/** Names proxy-addr understands for whole private ranges. */
const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * `1` (or `true`) means one proxy in front: the client is the address that proxy appended to
 * the forwarded-for header, never anything the client wrote before it. A larger number counts more hops; a
 * comma-separated list names the proxies' addresses or ranges instead.
 */
function trustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '0' || value === 'false') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length || !entries.every(isAddressOrRange)) {
    throw new Error(
      'SANAD_TRUST_PROXY must be a number of proxies or a comma-separated list of proxy addresses or CIDR ranges',
    );
  }
  return entries;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return value;
}

function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

function channelName(raw: string | undefined): string {
  if (!raw) return 'sanad';
  if (!/^[a-z0-9_]{1,40}$/.test(raw)) throw new Error('SANAD_REALTIME_CHANNEL must be 1 to 40 of a-z, 0-9 and _');
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0),
    dataDir: path.resolve(env.SANAD_DATA || 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    realtimeChannel: channelName(env.SANAD_REALTIME_CHANNEL),
    registrationOverride: choice(env, 'SANAD_REGISTRATION', registrationModes),
    defaultLocale: choice(env, 'SANAD_DEFAULT_LOCALE', ['ar', 'en'] as const) ?? 'ar',
    secretKey: env.SANAD_SECRET_KEY || undefined,
    quickExitUrl: env.SANAD_QUICK_EXIT_URL || 'https://www.accuweather.com/',
    publicUrl: env.SANAD_PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    sessionIdleMinutes: integer(env, 'SANAD_SESSION_IDLE_MINUTES', 12 * 60),
    sessionAbsoluteDays: integer(env, 'SANAD_SESSION_MAX_DAYS', 14),
    trustProxy: trustProxy(env.SANAD_TRUST_PROXY),
    requestsPerMinute: integer(env, 'SANAD_REQUESTS_PER_MINUTE', 600),
    databaseStartTimeoutSeconds: integer(env, 'SANAD_DB_START_TIMEOUT_SECONDS', 60, 0),
    shutdownTimeoutSeconds: integer(env, 'SANAD_SHUTDOWN_TIMEOUT_SECONDS', 10),
    logLevel: env.LOG_LEVEL || 'info',
    processMode: choice(env, 'SANAD_PROCESS', processModes) ?? 'all',
  };
}
