import type { Locale } from './locales.js';

/**
 * Countries and territories, named in the reader's language by the runtime's own CLDR data
 * (Intl.DisplayNames), so the list needs no catalog of its own and no request to anyone.
 */
const notCountries = new Set([
  'EU',
  'EZ',
  'UN',
  'QO',
  'ZZ',
  'XA',
  'XB',
  'AN',
  'BU',
  'CS',
  'DD',
  'FX',
  'NT',
  'SU',
  'TP',
  'YD',
  'YU',
  'ZR',
]);

export const countryCodes: readonly string[] = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const codes: string[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (!notCountries.has(code) && names.of(code)) codes.push(code);
    }
  }
  return codes;
})();

const countrySet = new Set(countryCodes);
export const isCountryCode = (code: string): boolean => countrySet.has(code);

const regionNames = new Map<Locale, Intl.DisplayNames>();
export function countryName(locale: Locale, code: string): string {
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region' });
    regionNames.set(locale, names);
  }
  return names.of(code) ?? code;
}

const sorted = new Map<Locale, { code: string; name: string }[]>();
/** Every country, sorted by its name in the reader's language. */
export function countriesFor(locale: Locale): { code: string; name: string }[] {
  let list = sorted.get(locale);
  if (!list) {
    const collator = new Intl.Collator(locale);
    list = countryCodes
      .map((code) => ({ code, name: countryName(locale, code) }))
      .sort((x, y) => collator.compare(x.name, y.name));
    sorted.set(locale, list);
  }
  return list;
}

/** Languages a group can say it talks in. */
export const groupLanguages = ['ar', 'en', 'fr', 'fa', 'tr', 'ku', 'zgh', 'he', 'es', 'de'] as const;
export type GroupLanguage = (typeof groupLanguages)[number];
export const isGroupLanguage = (code: string): code is GroupLanguage =>
  (groupLanguages as readonly string[]).includes(code);

const languageNames = new Map<Locale, Intl.DisplayNames>();
export function languageName(locale: Locale, code: string): string {
  let names = languageNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'language' });
    languageNames.set(locale, names);
  }
  return names.of(code) ?? code;
}
