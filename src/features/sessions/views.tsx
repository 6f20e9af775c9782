import { useView } from '../../views/context.js';
import { Notice, PageHeading, PostForm } from '../../views/components.js';
import type { SessionSummary } from './service.js';

export function SessionsPage(props: { sessions: SessionSummary[]; notice?: 'revoked' | 'revokedOthers' | undefined }) {
  const { t, formatDate } = useView();
  const others = props.sessions.filter((s) => !s.current).length;
  return (
    <>
      <PageHeading lead={t('sessions.lead')}>{t('sessions.title')}</PageHeading>
      {props.notice === 'revoked' && <Notice kind="success">{t('sessions.revokedOne')}</Notice>}
      {props.notice === 'revokedOthers' && <Notice kind="success">{t('sessions.revokedOthers')}</Notice>}
      <ul class="session-list">
        {props.sessions.map((session) => (
          <li key={session.id} class={session.current ? 'session session-current' : 'session'}>
            <p class="session-device">
              <strong dir="ltr">{session.device}</strong>
              {session.current && <span class="tag">{t('sessions.thisDevice')}</span>}
            </p>
            <p class="muted">
              {t('sessions.started', { date: formatDate(session.createdAt) })}
              {' · '}
              {t('sessions.lastActive', { date: formatDate(session.lastActiveDay) })}
            </p>
            <PostForm action={`/account/sessions/${encodeURIComponent(session.id)}/revoke`} class="inline-form">
              <button type="submit" class="button button-secondary button-small">
                {session.current ? t('sessions.signOutHere') : t('sessions.revoke')}
              </button>
            </PostForm>
          </li>
        ))}
      </ul>
      {others > 0 && (
        <section class="panel">
          <p>{t('sessions.othersCount', { count: others })}</p>
          <PostForm action="/account/sessions/revoke-others">
            <button type="submit" class="button">
              {t('sessions.revokeOthers')}
            </button>
          </PostForm>
        </section>
      )}
      <p class="hint">{t('sessions.noAddresses')}</p>
    </>
  );
}
