import type { ServiceContext } from '../../../app-context.js';
import { inTransaction } from '../../../db/database.js';
import type { Locale } from '../../../i18n/locales.js';
import { AppError, type FieldError, forbidden, invalid } from '../../../platform/errors.js';
import type { Actor } from '../../../security/actor.js';
import { withoutBidiControls } from '../../../security/bidi.js';
import { termName } from '../detail.js';
import { canManageTerms } from '../policy.js';
import { newResourceId } from '../queries.js';
import { listingLimits, type TermView } from '../schemas.js';
import { recordModeration } from '../../../platform/moderation.js';

/** Sanad's own taxonomy (migration 0026): built-in terms and the ones keepers add. */
export const sanadTaxonomyId = '6d2f3a9e-5b1c-4e8a-9f3d-2a7c1b0e5d41';

/** Every term of Sanad's taxonomy, named in the reader's language, built-in ones first. */
export async function listTerms(ctx: ServiceContext, locale: Locale): Promise<TermView[]> {
  const rows = await ctx.db
    .selectFrom('resource_taxonomy_terms')
    .select(['id', 'code', 'name', 'translations', 'builtin', 'language'])
    .where('taxonomy_id', '=', sanadTaxonomyId)
    .orderBy('builtin', 'desc')
    .orderBy('id')
    .execute();
  const collator = new Intl.Collator(locale);
  const terms = rows.map((r) => ({
    id: r.id,
    code: r.code ?? '',
    name: termName(r, locale).name,
    builtin: r.builtin === 1,
  }));
  // Built-in ones keep their fixed order; keepers' own terms follow, by name.
  return [
    ...terms.filter((t) => t.builtin),
    ...terms.filter((t) => !t.builtin).sort((a, b) => collator.compare(a.name, b.name)),
  ];
}

/** A code from an English name: lower case, words joined by hyphens. */
export const codeOf = (name: string): string =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, listingLimits.termCodeMax);

/** A keeper's own term, named in Arabic and English (its `translations`), in Sanad's taxonomy. */
export async function addTerm(
  ctx: ServiceContext,
  actor: Actor,
  input: { nameAr?: string | undefined; nameEn?: string | undefined; code?: string | undefined },
  locale: Locale,
): Promise<TermView> {
  if (!canManageTerms(actor) || actor.kind !== 'user') throw forbidden();
  const errors: FieldError[] = [];
  // Direction controls go (src/security/bidi.ts): a term's name is shown inside sentences and titles.
  const nameAr = withoutBidiControls(input.nameAr ?? '').trim();
  const nameEn = withoutBidiControls(input.nameEn ?? '').trim();
  for (const [field, value] of [
    ['nameAr', nameAr],
    ['nameEn', nameEn],
  ] as const) {
    if (value === '') errors.push({ field, message: 'resources.listings.error.required' });
    else if (value.length > listingLimits.termNameMax)
      errors.push({ field, message: 'resources.listings.error.tooLong', values: { max: listingLimits.termNameMax } });
  }
  const code = (input.code ?? '').trim() || codeOf(nameEn);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code) || code.length > listingLimits.termCodeMax)
    errors.push({ field: input.code?.trim() ? 'code' : 'nameEn', message: 'resources.listings.error.termCode' });
  if (errors.length > 0) throw invalid(errors);
  const id = newResourceId();
  await inTransaction(ctx.db, async (trx) => {
    const taken = await trx
      .selectFrom('resource_taxonomy_terms')
      .select('id')
      .where('taxonomy_id', '=', sanadTaxonomyId)
      .where('code', '=', code)
      .executeTakeFirst();
    if (taken)
      throw new AppError('validation_failed', 'error.validation', [
        { field: input.code?.trim() ? 'code' : 'nameEn', message: 'resources.listings.error.termTaken' },
      ]);
    await trx
      .insertInto('resource_taxonomy_terms')
      .values({
        id,
        code,
        name: nameEn,
        description: null,
        parent_id: null,
        taxonomy: 'Sanad',
        language: 'en',
        taxonomy_id: sanadTaxonomyId,
        term_uri: null,
        translations: JSON.stringify({ ar: { name: nameAr }, en: { name: nameEn } }),
        builtin: 0,
      })
      .execute();
    // A keeper's action, as every other in the directory: one row of the instance's log.
    await recordModeration(trx, {
      actorId: actor.id,
      action: 'resource.term_add',
      targetType: 'resource',
      detail: { termId: id },
      now: ctx.now,
    });
  });
  return { id, code, name: locale === 'ar' ? nameAr : nameEn, builtin: false };
}
