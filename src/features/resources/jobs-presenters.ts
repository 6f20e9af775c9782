import type { Static } from 'typebox';
import type { JobSchema } from './jobs-schemas.js';
import type { JobRow } from './services/jobs.js';

/**
 * Exactly what the API says about a job posting: no author, no search text, no verification
 * bookkeeping. Fields are as written, in the posting's `language`.
 */
export function presentJob(row: JobRow): Static<typeof JobSchema> {
  return {
    id: row.id,
    title: row.name ?? '',
    organization: { id: row.organization_id ?? '', name: row.organization_name ?? '' },
    description: row.description ?? '',
    language: row.language,
    country: row.country,
    city: row.city,
    remote: row.remote === 1,
    applyUrl: row.apply_url,
    applyContact: row.apply_contact,
    inclusionStatement: row.inclusion_statement ?? '',
    expiresAt: row.expires_at ?? 0,
    visibility: row.visibility,
    groupId: row.group_id,
    reviewState: row.review_state,
    createdAt: row.created_at,
  };
}
