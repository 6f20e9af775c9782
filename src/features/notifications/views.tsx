import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import { Sentence } from '../../views/sentence.js';
import { ActionButton, ErrorSummary, fieldId, Notice, PageHeading, Pager, PostForm } from '../../views/components.js';
import type { ComputedNoticeCount, NotificationList, NotificationPreference } from './service.js';

export function NotificationsPage(props: { list: NotificationList; computed?: ComputedNoticeCount[] }) {
  const { t, formatDateTime } = useView();
  const { items, next } = props.list;
  const unread = items.some((n) => !n.read);
  return (
    <>
      <PageHeading lead={t('notifications.lead')}>{t('notifications.title')}</PageHeading>
      <div class="actions">
        {unread && <ActionButton action="/notifications/read" label={t('notifications.markRead')} kind="secondary" />}
        <a href="/notifications/preferences">{t('notifications.preferences.link')}</a>
      </div>
      {/* Worked out now, never stored for the member (ADR 0043); the same link for everyone. */}
      {(props.computed ?? []).map((c) => (
        <p key={c.href} class={c.count > 0 ? 'computed-notices notification-unread' : 'computed-notices'}>
          <a href={c.href}>{t(c.labelKey as MessageKey, { count: c.count })}</a>
        </p>
      ))}
      {items.length === 0 ? (
        <p class="empty">{t('notifications.empty')}</p>
      ) : (
        <ul class="notification-list">
          {items.map((n) => (
            <li key={n.id} class={n.read ? 'notification' : 'notification notification-unread'}>
              {!n.read && <span class="visually-hidden">{t('notifications.unread')}: </span>}
              <a href={n.href}>
                <Sentence message={n.message.key as MessageKey} names={n.message.names} values={n.message.values} />
              </a>
              <span class="muted">
                {' · '}
                <time datetime={new Date(n.createdAt).toISOString()}>{formatDateTime(n.createdAt)}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
      <Pager next={next} base="/notifications" label={t('list.more')} />
    </>
  );
}

/** Per kind, in-app or off: a plain form of radio buttons, working without JavaScript. */
export function NotificationPreferencesPage(props: {
  preferences: NotificationPreference[];
  saved?: boolean;
  errors?: FieldError[];
  /** What the member sent, kept when the form comes back with a problem. */
  sent?: Record<string, string | undefined>;
}) {
  const { t } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading lead={t('notifications.preferences.lead')}>{t('notifications.preferences.title')}</PageHeading>
      {props.saved && <Notice kind="success">{t('notifications.preferences.saved')}</Notice>}
      <ErrorSummary errors={errors} />
      <PostForm action="/notifications/preferences">
        {props.preferences.map((p) => {
          const label = t(p.labelKey as MessageKey);
          if (p.alwaysOn)
            return (
              <fieldset key={p.kind}>
                <legend>{label}</legend>
                <p class="hint">{t('notifications.preferences.alwaysOnHint')}</p>
              </fieldset>
            );
          const error = errors.find((e) => e.field === p.kind);
          const chosen = props.sent?.[p.kind] ?? p.delivery;
          return (
            <fieldset key={p.kind} class={error ? 'field-error' : undefined}>
              <legend>{label}</legend>
              {error && (
                <p class="error-message" id={`${fieldId(p.kind)}-error`}>
                  {t(error.message, error.values)}
                </p>
              )}
              {(['in_app', 'off'] as const).map((delivery, i) => {
                const id = i === 0 ? fieldId(p.kind) : `${fieldId(p.kind)}-${delivery}`;
                return (
                  <div class="radio" key={delivery}>
                    <input
                      type="radio"
                      id={id}
                      name={p.kind}
                      value={delivery}
                      checked={chosen === delivery}
                      aria-describedby={error ? `${fieldId(p.kind)}-error` : undefined}
                    />
                    <label for={id}>{t(`notifications.preferences.${delivery}` as MessageKey)}</label>
                  </div>
                );
              })}
            </fieldset>
          );
        })}
        <button type="submit" class="button">
          {t('notifications.preferences.save')}
        </button>
      </PostForm>
      <p>
        <a href="/account/warnings">{t('notifications.preferences.warningsLink')}</a>
      </p>
      <p>
        <a href="/notifications">{t('notifications.preferences.back')}</a>
      </p>
    </>
  );
}
