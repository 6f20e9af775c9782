import { useView } from './context.js';

export function ErrorPage(props: { status: number; message: string }) {
  const { t } = useView();
  return (
    <section class="panel">
      <h1>{props.message}</h1>
      <p class="muted">{t('error.statusLine', { status: props.status })}</p>
      <p>
        <a href="/">{t('error.backHome')}</a>
      </p>
    </section>
  );
}
