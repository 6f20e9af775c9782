import type { JobDefinition } from '../../jobs/types.js';
import { deleteLongExpiredJobs } from './services/jobs.js';

/** The directory's scheduled work. */
export const resourceJobs: JobDefinition[] = [
  // Job postings expired more than 90 days ago are deleted, notes and corrections with them (ADR 0058).
  {
    name: 'resources.deleteExpiredJobs',
    everyMs: 24 * 60 * 60_000,
    run: async (ctx) => void (await deleteLongExpiredJobs(ctx)),
  },
];
