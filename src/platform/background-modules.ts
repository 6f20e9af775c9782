// Temporary: the background work's own declarations, listed by hand until module discovery
// (`loadModules()`) takes their place; each entry then moves to its feature's module entry.
import { adminJobs } from '../features/admin/jobs.js';
import { groupJobs } from '../features/groups/jobs.js';
import { inviteJobs } from '../features/invites/jobs.js';
import { notificationJobs } from '../features/notifications/jobs.js';
import { sessionJobs } from '../features/sessions/jobs.js';
import { adminSubscribers } from '../features/admin/subscribers.js';
import { discussionsSubscribers } from '../features/discussions/subscribers.js';
import { groupsSubscribers } from '../features/groups/subscribers.js';
import type { FeatureModule } from './module.js';

export function backgroundModules(): FeatureModule[] {
  return [
    { name: 'sessions', jobs: sessionJobs },
    { name: 'invites', jobs: inviteJobs },
    { name: 'groups', jobs: groupJobs, subscribers: groupsSubscribers },
    { name: 'discussions', subscribers: discussionsSubscribers },
    { name: 'admin', jobs: adminJobs, subscribers: adminSubscribers },
    { name: 'notifications', jobs: notificationJobs },
  ];
}
