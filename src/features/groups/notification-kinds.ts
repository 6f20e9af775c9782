import type { ServiceContext } from '../../app-context.js';
import type {
  NotificationKindDefinition,
  RenderedNotification,
  StoredNotification,
} from '../../platform/notification-kinds.js';
import type { Member } from '../../security/actor.js';
import { canModerate, canReadContent, canSeeGroup, type Viewer } from './policy.js';
import { groupAccessOf, type GroupAccess } from './queries.js';

type Rule = (where: GroupAccess) => RenderedNotification | null;

/** Notices about joining a group: the group is their subject (and their context's `groupId`). */
function renderWith(rule: Rule): NotificationKindDefinition['render'] {
  return async (ctx: ServiceContext, reader: Member, items: StoredNotification[]) => {
    const access = await groupAccessOf(
      ctx.db,
      reader,
      items.flatMap((n) => (n.subjectId ? [n.subjectId] : [])),
      ctx.keys.anonymity,
    );
    return new Map(
      items.map((n) => {
        const where = n.subjectId ? access.get(n.subjectId) : undefined;
        return [n.id, where ? rule(where) : null];
      }),
    );
  };
}

const named = (key: string, where: GroupAccess, href: string): RenderedNotification => ({
  message: { key, values: {}, names: { group: where.group.name } },
  href,
});
const sees = (v: Viewer, where: GroupAccess) => canSeeGroup(v, where.group);

/** The notification kinds groups emit (it owns their words: `groups.notification.*`). */
export const groupsNotificationKinds: NotificationKindDefinition[] = [
  {
    // For the group's moderators, while they may still decide requests.
    kind: 'join_request',
    labelKey: 'groups.notification.label.join_request',
    render: renderWith((where) =>
      sees(where.viewer, where) && canModerate(where.viewer)
        ? named('groups.notification.join_request', where, `/groups/${where.group.id}/requests`)
        : null,
    ),
  },
  {
    // Gone once the member can no longer read the group (removed from it, or banned).
    kind: 'join_approved',
    labelKey: 'groups.notification.label.join_approved',
    render: renderWith((where) =>
      sees(where.viewer, where) && canReadContent(where.viewer, where.group)
        ? named('groups.notification.join_approved', where, `/groups/${where.group.id}`)
        : null,
    ),
  },
  {
    // The answer to one's own request stays, but names the group only while the member may see it
    // (a private group that became hidden declines its waiting requests).
    kind: 'join_declined',
    labelKey: 'groups.notification.label.join_declined',
    render: renderWith((where) =>
      sees(where.viewer, where)
        ? named('groups.notification.join_declined', where, `/groups/${where.group.id}`)
        : { message: { key: 'groups.notification.join_declined_unnamed', values: {} }, href: '/groups' },
    ),
  },
  {
    // For the group's members, saying what its visibility shows now: nothing once they left it, and
    // nothing if it was made hidden again since (the news no longer holds).
    kind: 'group_visibility_raised',
    labelKey: 'groups.notification.label.group_visibility_raised',
    render: renderWith((where) =>
      sees(where.viewer, where) && where.viewer.membership !== null && where.group.visibility !== 'hidden'
        ? named(`groups.notification.visibility_${where.group.visibility}`, where, `/groups/${where.group.id}`)
        : null,
    ),
  },
];
