import type { JobDefinition } from '../../jobs/types.js';
import { systemActor } from '../../security/actor.js';
import { purgeExpiredKept } from '../../security/kept.js';
import { expireSessions } from './service.js';

export const sessionJobs: JobDefinition[] = [
  { name: 'sessions.expire', everyMs: 60 * 60_000, run: async (ctx) => void (await expireSessions(ctx, systemActor)) },
  // Text kept when a session ended (ADR 0041) is deleted once its day is over, whether or not it was used.
  { name: 'sessions.purgeKept', everyMs: 60 * 60_000, run: async (ctx) => void (await purgeExpiredKept(ctx)) },
];
