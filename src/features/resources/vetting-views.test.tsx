import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { formatDate, formatDateTime, formatNumber, loadCatalogs, translator } from '../../i18n/index.js';
import { directionOf, type Locale } from '../../i18n/locales.js';
import { visitor } from '../../security/actor.js';
import { viewContext, type ViewContext } from '../../views/context.js';
import { CorrectionLink, InformationChecked, VerificationStatus, VerifyLink } from './vetting-views.js';

before(async () => loadCatalogs());

function render(locale: Locale, node: VNode): string {
  const view: ViewContext = {
    t: translator(locale),
    locale,
    dir: directionOf(locale),
    actor: visitor,
    currentPath: '/',
    csrfToken: () => 'token',
    asset: (name) => name,
    formatNumber: (value) => formatNumber(locale, value),
    formatDate: (ms) => formatDate(locale, ms),
    formatDateTime: (ms) => formatDateTime(locale, ms),
    navigation: [],
    counts: {},
  };
  return renderToString(<viewContext.Provider value={view}>{node}</viewContext.Provider>);
}

const verifiedAt = Date.UTC(2026, 0, 10);
const status = (
  locale: Locale,
  now: number,
  months = 12,
  at: number | string | null = verifiedAt,
  method = 'visited',
) =>
  render(
    locale,
    <VerificationStatus verifiedAt={at} verifiedMethod={method} months={months} now={now} locale={locale} />,
  );

test('a fresh mark says verified, when and how, in words', () => {
  const en = status('en', Date.UTC(2026, 5, 1));
  assert.match(en, /Verified LGBTQ-affirming/);
  assert.match(en, /Last verified on January 10, 2026\./);
  assert.match(en, /How: a moderator visited\./);
  const ar = status('ar', Date.UTC(2026, 5, 1));
  assert.ok(ar.includes(translator('ar')('resources.vetting.status.verified')));
  assert.ok(ar.includes(formatDate('ar', verifiedAt)));
  // PostgreSQL's bigint arrives as text.
  assert.equal(status('en', Date.UTC(2026, 5, 1), 12, String(verifiedAt)), en);
});

test('a lapsed mark warns that it may no longer be true; the months decide when', () => {
  const now = Date.UTC(2026, 7, 1);
  assert.match(status('en', now, 12), /Verified LGBTQ-affirming/);
  const stale = status('en', now, 6);
  assert.match(stale, /This was last verified on January 10, 2026; it may no longer be true\./);
  assert.doesNotMatch(stale, /Verified LGBTQ-affirming/);
  assert.match(stale, /notice-warning/);
});

test('no mark: not verified yet; an unknown method is left unsaid', () => {
  assert.match(status('en', Date.UTC(2026, 5, 1), 12, null), /Not verified yet/);
  assert.doesNotMatch(status('en', Date.UTC(2026, 5, 1), 12, verifiedAt, 'guessed'), /How:/);
});

test('information last checked: shown for an HSDS date, nothing for none or nonsense', () => {
  assert.match(
    render('en', <InformationChecked assuredDate="2026-03-02" locale="en" />),
    /Information last checked on March 2, 2026\./,
  );
  assert.equal(render('en', <InformationChecked assuredDate={null} locale="en" />), '');
  assert.equal(render('en', <InformationChecked assuredDate="soon" locale="en" />), '');
});

test('the links a listing page gives correcting readers and keepers', () => {
  assert.match(render('ar', <CorrectionLink serviceId="abc" />), /href="\/resources\/abc\/correct"/);
  assert.match(
    render('en', <VerifyLink serviceId="abc" />),
    /href="\/resources\/abc\/verify">Verify, renew or withdraw the mark</,
  );
});
