import type { JobDefinition } from '../../jobs/types.js';
import { expireDrafts } from './services/drafts.js';

/** Drafts untouched for 30 days are deleted hourly (ADR 0040), on one worker at a time. */
export const discussionsJobs: JobDefinition[] = [
  { name: 'discussions.expireDrafts', everyMs: 60 * 60_000, run: async (ctx) => void (await expireDrafts(ctx)) },
];
