import type { ComponentChildren } from 'preact';
import { useView } from './context.js';
import type { FieldError } from '../http/errors.js';
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
export function ErrorSummary(props: { errors: FieldError[]; general?: MessageKey | undefined; form?: string | undefined }) {
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
  type?: 'text' | 'password' | 'number' | 'search';
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
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
