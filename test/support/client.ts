import { randomInt } from 'node:crypto';
import type { App } from '../../src/http/app.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes on the wire, after any compression. */
  bytes: number;
  json<T = any>(): T;
}

/**
 * A browser-like client over app.inject(): it keeps cookies, reads CSRF tokens from pages and
 * submits forms as urlencoded bodies, or speaks JSON to the API.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  acceptLanguage = 'en';
  bearer: string | undefined;
  /** Each client comes from its own address, as separate people do, so rate limits apply per client. */
  remoteAddress = `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`;

  constructor(readonly app: App) {}

  async request(
    method: Method,
    url: string,
    options: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { 'accept-language': this.acceptLanguage, ...options.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    let payload: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.json);
    }
    const response = await this.app.inject({
      method,
      url,
      headers,
      remoteAddress: this.remoteAddress,
      ...(payload !== undefined ? { payload } : {}),
    });
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired =
        cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return {
      status: response.statusCode,
      headers: response.headers as TestResponse['headers'],
      body: response.body,
      bytes: response.rawPayload.length,
      json: () => JSON.parse(response.body),
    };
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, headers ? { headers } : {});
  }

  /** Loads the page with the form, then posts it with the page's CSRF token, as a browser would. */
  async submit(pageUrl: string, action: string, fields: Record<string, string>): Promise<TestResponse> {
    const page = await this.get(pageUrl);
    const token = csrfTokenIn(page.body);
    return this.request('POST', action, { form: { ...fields, _csrf: token } });
  }

  async postForm(action: string, fields: Record<string, string>): Promise<TestResponse> {
    return this.request('POST', action, { form: fields });
  }

  api(method: Method, url: string, json?: unknown, headers?: Record<string, string>) {
    return this.request(method, url, { ...(json !== undefined ? { json } : {}), ...(headers ? { headers } : {}) });
  }
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token in page');
  return match[1]!;
}
