import type { JobDefinition } from '../../jobs/types.js';
import { promoteByRules } from './service.js';

export const trustJobs: JobDefinition[] = [
  {
    // Hourly: days on the instance are counted in whole days, so nobody waits long past a threshold.
    name: 'trust.promote',
    everyMs: 60 * 60_000,
    run: async (ctx) => void (await promoteByRules(ctx)),
  },
];
