import path from 'node:path';

export type RegistrationMode = 'open' | 'invite' | 'closed';
export const registrationModes: readonly RegistrationMode[] = ['open', 'invite', 'closed'];

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… when set; otherwise SQLite in dataDir. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
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
  /** Trust X-Forwarded-Proto from a reverse proxy (for HTTPS detection only). */
  trustProxy: boolean;
  /** All requests allowed from one address per minute (raise it for load tests or large NATs). */
  requestsPerMinute: number;
  /** How long a start waits for a database that does not answer yet before giving up. */
  databaseStartTimeoutSeconds: number;
  /** How long shutdown waits for requests in flight before closing their connections. */
  shutdownTimeoutSeconds: number;
  logLevel: string;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0),
    dataDir: path.resolve(env.SANAD_DATA || 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    registrationOverride: choice(env, 'SANAD_REGISTRATION', registrationModes),
    defaultLocale: choice(env, 'SANAD_DEFAULT_LOCALE', ['ar', 'en'] as const) ?? 'ar',
    secretKey: env.SANAD_SECRET_KEY || undefined,
    quickExitUrl: env.SANAD_QUICK_EXIT_URL || 'https://www.accuweather.com/',
    publicUrl: env.SANAD_PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    sessionIdleMinutes: integer(env, 'SANAD_SESSION_IDLE_MINUTES', 12 * 60),
    sessionAbsoluteDays: integer(env, 'SANAD_SESSION_MAX_DAYS', 14),
    trustProxy: env.SANAD_TRUST_PROXY === '1' || env.SANAD_TRUST_PROXY === 'true',
    requestsPerMinute: integer(env, 'SANAD_REQUESTS_PER_MINUTE', 600),
    databaseStartTimeoutSeconds: integer(env, 'SANAD_DB_START_TIMEOUT_SECONDS', 60, 0),
    shutdownTimeoutSeconds: integer(env, 'SANAD_SHUTDOWN_TIMEOUT_SECONDS', 10),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
