import type { NotificationKindDefinition } from '../../platform/notification-kinds.js';

/** The notification kinds administration emits (it owns their words: `admin.notification.*`). */
export const adminNotificationKinds: NotificationKindDefinition[] = [
  {
    // About the account itself (no subject). It cannot be turned off: it is how a member learns that
    // someone could take the account over, and a new passphrase makes the code useless.
    kind: 'reset_code',
    labelKey: 'admin.notification.label.reset_code',
    alwaysOn: true,
    render: async (_ctx, _reader, items) =>
      new Map(
        items.map((n) => [
          n.id,
          { message: { key: 'admin.notification.reset_code', values: {} }, href: '/account#change-passphrase' },
        ]),
      ),
  },
];
