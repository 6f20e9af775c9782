import type { ComponentChildren } from 'preact';
import { useView } from './context.js';
import { Sentence } from './sentence.js';
import type { FieldError } from '../platform/errors.js';
import type { MessageKey } from '../i18n/index.js';

/** The hidden CSRF field every state-changing form carries. */
export function CsrfField() {
  return <input type="hidden" name="_csrf" value={useView().csrfToken()} />;
}

export function PostForm(props: { action: string; children: ComponentChildren; class?: string; id?: string }) {
  return (
    <form method="post" action={props.action} class={props.class} id={props.id} noValidate={false}>
      <CsrfField />
      {props.children}
    </form>
  );
}

export function PageHeading(props: { children: ComponentChildren; lead?: string }) {
  return (
    <div class="page-heading">
      <h1>{props.children}</h1>
      {props.lead && <p class="lead">{props.lead}</p>}
    </div>
  );
}

/** GOV.UK-style error summary: announced first, each entry links to its field. */
/** `form` names the form when a page has several, matching the ids its fields were given. */
export function ErrorSummary(props: {
  errors: FieldError[];
  general?: MessageKey | undefined;
  form?: string | undefined;
}) {
  const { t } = useView();
  if (props.errors.length === 0 && !props.general) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('form.errorSummaryTitle')}</h2>
      <ul>
        {props.general && <li>{t(props.general)}</li>}
        {props.errors.map((error) => (
          <li key={error.field}>
            <a href={`#${fieldId(error.field, props.form)}`}>{t(error.message, error.values)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice(props: { kind?: 'info' | 'success' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.kind ?? 'info'}`} role={props.kind === 'success' ? 'status' : undefined}>
      {props.children}
    </div>
  );
}

/** The input attributes our forms use; kept explicit so every field is reviewed. */
interface InputProps {
  type?: 'text' | 'password' | 'number' | 'search' | 'date';
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  /** A number, or a day (YYYY-MM-DD) for date fields. */
  min?: number | string;
  max?: number | string;
  /** Dates and numbers read left to right in Arabic too. */
  dir?: 'ltr';
  inputMode?: 'text' | 'numeric';
  spellcheck?: boolean;
  autocapitalize?: 'none' | 'off';
  pattern?: string;
}

export function fieldId(name: string, form?: string): string {
  return form ? `field-${form}-${name}` : `field-${name}`;
}

/** A labelled input with optional hint and its error, wired up with aria-describedby. */
export function Field(
  props: {
    name: string;
    label: string;
    hint?: string | undefined;
    errors?: FieldError[];
    value?: string | undefined;
    /** Set when the page has several forms with a field of the same name. */
    form?: string | undefined;
  } & InputProps,
) {
  const { t } = useView();
  const { name, label, hint, errors, value, type, form, ...rest } = props;
  const id = fieldId(name, form);
  const error = errors?.find((e) => e.field === name);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {t(error.message, error.values)}
        </p>
      )}
      <input
        // Preact types each input type separately; these fields only use the text-like ones.
        type={(type ?? 'text') as 'text'}
        id={id}
        name={name}
        value={value}
        dir="auto"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: FieldError | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function FieldShell(props: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: FieldError | undefined;
  children: ComponentChildren;
}) {
  const { t } = useView();
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error-message" id={`${props.id}-error`}>
          {t(props.error.message, props.error.values)}
        </p>
      )}
      {props.children}
    </div>
  );
}

/**
 * Plain text whose paragraphs are separated by blank lines (an excerpt of a post), shown as one
 * paragraph each, each taking its direction from its own words (ADR 0035).
 */
export function Paragraphs(props: { text: string }) {
  return (
    <>
      {props.text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i} dir="auto">
          {paragraph}
        </p>
      ))}
    </>
  );
}

/**
 * The hint under a box that takes Markdown. Its examples are code, each isolated and left to
 * right as Markdown is written, so "[link](https://…)" reads as typed inside an Arabic sentence
 * instead of being reordered around it (ADR 0035).
 */
export function MarkdownHint() {
  const { t } = useView();
  const example = (key: MessageKey) => (
    <code class="markdown-example" dir="ltr">
      {t(key)}
    </code>
  );
  return (
    <Sentence
      message="markdown.hint"
      parts={{
        italic: example('markdown.example.italic'),
        bold: example('markdown.example.bold'),
        quote: example('markdown.example.quote'),
        list: example('markdown.example.list'),
        link: example('markdown.example.link'),
      }}
    />
  );
}

/** A labelled multi-line text box; `dir="auto"` so Arabic and English each flow their own way. */
export function TextArea(props: {
  name: string;
  label: string;
  hint?: ComponentChildren;
  errors?: FieldError[];
  value?: string | undefined;
  form?: string;
  rows?: number;
  maxLength?: number;
  required?: boolean;
  /** Shown to read and copy, not sent: no name is given to the browser's form. */
  readOnly?: boolean;
}) {
  const id = fieldId(props.name, props.form);
  const error = props.errors?.find((e) => e.field === props.name);
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} error={error}>
      <textarea
        id={id}
        name={props.readOnly ? undefined : props.name}
        readOnly={props.readOnly}
        rows={props.rows ?? 6}
        maxLength={props.maxLength}
        required={props.required}
        dir="auto"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      >
        {props.value ?? ''}
      </textarea>
    </FieldShell>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  hint?: string | undefined;
  errors?: FieldError[];
  value?: string | null | undefined;
  form?: string;
  options: { value: string; label: string }[];
}) {
  const id = fieldId(props.name, props.form);
  const error = props.errors?.find((e) => e.field === props.name);
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} error={error}>
      <select
        id={id}
        name={props.name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === (props.value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function Checkbox(props: {
  name: string;
  label: string;
  checked?: boolean;
  value?: string;
  hint?: string | undefined;
  form?: string;
  id?: string;
}) {
  const id = props.id ?? fieldId(props.name, props.form);
  return (
    <div class="checkbox">
      <input
        type="checkbox"
        id={id}
        name={props.name}
        value={props.value ?? 'on'}
        checked={props.checked}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      <div>
        <label for={id}>{props.label}</label>
        {props.hint && (
          <p class="hint" id={`${id}-hint`}>
            {props.hint}
          </p>
        )}
      </div>
    </div>
  );
}

/** A one-button form: every change of state is a POST, so it works without JavaScript. */
export function ActionButton(props: {
  action: string;
  label: string;
  fields?: Record<string, string>;
  kind?: 'secondary' | 'danger' | 'link';
  pressed?: boolean;
  class?: string;
}) {
  const kind =
    props.kind === 'link'
      ? 'link-button'
      : `button button-small${props.kind === 'danger' ? ' button-danger' : props.kind === 'secondary' ? ' button-secondary' : ''}`;
  return (
    <PostForm action={props.action} class={`inline-form ${props.class ?? ''}`.trim()}>
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        class={kind}
        aria-pressed={props.pressed === undefined ? undefined : props.pressed ? 'true' : 'false'}
      >
        {props.label}
      </button>
    </PostForm>
  );
}

/** Newer/older links for keyset-paginated lists. */
export function Pager(props: { next: string | null; base: string; label: string }) {
  if (!props.next) return null;
  const join = props.base.includes('?') ? '&' : '?';
  return (
    <nav class="pager">
      <a href={`${props.base}${join}after=${encodeURIComponent(props.next)}`} rel="next">
        {props.label}
      </a>
    </nav>
  );
}

/**
 * One entry of a list people act on (members, bans, invites, accounts): what it is, a few facts
 * as a description list, then its actions. Wide screens show it as one row; narrow ones stack it,
 * so every action stays within reach without scrolling sideways (`.row-list` in app.css).
 */
export function ListRow(props: {
  title: ComponentChildren;
  /** `auto` for a name someone chose, `ltr` for a code. */
  titleDir?: 'auto' | 'ltr';
  facts?: { label: string; value: ComponentChildren }[];
  children?: ComponentChildren;
}) {
  const facts = props.facts ?? [];
  return (
    <li class="row">
      <div class="row-main">
        <p class="row-title">
          {/* The name in its own direction, the line aligned as the page is. */}
          {props.titleDir ? <bdi dir={props.titleDir}>{props.title}</bdi> : props.title}
        </p>
        {facts.length > 0 && (
          <dl class="row-facts">
            {facts.map((fact) => (
              <div key={fact.label}>
                <dt>{fact.label}</dt>
                <dd>{fact.value}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      {props.children && <div class="actions row-actions">{props.children}</div>}
    </li>
  );
}
