import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestRuntime, type TestRuntime } from './runtime.js';

const axeSource = fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

export interface BrowserServer {
  rt: TestRuntime;
  origin: string;
  browser: Browser;
  /** Addresses of every request the pages made, to prove nothing goes to another host. */
  requested: Set<string>;
  /** `bypassCSP` only for contexts that inject axe-core: the site's CSP rightly refuses inline scripts. */
  newContext(options?: {
    javaScriptEnabled?: boolean;
    locale?: string;
    width?: number;
    bypassCSP?: boolean;
  }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** A real Sanad server on a free loopback port, and a real Chromium to drive it. */
export async function startBrowserServer(): Promise<BrowserServer> {
  const rt = await createTestRuntime({ registrationOverride: undefined });
  const address = await rt.app.listen({ host: '127.0.0.1', port: 0 });
  const origin = address.replace('localhost', '127.0.0.1');
  // Quick exit lands on a page of the test server itself: the tests never leave loopback.
  rt.ctx.config.quickExitUrl = `${origin}/healthz`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const requested = new Set<string>();
  return {
    rt,
    origin,
    browser,
    requested,
    async newContext(options = {}) {
      const context = await browser.newContext({
        baseURL: origin,
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        locale: options.locale ?? 'ar',
        viewport: { width: options.width ?? 1280, height: 900 },
        bypassCSP: options.bypassCSP ?? false,
      });
      context.on('request', (request) => requested.add(request.url()));
      return context;
    },
    async close() {
      await browser.close();
      await rt.close();
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    // A run that checked nothing would pass vacuously; make sure rules were actually applied.
    if ((result as unknown as { passes: unknown[] }).passes.length === 0) throw new Error('axe-core checked nothing');
    return result.violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.resolve(import.meta.dirname, '../../screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
