import type { ServiceContext } from '../../app-context.js';

/**
 * How long a "verified LGBTQ-affirming" mark holds (ADR 0053): a setting administrators change,
 * 12 months unless they do. Read where listings are shown and sorted, so a change applies at once.
 */
export const verificationMonthsKey = 'resources.verification_months';
export const defaultVerificationMonths = 12;
export const verificationMonthsBounds = { min: 1, max: 60 } as const;

export async function verificationMonths(ctx: Pick<ServiceContext, 'db'>): Promise<number> {
  const row = await ctx.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', verificationMonthsKey)
    .executeTakeFirst();
  const months = Number(row?.value);
  return Number.isInteger(months) && months >= verificationMonthsBounds.min && months <= verificationMonthsBounds.max
    ? months
    : defaultVerificationMonths;
}

/** The moment a mark given at `verifiedAt` lapses: the same day of the month, `months` later (UTC). */
export function verificationLapsesAt(verifiedAt: number, months: number): number {
  const at = new Date(verifiedAt);
  const lapse = new Date(at);
  lapse.setUTCMonth(at.getUTCMonth() + months);
  // 31 January + 1 month is 3 March in JavaScript; a mark lapses at the end of the shorter month instead.
  if (lapse.getUTCDate() !== at.getUTCDate()) lapse.setUTCDate(0);
  return lapse.getTime();
}

export type Freshness = 'verified' | 'stale' | 'unverified';

/** Verified and fresh, verified once but lapsed (shown with a staleness warning), or never verified. */
export function freshnessOf(verifiedAt: number | null, months: number, now: number): Freshness {
  if (verifiedAt === null) return 'unverified';
  return now < verificationLapsesAt(verifiedAt, months) ? 'verified' : 'stale';
}
