import { useView } from '../../../views/context.js';
import { Notice, PageHeading } from '../../../views/components.js';

/**
 * The keepers' page for HSDS import and export. The app takes no multipart uploads, so export is a
 * plain GET form (a download, no script needed) and import is described as the API call it is.
 */
export function ImportExportPage() {
  const { t } = useView();
  return (
    <>
      <PageHeading lead={t('resources.hsds.page.intro')}>{t('resources.hsds.page.title')}</PageHeading>
      <section class="panel" aria-labelledby="hsds-export">
        <h2 id="hsds-export">{t('resources.hsds.page.exportHeading')}</h2>
        <Notice kind="info">
          <p>{t('resources.hsds.page.exportSafety')}</p>
        </Notice>
        <form method="get" action="/api/v1/resources/export" class="stack">
          <fieldset>
            <legend>{t('resources.hsds.page.formatHeading')}</legend>
            <div class="radio">
              <input type="radio" id="hsds-format-json" name="format" value="json" checked />
              <label for="hsds-format-json">{t('resources.hsds.page.exportJson')}</label>
            </div>
            <div class="radio">
              <input type="radio" id="hsds-format-package" name="format" value="datapackage" />
              <label for="hsds-format-package">{t('resources.hsds.page.exportPackage')}</label>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('resources.hsds.page.reachHeading')}</legend>
            <div class="radio">
              <input type="radio" id="hsds-reach-public" name="reach" value="public" checked />
              <label for="hsds-reach-public">{t('resources.hsds.page.reachPublic')}</label>
            </div>
            <div class="radio">
              <input type="radio" id="hsds-reach-members" name="reach" value="members" />
              <label for="hsds-reach-members">{t('resources.hsds.page.reachMembers')}</label>
            </div>
            <div class="radio">
              <input type="radio" id="hsds-reach-all" name="reach" value="all" />
              <label for="hsds-reach-all">{t('resources.hsds.page.reachAll')}</label>
            </div>
          </fieldset>
          <button type="submit" class="button">
            {t('resources.hsds.page.download')}
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="hsds-import">
        <h2 id="hsds-import">{t('resources.hsds.page.importHeading')}</h2>
        <p>{t('resources.hsds.page.importHow')}</p>
        <p>{t('resources.hsds.page.importWhole')}</p>
        <p>{t('resources.hsds.page.importVisibility')}</p>
        <p>{t('resources.hsds.page.importLimit')}</p>
        <pre dir="ltr">
          <code>
            {
              'curl -H "Authorization: Bearer …" \\\n  -H "Content-Type: application/zip" \\\n  --data-binary @directory.zip \\\n  "/api/v1/resources/import?visibility=public&language=ar"'
            }
          </code>
        </pre>
      </section>
      <section class="panel" aria-labelledby="hsds-api">
        <h2 id="hsds-api">{t('resources.hsds.page.apiHeading')}</h2>
        <p>{t('resources.hsds.page.apiHow')}</p>
        <p dir="ltr">
          <code>/api/hsds/services</code>, <code>/api/hsds/organizations</code>,{' '}
          <code>/api/hsds/service_at_locations</code>, <code>/api/hsds/taxonomies</code>,{' '}
          <code>/api/hsds/taxonomy_terms</code>
        </p>
      </section>
    </>
  );
}
