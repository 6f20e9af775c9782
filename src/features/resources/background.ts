import type { JobDefinition } from '../../jobs/types.js';
import { deleteLongExpiredJobs } from './services/jobs.js';
import { queueLapsedVerifications } from './services/verification.js';

const day = 24 * 60 * 60_000;

/** The directory's scheduled work. */
export const resourceJobs: JobDefinition[] = [
  // Job postings expired more than 90 days ago are deleted, notes and corrections with them (ADR 0058).
  {
    name: 'resources.deleteExpiredJobs',
    everyMs: day,
    run: async (ctx) => void (await deleteLongExpiredJobs(ctx)),
  },
  {
    // Daily: a mark lapses on a day, and a keeper needs no more than a day's notice to check it again.
    name: 'resources.requeueLapsed',
    everyMs: day,
    run: async (ctx) => void (await queueLapsedVerifications(ctx)),
  },
];
