import type { JobDefinition } from '../../jobs/types.js';
import { systemActor } from '../../security/actor.js';
import { expireInvites } from './service.js';

export const inviteJobs: JobDefinition[] = [
  { name: 'invites.expire', everyMs: 60 * 60_000, run: async (ctx) => void (await expireInvites(ctx, systemActor)) },
];
