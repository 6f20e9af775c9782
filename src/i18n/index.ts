import { IntlMessageFormat } from 'intl-messageformat';
import { catalogs, type MessageKey } from './catalogs.js';
import type { Locale } from './locales.js';
import { defaultAddressForm, type AddressForm } from './address.js';

export { loadCatalogs } from './catalogs.js';
export type { MessageKey } from './catalogs.js';
export type MessageValues = Record<string, string | number | Date>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

const cache = new Map<string, IntlMessageFormat>();

function formatterFor(locale: Locale, key: MessageKey): IntlMessageFormat {
  const cacheKey = `${locale}\u0000${key}`;
  let formatter = cache.get(cacheKey);
  if (!formatter) {
    const source = catalogs[locale][key] ?? catalogs.en[key];
    // Feature modules' strings arrive with loadCatalogs(), which startRuntime awaits.
    if (source === undefined) throw new Error(`Missing message: ${key}`);
    // Messages are plain text: "<" is a character, never the start of a rich-text tag.
    formatter = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true });
    cache.set(cacheKey, formatter);
  }
  return formatter;
}

/**
 * Messages are plain text; views escape them like any other value. Every message also receives
 * `address`, the reader's chosen form of address (ADR 0037): visitors, the CLI and members who
 * chose nothing get the plural/neutral form.
 */
export function translator(locale: Locale, address: AddressForm = defaultAddressForm): Translate {
  return (key, values) => String(formatterFor(locale, key).format({ address, ...values }));
}

// Building an Intl formatter costs far more than using one: keep one per locale and style.
const numberFormats = new Map<Locale, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

export function formatDate(locale: Locale, epochMs: number, style: 'long' | 'medium' = 'long'): string {
  const key = `${locale}:${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' });
    dateFormats.set(key, format);
  }
  return format.format(epochMs);
}

/**
 * Day and time, for things where the hour matters (a notification). Times are in UTC, as every date
 * the server writes (it does not know the reader's zone and does not ask), so the zone is named.
 * Digits follow the locale as `formatNumber` does.
 */
export function formatDateTime(locale: Locale, epochMs: number): string {
  const key = `${locale}:datetime`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    });
    dateFormats.set(key, format);
  }
  return format.format(epochMs);
}
