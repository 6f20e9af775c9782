import type { JobDefinition } from '../../jobs/types.js';
import { systemActor } from '../../security/actor.js';
import { expireResetCodes } from './reset-codes.js';

export const adminJobs: JobDefinition[] = [
  {
    name: 'admin.expireResetCodes',
    everyMs: 60 * 60_000,
    run: async (ctx) => void (await expireResetCodes(ctx, systemActor)),
  },
];
