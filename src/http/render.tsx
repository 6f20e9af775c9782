import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Layout } from '../views/layout.js';
import { viewContext, type ViewContext } from '../views/context.js';

/** Renders a page inside the layout. Preact escapes every value; nothing here writes raw HTML. */
export function renderPage(view: ViewContext, title: string, body: VNode): string {
  return (
    '<!doctype html>' +
    renderToString(
      <viewContext.Provider value={view}>
        <Layout title={title}>{body}</Layout>
      </viewContext.Provider>,
    )
  );
}
