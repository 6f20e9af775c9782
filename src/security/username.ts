import unhomoglyph from 'unhomoglyph';
import type { FieldError } from '../platform/errors.js';

export const usernameLength = { min: 3, max: 30 } as const;

export interface NormalisedUsername {
  /** NFKC form, as shown to others. */
  display: string;
  /** Case-folded: what sign-in matches on. */
  key: string;
  /** Confusable skeleton (UTS #39 data): two names with one skeleton cannot both exist. */
  skeleton: string;
}

const easternDigits = /[\u0660-\u0669\u06F0-\u06F9]/g;
const latinLetter = /^\p{Script=Latin}$/u;
const arabicLetter = /^\p{Script=Arabic}$/u;
const letter = /^\p{L}$/u;

/** Names that would let someone pass for staff, compared by skeleton. */
const reserved = [
  'admin',
  'administrator',
  'moderator',
  'mod',
  'sanad',
  'system',
  'root',
  'support',
  'staff',
  'official',
  'anonymous',
  'سند',
  'مشرف',
  'المشرف',
  'ادارة',
  'الادارة',
  'مجهول',
  'الدعم',
];

function toAsciiDigits(value: string): string {
  return value.replace(easternDigits, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/** UTS #39 skeleton, folded again afterwards: confusables.txt maps "0" to "O", names are case-insensitive. */
export function skeletonOf(key: string): string {
  return unhomoglyph(key.normalize('NFD')).toLowerCase().normalize('NFD');
}

const reservedSkeletons = new Set(reserved.map((name) => skeletonOf(name.toLowerCase())));

export function normaliseUsername(input: string): NormalisedUsername {
  const display = toAsciiDigits(input.trim().normalize('NFKC'));
  const key = display.toLowerCase().normalize('NFKC');
  return { display, key, skeleton: skeletonOf(key) };
}

/**
 * Arabic or Latin letters, ASCII digits and "_", one script per name, 3 to 30 characters.
 * Returns the problems found, as message keys for the "username" field.
 */
export function checkUsername(input: string): { name: NormalisedUsername; errors: FieldError[] } {
  const name = normaliseUsername(input);
  const chars = Array.from(name.display);
  const field = 'username';
  const errors: FieldError[] = [];
  if (chars.length === 0) errors.push({ field, message: 'username.required' });
  else if (chars.length < usernameLength.min || chars.length > usernameLength.max) {
    errors.push({ field, message: 'username.length', values: { min: usernameLength.min, max: usernameLength.max } });
  } else if (
    !chars.every((c) => /^[0-9_]$/.test(c) || (letter.test(c) && (latinLetter.test(c) || arabicLetter.test(c))))
  ) {
    errors.push({ field, message: 'username.characters' });
  } else {
    const hasLatin = chars.some((c) => letter.test(c) && latinLetter.test(c));
    const hasArabic = chars.some((c) => letter.test(c) && arabicLetter.test(c));
    if (hasLatin && hasArabic) errors.push({ field, message: 'username.mixedScripts' });
    else if (!hasLatin && !hasArabic) errors.push({ field, message: 'username.needsLetter' });
    else if (reservedSkeletons.has(name.skeleton)) errors.push({ field, message: 'username.reserved' });
  }
  return { name, errors };
}
