import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import { PageHeading, SelectField, Field } from '../../views/components.js';
import { searchTypes, type SearchResult, type SearchType } from './service.js';

export function SearchPage(props: { q: string; type: SearchType; results: SearchResult[] | null }) {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('search.lead')}>{t('search.title')}</PageHeading>
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the older browsers members use */}
      <form method="get" action="/search" role="search" class="panel">
        <div class="form-row">
          <Field name="q" type="search" label={t('search.query')} value={props.q} maxLength={200} />
          <SelectField
            name="type"
            label={t('search.type')}
            value={props.type}
            options={searchTypes.map((type) => ({ value: type, label: t(`search.type.${type}` as MessageKey) }))}
          />
          <button type="submit" class="button">
            {t('search.submit')}
          </button>
        </div>
      </form>
      {props.results !== null &&
        (props.results.length === 0 ? (
          <p class="empty">{t('search.none')}</p>
        ) : (
          <section aria-labelledby="results-title">
            <h2 id="results-title">{t('search.results', { count: props.results.length })}</h2>
            <ol class="search-results">
              {props.results.map((r) => (
                <li key={`${r.kind}:${r.id}`}>
                  <p class="muted">{t(`search.kind.${r.kind}` as MessageKey)}</p>
                  <h3>
                    <a href={r.href} dir="auto">
                      {r.title}
                    </a>
                  </h3>
                  <p dir="auto" class="snippet">
                    {r.snippet.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text))}
                  </p>
                </li>
              ))}
            </ol>
          </section>
        ))}
    </>
  );
}
