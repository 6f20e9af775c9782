import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import { PageHeading, SelectField, Field } from '../../views/components.js';
import type { SnippetPart } from '../../search/service.js';
import type { SearchKind } from '../../platform/module.js';
import type { SearchResult } from './service.js';

/**
 * A snippet's paragraphs, each in its own element with its own direction (an English paragraph
 * of an Arabic post reads left to right), the matching words marked.
 */
function Snippet(props: { parts: SnippetPart[] }) {
  const paragraphs: ComponentChildren[][] = [[]];
  for (const [i, part] of props.parts.entries()) {
    if (part.match) {
      paragraphs.at(-1)!.push(<mark key={i}>{part.text}</mark>);
      continue;
    }
    for (const [j, text] of part.text.split(/\n{2,}/).entries()) {
      if (j > 0) paragraphs.push([]);
      if (text) paragraphs.at(-1)!.push(text);
    }
  }
  return (
    <div class="snippet">
      {paragraphs.map(
        (children, i) =>
          children.length > 0 && (
            <p key={i} dir="auto">
              {children}
            </p>
          ),
      )}
    </div>
  );
}

export function SearchPage(props: { q: string; type: string; kinds: SearchKind[]; results: SearchResult[] | null }) {
  const { t } = useView();
  const labelOf = new Map(props.kinds.map((k) => [k.kind, k.labelKey as MessageKey]));
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
            options={[
              { value: 'all', label: t('search.type.all') },
              ...props.kinds.map((k) => ({ value: k.kind, label: t(k.filterLabelKey as MessageKey) })),
            ]}
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
                  <p class="muted">{labelOf.has(r.kind) && t(labelOf.get(r.kind)!)}</p>
                  <h3>
                    <a href={r.href} dir="auto">
                      {r.title}
                    </a>
                  </h3>
                  <Snippet parts={r.snippet} />
                </li>
              ))}
            </ol>
          </section>
        ))}
    </>
  );
}
