import type { JobDefinition } from '../../jobs/types.js';
import { systemActor } from '../../security/actor.js';
import { expireGroupInvites } from './services/invite-links.js';

export const groupJobs: JobDefinition[] = [
  {
    name: 'groups.expireInvites',
    everyMs: 60 * 60_000,
    run: async (ctx) => void (await expireGroupInvites(ctx, systemActor)),
  },
];
