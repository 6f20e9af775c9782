import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '../platform/errors.js';

/** OWASP ASVS 5.0 §6.2: at least 8, recommend 15 or more, allow far more than 64, no composition rules. */
export const passphraseLength = { min: 8, recommended: 15, max: 256 } as const;

// OWASP's Argon2id baseline: 19 MiB, 2 iterations, 1 lane.
// (algorithm 2 is Argon2id; the package's enum is a const enum that isolated modules cannot read)
const argon2Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** About 49,000 of the most common passwords, shipped in the package and checked locally. */
const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** NFKC so the same passphrase typed on another keyboard still matches. Never truncated. */
export function normalisePassphrase(input: string): string {
  return input.normalize('NFKC');
}

export function checkPassphrase(input: string, context: { username?: string; field?: string } = {}): FieldError[] {
  const field = context.field ?? 'passphrase';
  const value = normalisePassphrase(input);
  const length = Array.from(value).length;
  if (length === 0) return [{ field, message: 'passphrase.required' }];
  if (length < passphraseLength.min)
    return [{ field, message: 'passphrase.tooShort', values: { min: passphraseLength.min } }];
  if (length > passphraseLength.max)
    return [{ field, message: 'passphrase.tooLong', values: { max: passphraseLength.max } }];
  const lower = value.toLowerCase();
  if (common.has(lower) || common.has(lower.trim())) return [{ field, message: 'passphrase.common' }];
  if (context.username && lower.includes(context.username.toLowerCase()))
    return [{ field, message: 'passphrase.containsUsername' }];
  return [];
}

export function hashPassphrase(input: string): Promise<string> {
  return hash(normalisePassphrase(input), argon2Options);
}

export async function verifyPassphrase(stored: string, input: string): Promise<boolean> {
  try {
    return await verify(stored, normalisePassphrase(input));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real check when the account does not exist, so the answer's timing
 * does not tell whether a username is taken.
 */
export async function verifyAgainstNothing(input: string): Promise<false> {
  dummyHash ??= hashPassphrase('sanad-timing-equaliser-not-a-passphrase');
  await verifyPassphrase(await dummyHash, input);
  return false;
}
