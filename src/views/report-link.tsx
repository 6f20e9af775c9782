import { useView } from './context.js';

/**
 * The link to the report page (the moderation feature's `/reports/new`), beside a post, on a
 * discussion and on a group's page. Shared, since the features it sits in are the ones the
 * moderation feature acts through, and may not import it (ADR 0031, 0048).
 */
export function ReportLink(props: { targetType: 'post' | 'thread' | 'group'; targetId: string }) {
  const { t } = useView();
  const label =
    props.targetType === 'post'
      ? t('report.post')
      : props.targetType === 'thread'
        ? t('report.thread')
        : t('report.group');
  return (
    <a
      class="report-link"
      href={`/reports/new?targetType=${props.targetType}&targetId=${encodeURIComponent(props.targetId)}`}
      rel="nofollow"
    >
      {label}
    </a>
  );
}
