// Temporary: collects the notification kinds from the features that own them. When every feature
// declares `notificationKinds` in its module entry, this becomes a loop over the modules.
import type { NotificationKindDefinition } from '../../platform/notification-kinds.js';
import { adminNotificationKinds } from '../admin/notification-kinds.js';
import { discussionsNotificationKinds } from '../discussions/notification-kinds.js';
import { groupsNotificationKinds } from '../groups/notification-kinds.js';

let kinds: Map<string, NotificationKindDefinition> | undefined;

/** Every notification kind, by name, in the order the preferences page lists them. */
export function notificationKinds(): Map<string, NotificationKindDefinition> {
  if (!kinds) {
    kinds = new Map();
    for (const definition of [...discussionsNotificationKinds, ...groupsNotificationKinds, ...adminNotificationKinds]) {
      if (kinds.has(definition.kind)) throw new Error(`Notification kind declared twice: ${definition.kind}`);
      kinds.set(definition.kind, definition);
    }
  }
  return kinds;
}
