import type { JobDefinition } from '../../jobs/types.js';
import { queueLapsedVerifications } from './services/verification.js';

/** The directory's scheduled work. */
export const resourceJobs: JobDefinition[] = [
  {
    // Daily: a mark lapses on a day, and a keeper needs no more than a day's notice to check it again.
    name: 'resources.requeueLapsed',
    everyMs: 24 * 60 * 60_000,
    run: async (ctx) => void (await queueLapsedVerifications(ctx)),
  },
];
