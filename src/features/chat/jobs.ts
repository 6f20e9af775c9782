import type { JobDefinition } from '../../jobs/types.js';
import { purgeChat } from './services/purge.js';

/**
 * Expired messages, tombstones a day old and messages past the instance's retention leave the
 * database every 30 seconds, so within a minute of expiring (ADR 0062), on one worker at a time.
 */
export const chatJobs: JobDefinition[] = [
  { name: 'chat.purge', everyMs: 30_000, run: async (ctx) => void (await purgeChat(ctx)) },
];
