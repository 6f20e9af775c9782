import type { Locale } from '../../i18n/locales.js';

/** Per-field translations of a record (ADR 0053): `{"en":{"name":"…","description":"…"}}`. */
export type Translations = Partial<Record<string, Partial<Record<string, string>>>>;

export function parseTranslations(json: string | null): Translations {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Translations) : {};
  } catch {
    return {};
  }
}

/**
 * A field in the reader's language when the record has it, else as the record was written, with
 * the language it is in (for `lang` and `dir` on the page).
 */
export function localised(
  record: { translations: string | null; language?: string | null } & Record<string, unknown>,
  field: string,
  locale: Locale,
): { text: string | null; lang: string | null } {
  const translated = parseTranslations(record.translations)[locale]?.[field];
  if (typeof translated === 'string' && translated.trim() !== '') return { text: translated, lang: locale };
  const own = record[field];
  return { text: typeof own === 'string' && own !== '' ? own : null, lang: record.language ?? null };
}
