import type { JobDefinition } from '../../jobs/types.js';

/** The directory's scheduled work. */
export const resourceJobs: JobDefinition[] = [];
