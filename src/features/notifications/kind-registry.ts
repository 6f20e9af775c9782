import type { ComputedNotices, NotificationKindDefinition } from '../../platform/notification-kinds.js';
import { loadModules } from '../../platform/modules.js';

let kinds: Promise<Map<string, NotificationKindDefinition>> | undefined;

/**
 * Every notification kind, by name: those the modules declare (`notificationKinds` in each
 * feature's entry), in module order, which is the order the preferences page lists them.
 * `checkModules` has already refused a kind declared twice.
 */
export function notificationKinds(): Promise<Map<string, NotificationKindDefinition>> {
  kinds ??= loadModules().then(
    (modules) =>
      new Map(modules.flatMap((module) => (module.notificationKinds ?? []).map((k) => [k.kind, k] as const))),
  );
  return kinds;
}

let computed: Promise<ComputedNotices[]> | undefined;

/** The notices modules work out when asked (ADR 0043), in module order. */
export function computedNotices(): Promise<ComputedNotices[]> {
  computed ??= loadModules().then((modules) => modules.flatMap((module) => module.computedNotices ?? []));
  return computed;
}
