import type { MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { countriesFor, countryName, groupLanguages, languageName } from '../../i18n/regions.js';
import type { FieldError } from '../../platform/errors.js';
import { Checkbox, ErrorSummary, Field, PageHeading, SelectField } from '../../views/components.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import type { Freshness } from './freshness.js';
import type { OpenState } from './schedule.js';
import {
  costs,
  type FindResult,
  type FoundListing,
  kinds,
  type RawFindFilters,
  type TermOption,
} from './services/find.js';
import { localised } from './translations.js';

/** A term's name in the reader's language: built-in terms from the catalogue, moderators' own from their translations. */
export function termName(term: TermOption, t: (key: MessageKey) => string, locale: Locale): string {
  if (term.builtin && term.code) return t(`resources.listings.term.${term.code}` as MessageKey);
  return localised(term, 'name', locale).text ?? term.code ?? '';
}

const freshnessKey: Record<Freshness, MessageKey> = {
  verified: 'resources.find.verified',
  stale: 'resources.find.stale',
  unverified: 'resources.find.unverified',
};
const openKey: Record<OpenState, MessageKey> = {
  open: 'resources.find.openNow',
  closed: 'resources.find.closedNow',
  unknown: 'resources.find.hoursUnknown',
};

/** The query string of these filters, without the cursor: for the next page and the first. */
export function findQuery(filters: RawFindFilters): string {
  const entries = (['q', 'category', 'country', 'city', 'language', 'cost', 'kind', 'open', 'remote'] as const)
    .map((k): [string, string] => [k, (filters[k] ?? '').trim()])
    .filter(([, v]) => v !== '');
  return new URLSearchParams(entries).toString();
}

function ListingCard(props: { listing: FoundListing }) {
  const { t, locale } = useView();
  const l = props.listing;
  const name = localised(l, 'name', locale);
  const organization = l.organization ? localised(l.organization, 'name', locale) : null;
  const country = l.country ? countryName(locale, l.country) : null;
  return (
    <li class="card resource-card">
      <h3 class="card-title">
        <a href={`/resources/${l.id}`} lang={name.lang ?? undefined} dir="auto">
          {name.text ?? t('resources.find.title')}
        </a>
      </h3>
      <p class={`badge badge-${l.freshness}`}>{t(freshnessKey[l.freshness])}</p>
      <dl class="row-facts">
        {l.kind === 'job' && (
          <div>
            <dt>{t('resources.find.kind')}</dt>
            <dd>{t('resources.find.job')}</dd>
          </div>
        )}
        {organization?.text && (
          <div>
            <dt>{t('resources.find.card.organization')}</dt>
            <dd lang={organization.lang ?? undefined} dir="auto">
              {organization.text}
            </dd>
          </div>
        )}
        {l.categories.length > 0 && (
          <div>
            <dt>{t('resources.find.card.categories')}</dt>
            <dd>{l.categories.map((c) => termName(c, t, locale)).join(t('list.separator'))}</dd>
          </div>
        )}
        {(country || l.remote) && (
          <div>
            <dt>{t('resources.find.card.place')}</dt>
            <dd>
              {country &&
                (l.city ? (
                  <Sentence message="resources.find.place" names={{ city: l.city }} values={{ country }} />
                ) : (
                  country
                ))}
              {country && l.remote && t('list.separator')}
              {l.remote && t('resources.find.remoteOnly')}
            </dd>
          </div>
        )}
        {l.cost && (
          <div>
            <dt>{t('resources.find.card.cost')}</dt>
            <dd>{t(`resources.find.cost.${l.cost}` as MessageKey)}</dd>
          </div>
        )}
        <div>
          <dt>{t('resources.find.card.hours')}</dt>
          <dd>{t(openKey[l.open])}</dd>
        </div>
      </dl>
    </li>
  );
}

export function FindPage(props: {
  filters: RawFindFilters;
  categories: TermOption[];
  errors: FieldError[];
  result: FindResult | null;
  /** The directory's keepers also get the way to their queues and tools. */
  keeper: boolean;
}) {
  const { t, locale } = useView();
  const f = props.filters;
  const query = findQuery(f);
  const base = `/resources${query ? `?${query}` : ''}`;
  const flag = (v: string | undefined) => ['on', 'true', '1'].includes((v ?? '').trim());
  return (
    <>
      <PageHeading lead={t('resources.find.lead')}>{t('resources.find.title')}</PageHeading>
      <nav class="subnav" aria-label={t('resources.find.links')}>
        <ul>
          <li>
            <a href="/resources/jobs">{t('resources.jobs.title')}</a>
          </li>
          <li>
            <a href="/resources/crisis">{t('resources.crisis.title')}</a>
          </li>
          {props.keeper && (
            <>
              <li>
                <a href="/resources/review">{t('resources.listings.review.title')}</a>
              </li>
              <li>
                <a href="/resources/corrections">{t('resources.vetting.queue.title')}</a>
              </li>
              <li>
                <a href="/resources/terms">{t('resources.listings.termsPage.title')}</a>
              </li>
              <li>
                <a href="/resources/import-export">{t('resources.hsds.page.title')}</a>
              </li>
            </>
          )}
        </ul>
      </nav>
      <ErrorSummary errors={props.errors} />
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the older browsers members use */}
      <form method="get" action="/resources" class="panel filters" role="search" aria-labelledby="find-filters-title">
        <h2 id="find-filters-title" class="visually-hidden">
          {t('resources.find.filters')}
        </h2>
        <Field
          name="q"
          type="search"
          label={t('resources.find.q')}
          hint={t('resources.find.q.hint')}
          value={f.q}
          maxLength={200}
          errors={props.errors}
        />
        <div class="form-row">
          <SelectField
            name="category"
            label={t('resources.find.category')}
            value={f.category ?? ''}
            errors={props.errors}
            options={[
              { value: '', label: t('resources.find.category.any') },
              ...props.categories.map((c) => ({
                value: c.builtin && c.code ? c.code : c.id,
                label: termName(c, t, locale),
              })),
            ]}
          />
          <SelectField
            name="kind"
            label={t('resources.find.kind')}
            value={f.kind ?? ''}
            errors={props.errors}
            options={[
              { value: '', label: t('resources.find.kind.any') },
              ...kinds.map((k) => ({ value: k, label: t(`resources.find.kind.${k}` as MessageKey) })),
            ]}
          />
        </div>
        <div class="form-row">
          <SelectField
            name="country"
            label={t('resources.find.country')}
            value={(f.country ?? '').toUpperCase()}
            errors={props.errors}
            options={[
              { value: '', label: t('resources.find.country.any') },
              ...countriesFor(locale).map((c) => ({ value: c.code, label: c.name })),
            ]}
          />
          <Field
            name="city"
            label={t('resources.find.city')}
            hint={t('resources.find.city.hint')}
            value={f.city}
            maxLength={100}
            autocomplete="off"
            errors={props.errors}
          />
        </div>
        <div class="form-row">
          <SelectField
            name="language"
            label={t('resources.find.language')}
            value={f.language ?? ''}
            errors={props.errors}
            options={[
              { value: '', label: t('resources.find.language.any') },
              ...groupLanguages.map((code) => ({ value: code, label: languageName(locale, code) })),
            ]}
          />
          <SelectField
            name="cost"
            label={t('resources.find.cost')}
            value={f.cost ?? ''}
            errors={props.errors}
            options={[
              { value: '', label: t('resources.find.cost.any') },
              ...costs.map((c) => ({ value: c, label: t(`resources.find.cost.${c}` as MessageKey) })),
            ]}
          />
        </div>
        <Checkbox
          name="open"
          label={t('resources.find.open')}
          hint={t('resources.find.open.hint')}
          checked={flag(f.open)}
        />
        <Checkbox name="remote" label={t('resources.find.remote')} checked={flag(f.remote)} />
        <p class="actions">
          <button type="submit" class="button">
            {t('resources.find.submit')}
          </button>
          {query && (
            <a class="button button-secondary" href="/resources">
              {t('resources.find.clear')}
            </a>
          )}
        </p>
      </form>
      {props.result && (
        <section aria-labelledby="find-results-title">
          <h2 id="find-results-title">{t('resources.find.results')}</h2>
          {props.result.listings.length === 0 ? (
            <p class="empty">{t('resources.find.empty')}</p>
          ) : (
            <ul class="card-list">
              {props.result.listings.map((l) => (
                <ListingCard key={l.id} listing={l} />
              ))}
            </ul>
          )}
          {(f.after || props.result.next) && (
            <nav class="pager" aria-label={t('resources.find.results')}>
              {f.after && <a href={base}>{t('resources.find.first')}</a>}
              {props.result.next && (
                <a href={`${base}${query ? '&' : '?'}after=${encodeURIComponent(props.result.next)}`} rel="next">
                  {t('resources.find.more')}
                </a>
              )}
            </nav>
          )}
        </section>
      )}
      {/* Where nothing matched, and after the results: what is missing can be suggested. */}
      <p>
        <a href="/resources/new">{t('resources.find.suggest')}</a>
      </p>
    </>
  );
}
