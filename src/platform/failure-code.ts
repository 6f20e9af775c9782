/**
 * What the outbox and the jobs table keep about a failure, and what the logs say: a short code
 * (`23505`, `SQLITE_BUSY`, `ECONNRESET`, `TypeError`), never an error's message, which could quote
 * data (a constraint naming a value, a post's words).
 */
export function failureCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code)) return code;
  const name = error instanceof Error ? error.constructor.name || error.name : typeof error;
  return /^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : 'Error';
}

/** Exponential back-off: `base`, twice that, four times, … never more than `max`. */
export function backoff(attempts: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

export interface BackgroundLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
