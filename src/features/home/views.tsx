import { useView } from '../../views/context.js';
import { PageHeading } from '../../views/components.js';
import { Sentence } from '../../views/sentence.js';
import { ActivityList } from '../discussions/public.js';
import type { ActivityItem } from '../discussions/public.js';

export function HomePage(props: { fresh: ActivityItem[]; recent: ActivityItem[] }) {
  const { t, actor } = useView();
  if (actor.kind === 'user') {
    return (
      <>
        <PageHeading lead={t('home.memberLead')}>
          <Sentence message="home.welcomeBack" names={{ name: actor.username }} />
        </PageHeading>
        <section aria-labelledby="new-title">
          <h2 id="new-title">{t('home.newTitle')}</h2>
          {props.fresh.length ? <ActivityList items={props.fresh} /> : <p class="empty">{t('home.newEmpty')}</p>}
        </section>
        <section aria-labelledby="activity-title">
          <div class="section-heading">
            <h2 id="activity-title">{t(props.fresh.length ? 'home.activityOthersTitle' : 'home.activityTitle')}</h2>
            <a class="button button-secondary" href="/groups">
              {t('home.findGroups')}
            </a>
          </div>
          {props.recent.length === 0 && props.fresh.length ? (
            <p class="empty">{t('home.activityAllAbove')}</p>
          ) : (
            <ActivityList items={props.recent} />
          )}
        </section>
        <section class="panel">
          <h2>{t('home.nextStepsTitle')}</h2>
          <ul class="link-list">
            <li>
              <a href="/account">{t('home.linkAccount')}</a>
            </li>
            <li>
              <a href="/account/sessions">{t('home.linkSessions')}</a>
            </li>
            <li>
              <a href="/safety">{t('home.linkSafety')}</a>
            </li>
          </ul>
        </section>
      </>
    );
  }
  return (
    <>
      <PageHeading lead={t('app.tagline')}>{t('home.visitorTitle')}</PageHeading>
      <section class="panel">
        <p>{t('home.visitorIntro')}</p>
        <ul class="feature-list">
          <li>{t('home.pointSupport')}</li>
          <li>{t('home.pointKnowledge')}</li>
          <li>{t('home.pointResources')}</li>
        </ul>
        <p class="actions">
          <a class="button" href="/register">
            {t('nav.register')}
          </a>
          <a class="button button-secondary" href="/login">
            {t('nav.signIn')}
          </a>
        </p>
      </section>
      <section class="panel">
        <h2>{t('home.privacyTitle')}</h2>
        <p>{t('home.privacyBody')}</p>
      </section>
    </>
  );
}

export function QuickExitPage() {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('quickExit.lead')}>{t('quickExit.title')}</PageHeading>
      <section class="panel">
        <h2>{t('quickExit.doesTitle')}</h2>
        <ul>
          <li>{t('quickExit.does1')}</li>
          <li>{t('quickExit.does2')}</li>
          <li>{t('quickExit.does3')}</li>
        </ul>
        <h2>{t('quickExit.doesNotTitle')}</h2>
        <ul>
          <li>{t('quickExit.doesNot1')}</li>
          <li>{t('quickExit.doesNot2')}</li>
          <li>{t('quickExit.doesNot3')}</li>
        </ul>
        <p>{t('quickExit.privateBrowsing')}</p>
      </section>
    </>
  );
}

export function SafetyPage() {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('safety.lead')}>{t('safety.title')}</PageHeading>
      <section class="panel">
        <h2>{t('safety.accountTitle')}</h2>
        <ul>
          <li>{t('safety.account1')}</li>
          <li>{t('safety.account2')}</li>
          <li>{t('safety.account3')}</li>
        </ul>
        <h2>{t('safety.peopleTitle')}</h2>
        <ul>
          <li>{t('safety.people1')}</li>
          <li>{t('safety.people2')}</li>
          <li>{t('safety.people3')}</li>
        </ul>
        <h2>{t('safety.deviceTitle')}</h2>
        <ul>
          <li>{t('safety.device1')}</li>
          <li>{t('safety.device2')}</li>
          <li>{t('safety.device3')}</li>
        </ul>
        <h2>{t('safety.serverTitle')}</h2>
        <p>{t('safety.serverBody')}</p>
      </section>
    </>
  );
}
