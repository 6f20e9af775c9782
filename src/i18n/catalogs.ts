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
import type { Locale } from './locales.js';

const en = { ...commonEn, ...homeEn, ...authEn, ...sessionsEn, ...accountEn, ...adminEn };
const ar: Record<string, string> = { ...commonAr, ...homeAr, ...authAr, ...sessionsAr, ...accountAr, ...adminAr };

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
} as const;
