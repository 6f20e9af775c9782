// Every visible string lives in these catalogs: a shared one and one per feature.
import commonAr from './messages/ar.json' with { type: 'json' };
import commonEn from './messages/en.json' with { type: 'json' };
import homeAr from '../features/home/messages/ar.json' with { type: 'json' };
import homeEn from '../features/home/messages/en.json' with { type: 'json' };
import authAr from '../features/auth/messages/ar.json' with { type: 'json' };
import authEn from '../features/auth/messages/en.json' with { type: 'json' };
import sessionsAr from '../features/sessions/messages/ar.json' with { type: 'json' };
import sessionsEn from '../features/sessions/messages/en.json' with { type: 'json' };
import accountAr from '../features/account/messages/ar.json' with { type: 'json' };
import accountEn from '../features/account/messages/en.json' with { type: 'json' };
import adminAr from '../features/admin/messages/ar.json' with { type: 'json' };
import adminEn from '../features/admin/messages/en.json' with { type: 'json' };
import groupsAr from '../features/groups/messages/ar.json' with { type: 'json' };
import groupsEn from '../features/groups/messages/en.json' with { type: 'json' };
import discussionsAr from '../features/discussions/messages/ar.json' with { type: 'json' };
import discussionsEn from '../features/discussions/messages/en.json' with { type: 'json' };
import notificationsAr from '../features/notifications/messages/ar.json' with { type: 'json' };
import notificationsEn from '../features/notifications/messages/en.json' with { type: 'json' };
import searchAr from '../features/search/messages/ar.json' with { type: 'json' };
import searchEn from '../features/search/messages/en.json' with { type: 'json' };
import type { Locale } from './locales.js';

const en = {
  ...commonEn,
  ...homeEn,
  ...authEn,
  ...sessionsEn,
  ...accountEn,
  ...adminEn,
  ...groupsEn,
  ...discussionsEn,
  ...notificationsEn,
  ...searchEn,
};
const ar: Record<string, string> = {
  ...commonAr,
  ...homeAr,
  ...authAr,
  ...sessionsAr,
  ...accountAr,
  ...adminAr,
  ...groupsAr,
  ...discussionsAr,
  ...notificationsAr,
  ...searchAr,
};

/** English is the reference for the key type; a test checks Arabic has exactly the same keys. */
export type MessageKey = keyof typeof en;

export const catalogs: Record<Locale, Partial<Record<MessageKey, string>>> = { ar, en };

/** Per-file catalogs, for the completeness test. */
export const catalogFiles = {
  common: { ar: commonAr, en: commonEn },
  home: { ar: homeAr, en: homeEn },
  auth: { ar: authAr, en: authEn },
  sessions: { ar: sessionsAr, en: sessionsEn },
  account: { ar: accountAr, en: accountEn },
  admin: { ar: adminAr, en: adminEn },
  groups: { ar: groupsAr, en: groupsEn },
  discussions: { ar: discussionsAr, en: discussionsEn },
  notifications: { ar: notificationsAr, en: notificationsEn },
  search: { ar: searchAr, en: searchEn },
} as const;
