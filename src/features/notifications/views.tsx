import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import { ActionButton, PageHeading, Pager } from '../../views/components.js';
import type { NotificationItem, NotificationList } from './service.js';

function hrefOf(n: NotificationItem): string {
  // A reset code nobody asked for is made useless by a new passphrase: lead straight to that form.
  if (n.kind === 'reset_code') return '/account#change-passphrase';
  if (!n.group) return '/account';
  if (n.postId) return `/posts/${n.postId}`;
  if (n.thread) return `/threads/${n.thread.id}`;
  if (n.kind === 'join_request') return `/groups/${n.group.id}/requests`;
  return `/groups/${n.group.id}`;
}

export function NotificationsPage(props: { list: NotificationList }) {
  const { t, formatDate } = useView();
  const { items, next } = props.list;
  const unread = items.some((n) => !n.read);
  return (
    <>
      <PageHeading lead={t('notifications.lead')}>{t('notifications.title')}</PageHeading>
      {unread && <ActionButton action="/notifications/read" label={t('notifications.markRead')} kind="secondary" />}
      {items.length === 0 ? (
        <p class="empty">{t('notifications.empty')}</p>
      ) : (
        <ul class="notification-list">
          {items.map((n) => (
            <li key={n.id} class={n.read ? 'notification' : 'notification notification-unread'}>
              {!n.read && <span class="visually-hidden">{t('notifications.unread')}: </span>}
              <a href={hrefOf(n)}>
                {t(`notifications.kind.${n.kind}` as MessageKey, {
                  group: n.group?.name ?? '',
                  thread: n.thread?.title ?? '',
                })}
              </a>
              <span class="muted"> · {formatDate(n.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <Pager next={next} base="/notifications" label={t('list.more')} />
    </>
  );
}
