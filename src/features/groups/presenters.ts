import type { Viewer } from './policy.js';
import { activityDayOf } from './queries.js';
import type { Group, GroupView } from './schemas.js';

/** The one presenter of a group: its schema (GroupSchema in schemas.ts) drops anything it does not list. */
export function presentGroup(group: Group, viewer?: Pick<Viewer, 'membership' | 'pendingRequest'>): GroupView {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    languages: group.languages,
    country: group.country,
    city: group.city,
    visibility: group.visibility,
    tags: group.tags,
    questions: group.questions,
    membersListOpen: group.membersListOpen,
    anonymousPosting: group.anonymousPosting,
    lastActivityAt: viewer?.membership ? group.lastActivityAt : activityDayOf(group.lastActivityAt),
    membership: viewer?.membership ?? null,
    pendingRequest: viewer?.pendingRequest ?? false,
  };
}
