import type { FieldError } from '../../platform/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { useView } from '../../views/context.js';
import { ErrorSummary, Field, ListRow, Notice, PageHeading, PostForm, TextArea } from '../../views/components.js';
import type { PendingApplication } from './applications.js';
import { decisionMessageMax } from './applications.js';
import type { AccountReview } from './freeze.js';
import { freezeLimits } from './freeze.js';

export function ApplicationsPage(props: {
  applications: PendingApplication[];
  notice?: MessageKey | undefined;
  errors?: FieldError[];
  general?: MessageKey | undefined;
}) {
  const { t, formatDate } = useView();
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading lead={t('vetting.applications.lead')}>{t('vetting.applications.title')}</PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary errors={errors} general={props.general} />
      {props.applications.length === 0 ? (
        <p class="muted">{t('vetting.applications.none')}</p>
      ) : (
        <ul class="row-list" aria-label={t('vetting.applications.title')}>
          {props.applications.map((a) => (
            <ListRow
              key={a.id}
              title={a.username}
              titleDir="auto"
              facts={[{ label: t('vetting.applications.applied'), value: formatDate(a.createdAt) }]}
            >
              <div class="stack">
                {a.answers.map((pair, i) => (
                  <div key={i}>
                    <p class="hint" dir="auto">
                      {pair.question}
                    </p>
                    <p dir="auto">{pair.answer}</p>
                  </div>
                ))}
                <PostForm action={`/moderation/applications/${a.id}/decision`}>
                  <TextArea
                    name="message"
                    form={`decision-${a.id}`}
                    label={t('vetting.applications.message')}
                    hint={t('vetting.applications.messageHint')}
                    rows={2}
                    maxLength={decisionMessageMax}
                    errors={errors}
                  />
                  <div class="actions">
                    <button type="submit" class="button button-small" name="decision" value="approve">
                      {t('vetting.applications.approve')}
                    </button>
                    <button type="submit" class="button button-small button-danger" name="decision" value="decline">
                      {t('vetting.applications.decline')}
                    </button>
                  </div>
                </PostForm>
              </div>
            </ListRow>
          ))}
        </ul>
      )}
    </>
  );
}

export function AccountReviewPage(props: {
  account: AccountReview;
  notice?: MessageKey | undefined;
  errors?: FieldError[];
  general?: MessageKey | undefined;
}) {
  const { t, formatDate } = useView();
  const a = props.account;
  const errors = props.errors ?? [];
  return (
    <>
      <PageHeading>
        <bdi dir="auto">{a.username}</bdi>
      </PageHeading>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <ErrorSummary errors={errors} general={props.general} />
      <dl class="row-facts">
        <div>
          <dt>{t('vetting.account.joined')}</dt>
          <dd>{formatDate(a.joinedAt)}</dd>
        </div>
        <div>
          <dt>{t('vetting.account.trust')}</dt>
          <dd>{t(`vetting.trust.${a.trust}`)}</dd>
        </div>
        <div>
          <dt>{t('vetting.account.state')}</dt>
          <dd>{a.frozen ? t('vetting.account.frozen') : t('vetting.account.notFrozen')}</dd>
        </div>
        {a.invitesFrozen && (
          <div>
            <dt>{t('vetting.account.invites')}</dt>
            <dd>{t('vetting.account.invitesStopped')}</dd>
          </div>
        )}
        <div>
          <dt>{t('vetting.account.invitedBy')}</dt>
          <dd>
            {a.invitedBy ? (
              <a href={`/moderation/accounts/${a.invitedBy.id}`}>
                <bdi dir="auto">{a.invitedBy.username}</bdi>
              </a>
            ) : (
              t('vetting.account.noInviter')
            )}
          </dd>
        </div>
      </dl>
      <p>
        <a href={`/moderation/invite-tree?root=${a.id}`}>{t('vetting.account.branch')}</a>
      </p>
      {a.canFreeze && (
        <section class="panel" aria-labelledby="freeze">
          <h2 id="freeze">{a.frozen ? t('vetting.freeze.undoTitle') : t('vetting.freeze.title')}</h2>
          <p>{a.frozen ? t('vetting.freeze.undoHint') : t('vetting.freeze.hint')}</p>
          <PostForm action={`/moderation/accounts/${a.id}/${a.frozen ? 'unfreeze' : 'freeze'}`}>
            <Field
              name="reason"
              label={t('vetting.freeze.reason')}
              required
              maxLength={freezeLimits.reasonMax}
              errors={errors}
            />
            <button type="submit" class={`button${a.frozen ? '' : ' button-danger'}`}>
              {a.frozen ? t('vetting.freeze.undo') : t('vetting.freeze.submit')}
            </button>
          </PostForm>
        </section>
      )}
      <p class="hint">{t('vetting.account.caseHint')}</p>
    </>
  );
}
