import type { DbOrTx } from '../../../db/database.js';
import type { MessageKey } from '../../../i18n/index.js';
import { groupLanguages, isCountryCode } from '../../../i18n/regions.js';
import { type FieldError, invalid } from '../../../platform/errors.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import {
  contentLanguages,
  costs,
  type ListingInput,
  listingLimits,
  listingVisibilities,
  type WeekDay,
  weekDays,
  weekStarts,
} from '../schemas.js';

/** A listing as the service writes it: every field checked and tidied. */
export interface ListingDraft {
  organization: { id: string } | { name: string };
  name: string;
  description: string;
  language: 'ar' | 'en';
  translation: { name: string | null; description: string | null };
  terms: string[];
  visibility: 'public' | 'members' | 'group';
  groupId: string | null;
  country: string | null;
  city: string | null;
  remote: boolean;
  cost: 'free' | 'sliding' | 'paid' | null;
  languages: string[];
  url: string | null;
  email: string | null;
  phones: { number: string; confidential: boolean }[];
  address: { address1: string; city: string; country: string; postalCode: string; confidential: boolean } | null;
  hours: { day: WeekDay; opens: string; closes: string }[];
  tz: string | null;
  wkst: 'SA' | 'SU' | 'MO';
  eligibility: string | null;
  documents: string[];
}

/** The region's time zones, offered on the form; the API takes any IANA zone the runtime knows. */
export const regionTimeZones = [
  'Africa/Algiers',
  'Africa/Cairo',
  'Africa/Casablanca',
  'Africa/Khartoum',
  'Africa/Nouakchott',
  'Africa/Tripoli',
  'Africa/Tunis',
  'Asia/Aden',
  'Asia/Amman',
  'Asia/Baghdad',
  'Asia/Bahrain',
  'Asia/Beirut',
  'Asia/Damascus',
  'Asia/Dubai',
  'Asia/Gaza',
  'Asia/Jerusalem',
  'Asia/Kuwait',
  'Asia/Muscat',
  'Asia/Nicosia',
  'Asia/Qatar',
  'Asia/Riyadh',
  'Asia/Tehran',
  'Europe/Istanbul',
  'Europe/Berlin',
  'Europe/London',
  'Europe/Paris',
  'UTC',
] as const;

/** The zone a country's listings are most likely in, when the form leaves it to the country. */
const zoneOfCountry: Record<string, string> = {
  DZ: 'Africa/Algiers',
  EG: 'Africa/Cairo',
  MA: 'Africa/Casablanca',
  EH: 'Africa/Casablanca',
  SD: 'Africa/Khartoum',
  MR: 'Africa/Nouakchott',
  LY: 'Africa/Tripoli',
  TN: 'Africa/Tunis',
  YE: 'Asia/Aden',
  JO: 'Asia/Amman',
  IQ: 'Asia/Baghdad',
  BH: 'Asia/Bahrain',
  LB: 'Asia/Beirut',
  SY: 'Asia/Damascus',
  AE: 'Asia/Dubai',
  PS: 'Asia/Gaza',
  IL: 'Asia/Jerusalem',
  KW: 'Asia/Kuwait',
  OM: 'Asia/Muscat',
  CY: 'Asia/Nicosia',
  QA: 'Asia/Qatar',
  SA: 'Asia/Riyadh',
  IR: 'Asia/Tehran',
  TR: 'Europe/Istanbul',
  DE: 'Europe/Berlin',
  GB: 'Europe/London',
  FR: 'Europe/Paris',
};
export const zoneForCountry = (country: string | null | undefined): string | null =>
  (country && zoneOfCountry[country]) || null;

let knownZones: Set<string> | undefined;
const isTimeZone = (zone: string): boolean => {
  knownZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return knownZones.has(zone);
};

/** Arabic-Indic and Persian digits, as phones are often typed, become the digits dialers read. */
const latinDigits = (text: string) =>
  text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));

/**
 * Tidied text. Direction controls go (src/security/bidi.ts): `dir="auto"` sets direction instead.
 * Line breaks count once, as the form's `maxlength` counted them; browsers send each as CR LF.
 */
const trimmed = (value: string | null | undefined) => {
  const text = withoutBidiControls(value ?? '')
    .replace(/\r\n?/g, '\n')
    .trim();
  return text === '' ? null : text;
};

const includes = <T extends string>(list: readonly T[], value: unknown): value is T =>
  (list as readonly unknown[]).includes(value);

/**
 * Checks what a keeper or a member sent, field by field, and answers every problem at once (422,
 * each beside its field). `groupChoices` are the groups this writer may share a listing with.
 */
export async function checkListing(
  db: DbOrTx,
  input: ListingInput,
  groupChoices: string[],
  /** Whether this writer may name that existing organisation (a member: one they may read a listing of). */
  mayName: (organizationId: string) => Promise<boolean> = async () => true,
): Promise<ListingDraft> {
  const errors: FieldError[] = [];
  const problem = (field: string, message: MessageKey, values?: Record<string, string | number>) =>
    errors.push(values ? { field, message, values } : { field, message });
  const text = (field: string, value: string | null | undefined, max: number, required = false) => {
    const v = trimmed(value);
    if (v === null) {
      if (required) problem(field, 'resources.listings.error.required');
    } else if (v.length > max) problem(field, 'resources.listings.error.tooLong', { max });
    return v;
  };

  const name = text('name', input.name, listingLimits.nameMax, true);
  const description = text('description', input.description, listingLimits.descriptionMax, true);
  const language = includes(contentLanguages, input.language) ? input.language : null;
  if (!language) problem('language', 'resources.listings.error.language');
  const translation = {
    name: text('translationName', input.translation?.name, listingLimits.nameMax),
    description: text('translationDescription', input.translation?.description, listingLimits.descriptionMax),
  };

  let organization: ListingDraft['organization'] | null = null;
  const organizationId = trimmed(input.organizationId);
  if (organizationId) {
    const found = await db
      .selectFrom('resource_organizations')
      .select('id')
      .where('id', '=', organizationId)
      .executeTakeFirst();
    // One the writer may not name is refused as a missing one: the answer says nothing of it.
    if (found && (await mayName(found.id))) organization = { id: found.id };
    else problem('organizationId', 'resources.listings.error.organization');
  } else {
    const organizationName = text('organizationName', input.organizationName, listingLimits.organizationNameMax);
    if (organizationName) organization = { name: organizationName };
    else problem('organizationName', 'resources.listings.error.organization');
  }

  const visibility = includes(listingVisibilities, input.visibility) ? input.visibility : null;
  if (!visibility) problem('visibility', 'resources.listings.error.visibility');
  const groupId = visibility === 'group' ? trimmed(input.groupId) : null;
  if (visibility === 'group' && (!groupId || !groupChoices.includes(groupId)))
    problem('groupId', 'resources.listings.error.group');

  const country = trimmed(input.country)?.toUpperCase() ?? null;
  if (country && !isCountryCode(country)) problem('country', 'resources.listings.error.country');
  const city = text('city', input.city, listingLimits.cityMax);
  const cost = trimmed(input.cost);
  if (cost !== null && !includes(costs, cost)) problem('cost', 'resources.listings.error.choice');

  const languages = [...new Set(input.languages ?? [])];
  if (languages.some((l) => !includes(groupLanguages, l))) problem('languages', 'resources.listings.error.choice');

  const url = text('url', input.url, listingLimits.urlMax);
  if (url && !isWebAddress(url)) problem('url', 'resources.listings.error.url');
  const email = text('email', input.email, listingLimits.emailMax);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problem('email', 'resources.listings.error.email');

  const phones = (input.phones ?? [])
    .map((p) => ({ number: latinDigits(p.number ?? '').trim(), confidential: p.confidential === true }))
    .filter((p) => p.number !== '');
  if (phones.length > listingLimits.phones)
    problem('phones', 'resources.listings.error.tooMany', { max: listingLimits.phones });
  if (phones.some((p) => !/^\+?[\d\s().-]{3,40}$/.test(p.number) || !/\d{3}/.test(p.number.replace(/\D/g, ''))))
    problem('phones', 'resources.listings.error.phone');

  let address: ListingDraft['address'] = null;
  if (input.address) {
    const address1 = text('address1', input.address.address1, listingLimits.addressMax, true);
    const addressCity = text('addressCity', input.address.city, listingLimits.cityMax, true);
    const addressCountry = trimmed(input.address.country)?.toUpperCase() ?? null;
    if (!addressCountry || !isCountryCode(addressCountry))
      problem('addressCountry', 'resources.listings.error.country');
    // Most of the region uses no postcodes: it may stay empty (ADR 0053).
    const postalCode = text('postalCode', input.address.postalCode, listingLimits.postalCodeMax) ?? '';
    if (address1 && addressCity && addressCountry)
      address = {
        address1,
        city: addressCity,
        country: addressCountry,
        postalCode,
        confidential: input.address.confidential === true,
      };
  }

  const hours: ListingDraft['hours'] = [];
  let hoursWrong = false;
  for (const window of input.hours ?? []) {
    const opens = trimmed(window.opens);
    const closes = trimmed(window.closes);
    if (!opens && !closes) continue;
    if (!includes(weekDays, window.day) || !isTime(opens) || !isTime(closes) || opens === closes) hoursWrong = true;
    else hours.push({ day: window.day, opens, closes });
  }
  const perDay = new Map<string, number>();
  for (const h of hours) perDay.set(h.day, (perDay.get(h.day) ?? 0) + 1);
  if (hoursWrong) problem('hours', 'resources.listings.error.hours');
  else if ([...perDay.values()].some((n) => n > listingLimits.windowsPerDay))
    problem('hours', 'resources.listings.error.tooMany', { max: listingLimits.windowsPerDay });

  const tz = trimmed(input.tz) ?? zoneForCountry(country) ?? (hours.length > 0 ? 'UTC' : null);
  if (tz && !isTimeZone(tz)) problem('tz', 'resources.listings.error.tz');
  const wkst = input.wkst === undefined || input.wkst === '' ? 'SA' : input.wkst;
  if (!includes(weekStarts, wkst)) problem('wkst', 'resources.listings.error.choice');

  const terms = [...new Set(input.terms ?? [])];
  if (terms.length > 0) {
    const known = await db.selectFrom('resource_taxonomy_terms').select('id').where('id', 'in', terms).execute();
    if (known.length !== terms.length) problem('terms', 'resources.listings.error.terms');
  }

  const eligibility = text('eligibility', input.eligibility, listingLimits.eligibilityMax);
  const documents = (input.documents ?? []).map((d) => d.trim()).filter(Boolean);
  if (documents.length > listingLimits.documents)
    problem('documents', 'resources.listings.error.tooMany', { max: listingLimits.documents });
  if (documents.some((d) => d.length > listingLimits.documentMax))
    problem('documents', 'resources.listings.error.tooLong', { max: listingLimits.documentMax });

  if (errors.length > 0 || !name || !description || !language || !organization || !visibility) throw invalid(errors);
  return {
    organization,
    name,
    description,
    language,
    translation,
    terms,
    visibility,
    groupId,
    country,
    city,
    remote: input.remote === true,
    cost: cost as ListingDraft['cost'],
    languages,
    url,
    email,
    phones,
    address,
    hours,
    tz,
    wkst: wkst as ListingDraft['wkst'],
    eligibility,
    documents,
  };
}

const isTime = (value: string | null): value is string => value !== null && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);

/** Only web addresses: a listing never links to `javascript:` or a local file. */
function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}
