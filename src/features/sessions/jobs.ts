import type { JobDefinition } from '../../jobs/types.js';
import { systemActor } from '../../security/actor.js';
import { expireSessions } from './service.js';

export const sessionJobs: JobDefinition[] = [
  { name: 'sessions.expire', everyMs: 60 * 60_000, run: async (ctx) => void (await expireSessions(ctx, systemActor)) },
];
