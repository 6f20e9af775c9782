import type { JobDefinition } from '../../jobs/types.js';
import { pruneNotifications } from './service.js';

/** Old notifications go hourly (ADR 0024), on one worker at a time whatever the number of instances. */
export const notificationJobs: JobDefinition[] = [
  { name: 'notifications.prune', everyMs: 60 * 60_000, run: async (ctx) => void (await pruneNotifications(ctx)) },
];
