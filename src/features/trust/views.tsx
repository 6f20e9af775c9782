import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import type { TrustLevel } from '../../db/schema.js';
import { useView } from '../../views/context.js';
import {
  ActionButton,
  Checkbox,
  ErrorSummary,
  Field,
  ListRow,
  Notice,
  PageHeading,
  PostForm,
  SelectField,
  TextArea,
} from '../../views/components.js';
import { thresholdMax, thresholdNames, type TrustThresholds } from './rules.js';
import type { TrustProgress, VouchEntry } from './service.js';

export type TrustNotice = 'vouched' | 'withdrawn' | 'set' | 'thresholds';

const noticeKeys: Record<TrustNotice, MessageKey> = {
  vouched: 'trust.notice.vouched',
  withdrawn: 'trust.notice.withdrawn',
  set: 'trust.notice.set',
  thresholds: 'trust.notice.thresholds',
};

const levelKeys: Record<TrustLevel, MessageKey> = {
  new: 'trust.level.new',
  member: 'trust.level.member',
  trusted: 'trust.level.trusted',
};

function NextStep(props: { progress: TrustProgress }) {
  const { t } = useView();
  const { level, held, record, thresholds: th } = props.progress;
  if (held) return <p>{t('trust.next.held')}</p>;
  if (level === 'trusted') return <p>{t('trust.next.top')}</p>;
  if (level === 'new') {
    return (
      <>
        <p>{t('trust.next.memberLead')}</p>
        <ul>
          <li>{t('trust.next.memberTime', { days: th.memberDays, posts: th.memberPosts, reads: th.memberReads })}</li>
          <li>{t('trust.next.memberVouch', { count: th.memberVouches })}</li>
        </ul>
        <p>
          {t('trust.next.record', {
            days: record.days,
            posts: record.posts,
            reads: record.reads,
            vouches: record.vouches,
          })}
        </p>
        <p class="hint">{t('trust.next.newLimits')}</p>
      </>
    );
  }
  return (
    <>
      <p>{t('trust.next.trustedLead')}</p>
      <ul>
        <li>
          {t('trust.next.trustedNeeds', { days: th.trustedDays, posts: th.trustedPosts, vouches: th.trustedVouches })}
        </li>
      </ul>
      <p>
        {t('trust.next.record', {
          days: record.days,
          posts: record.posts,
          reads: record.reads,
          vouches: record.vouches,
        })}
      </p>
    </>
  );
}

function VouchList(props: { entries: VouchEntry[]; withdraw: boolean; empty: string }) {
  const { t, formatDate } = useView();
  if (props.entries.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <ul class="row-list">
      {props.entries.map((entry) => (
        <ListRow
          key={entry.userId}
          title={entry.username}
          titleDir="auto"
          facts={[{ label: t('trust.vouches.since'), value: formatDate(entry.createdAt) }]}
        >
          {props.withdraw && (
            <ActionButton
              action={`/account/trust/vouches/${encodeURIComponent(entry.userId)}/withdraw`}
              label={t('trust.vouches.withdraw')}
              kind="secondary"
            />
          )}
        </ListRow>
      ))}
    </ul>
  );
}

export function TrustPage(props: {
  progress: TrustProgress;
  vouches: { given: VouchEntry[]; received: VouchEntry[] };
  canVouch: boolean;
  notice?: TrustNotice | undefined;
  values?: { username?: string | undefined };
  errors?: FieldError[];
  general?: MessageKey | undefined;
}) {
  const { t } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading lead={t('trust.page.lead')}>{t('trust.page.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(noticeKeys[props.notice])}</Notice>}
      <section class="panel" aria-labelledby="trust-level">
        <h2 id="trust-level">{t('trust.page.levelTitle', { level: t(levelKeys[props.progress.level]) })}</h2>
        <p>{t(`trust.explain.${props.progress.level}`)}</p>
        <NextStep progress={props.progress} />
      </section>

      <section class="panel" aria-labelledby="trust-vouch">
        <h2 id="trust-vouch">{t('trust.vouch.title')}</h2>
        <p class="hint">{t('trust.vouch.private')}</p>
        {props.canVouch ? (
          <PostForm action="/account/trust/vouches">
            <ErrorSummary errors={errors} general={props.general} />
            <Field
              name="username"
              label={t('trust.vouch.username')}
              hint={t('trust.vouch.hint')}
              errors={errors}
              value={props.values?.username}
              autocomplete="off"
              autocapitalize="none"
              spellcheck={false}
              required
              maxLength={60}
            />
            <button type="submit" class="button">
              {t('trust.vouch.submit')}
            </button>
          </PostForm>
        ) : (
          <p>{t('trust.vouch.onlyTrusted')}</p>
        )}
        <h3>{t('trust.vouches.given')}</h3>
        <VouchList entries={props.vouches.given} withdraw empty={t('trust.vouches.noneGiven')} />
        <h3>{t('trust.vouches.received')}</h3>
        <VouchList entries={props.vouches.received} withdraw={false} empty={t('trust.vouches.noneReceived')} />
      </section>
    </>
  );
}

export interface ReviewedAccount {
  id: string;
  username: string;
  trustLevel: TrustLevel;
  held: boolean;
  vouches: { given: VouchEntry[]; received: VouchEntry[] };
}

export function TrustAdminPage(props: {
  thresholds: TrustThresholds;
  canChangeThresholds: boolean;
  account?: ReviewedAccount | undefined;
  notice?: TrustNotice | undefined;
  levelForm?: { values: Record<string, string | undefined>; errors: FieldError[]; general?: MessageKey | undefined };
  thresholdForm?: { values: Record<string, string | undefined>; errors: FieldError[] };
}) {
  const { t } = useView();
  const levelErrors = props.levelForm?.errors ?? [];
  const levelValues = props.levelForm?.values ?? { username: props.account?.username };
  const thresholdErrors = props.thresholdForm?.errors ?? [];
  return (
    <>
      <PageHeading lead={t('trust.admin.lead')}>{t('trust.admin.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(noticeKeys[props.notice])}</Notice>}

      <section class="panel" aria-labelledby="trust-find">
        <h2 id="trust-find">{t('trust.admin.findTitle')}</h2>
        <form method="get" action="/admin/trust" class="inline-form">
          <Field
            name="username"
            form="find"
            label={t('trust.vouch.username')}
            value={props.account?.username}
            maxLength={60}
          />
          <button type="submit" class="button button-secondary">
            {t('trust.admin.find')}
          </button>
        </form>
        {props.account && (
          <>
            <h3 dir="auto">{props.account.username}</h3>
            <p>
              {t('trust.admin.current', { level: t(levelKeys[props.account.trustLevel]) })}{' '}
              {props.account.held ? t('trust.admin.held') : t('trust.admin.automatic')}
            </p>
            <h4>{t('trust.vouches.given')}</h4>
            <VouchList entries={props.account.vouches.given} withdraw={false} empty={t('trust.vouches.noneGiven')} />
            <h4>{t('trust.vouches.received')}</h4>
            <VouchList
              entries={props.account.vouches.received}
              withdraw={false}
              empty={t('trust.vouches.noneReceived')}
            />
          </>
        )}
      </section>

      <section class="panel" aria-labelledby="trust-set">
        <h2 id="trust-set">{t('trust.admin.setTitle')}</h2>
        <PostForm action="/admin/trust/level">
          <ErrorSummary errors={levelErrors} general={props.levelForm?.general} form="level" />
          <Field
            name="username"
            form="level"
            label={t('trust.vouch.username')}
            errors={levelErrors}
            value={levelValues.username}
            autocomplete="off"
            required
            maxLength={60}
          />
          <SelectField
            name="level"
            form="level"
            label={t('trust.admin.level')}
            errors={levelErrors}
            value={levelValues.level ?? props.account?.trustLevel}
            options={(['new', 'member', 'trusted'] as const).map((level) => ({
              value: level,
              label: t(levelKeys[level]),
            }))}
          />
          <TextArea
            name="reason"
            form="level"
            label={t('trust.admin.reason')}
            hint={t('trust.admin.reasonHint')}
            errors={levelErrors}
            value={levelValues.reason}
            rows={2}
            maxLength={500}
          />
          <Checkbox
            name="hold"
            form="level"
            label={t('trust.admin.hold')}
            hint={t('trust.admin.holdHint')}
            checked={props.levelForm ? levelValues.hold === 'on' : true}
          />
          <button type="submit" class="button">
            {t('trust.admin.setSubmit')}
          </button>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="trust-thresholds">
        <h2 id="trust-thresholds">{t('trust.thresholds.title')}</h2>
        <p class="hint">{t('trust.thresholds.lead')}</p>
        {props.canChangeThresholds ? (
          <PostForm action="/admin/trust/thresholds">
            <ErrorSummary errors={thresholdErrors} form="thresholds" />
            {thresholdNames.map((name) => (
              <Field
                key={name}
                name={name}
                form="thresholds"
                type="number"
                inputMode="numeric"
                min={0}
                max={thresholdMax}
                label={t(`trust.thresholds.${name}`)}
                errors={thresholdErrors}
                value={props.thresholdForm?.values[name] ?? String(props.thresholds[name])}
              />
            ))}
            <button type="submit" class="button">
              {t('trust.thresholds.save')}
            </button>
          </PostForm>
        ) : (
          <dl class="summary-list">
            {thresholdNames.map((name) => (
              <div key={name}>
                <dt>{t(`trust.thresholds.${name}`)}</dt>
                <dd>{props.thresholds[name]}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
    </>
  );
}
