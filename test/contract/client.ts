// A small client of the Sanad API written only from the types that openapi-typescript generates
// from /api/v1/openapi.json (ADR 0029). test/api-contract.test.ts generates them into generated/,
// type-checks this file against them, then runs it against a real server. Nothing here may
// import the application's own code: if the document is wrong, this file stops compiling.
import type { components, paths } from './generated/openapi.js';

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Operation<P extends keyof paths, M extends keyof paths[P]> = NonNullable<paths[P][M]>;
type BodyOf<O> = O extends { requestBody: infer R }
  ? Json<NonNullable<R>>
  : O extends { requestBody?: infer R }
    ? Json<NonNullable<R>>
    : never;
type AnswerOf<O, S extends number> = O extends { responses: infer R }
  ? S extends keyof R
    ? Json<R[S]>
    : never
  : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type ApiError = components['schemas']['Error'];

/** An answer other than the one the client expected, with the API's error shape when it sent one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly answer: ApiError | undefined,
  ) {
    super(`HTTP ${status}: ${answer?.error.code ?? 'no error body'} ${answer?.error.message ?? ''}`);
  }
}

export type RegisterBody = BodyOf<Operation<'/api/v1/auth/register', 'post'>>;
export type Registered = AnswerOf<Operation<'/api/v1/auth/register', 'post'>, 201>;
export type NewGroup = BodyOf<Operation<'/api/v1/groups', 'post'>>;
export type CreatedGroup = AnswerOf<Operation<'/api/v1/groups', 'post'>, 201>;
export type NewThread = BodyOf<Operation<'/api/v1/groups/{id}/threads', 'post'>>;
export type CreatedThread = AnswerOf<Operation<'/api/v1/groups/{id}/threads', 'post'>, 201>;
export type NewPost = BodyOf<Operation<'/api/v1/threads/{id}/posts', 'post'>>;
export type CreatedPost = AnswerOf<Operation<'/api/v1/threads/{id}/posts', 'post'>, 201>;
export type ReplyDraft = BodyOf<Operation<'/api/v1/threads/{id}/draft', 'put'>>;
export type DraftAnswer = AnswerOf<Operation<'/api/v1/threads/{id}/draft', 'get'>, 200>;
export type ThreadList = AnswerOf<Operation<'/api/v1/groups/{id}/threads', 'get'>, 200>;
export type ThreadPage = AnswerOf<Operation<'/api/v1/threads/{id}', 'get'>, 200>;
export type SearchQuery = QueryOf<Operation<'/api/v1/search', 'get'>>;
export type SearchAnswer = AnswerOf<Operation<'/api/v1/search', 'get'>, 200>;
export type PreferencesChange = BodyOf<Operation<'/api/v1/notifications/preferences', 'put'>>;
export type Preferences = AnswerOf<Operation<'/api/v1/notifications/preferences', 'get'>, 200>;

export class SanadClient {
  token: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly language = 'en',
  ) {}

  private async call<T>(method: string, path: string, expected: number, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': this.language };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (response.status !== expected) throw new ApiFailure(response.status, parsed as ApiError | undefined);
    return parsed as T;
  }

  async register(body: RegisterBody): Promise<Registered> {
    const answer = await this.call<Registered>('POST', '/api/v1/auth/register', 201, body);
    this.token = answer.token;
    return answer;
  }

  createGroup(body: NewGroup): Promise<CreatedGroup> {
    return this.call('POST', '/api/v1/groups', 201, body);
  }

  startThread(groupId: string, body: NewThread): Promise<CreatedThread> {
    return this.call('POST', `/api/v1/groups/${encodeURIComponent(groupId)}/threads`, 201, body);
  }

  reply(threadId: string, body: NewPost): Promise<CreatedPost> {
    return this.call('POST', `/api/v1/threads/${encodeURIComponent(threadId)}/posts`, 201, body);
  }

  saveReplyDraft(threadId: string, body: ReplyDraft): Promise<DraftAnswer> {
    return this.call('PUT', `/api/v1/threads/${encodeURIComponent(threadId)}/draft`, 200, body);
  }

  replyDraft(threadId: string): Promise<DraftAnswer> {
    return this.call('GET', `/api/v1/threads/${encodeURIComponent(threadId)}/draft`, 200);
  }

  threads(groupId: string): Promise<ThreadList> {
    return this.call('GET', `/api/v1/groups/${encodeURIComponent(groupId)}/threads`, 200);
  }

  thread(threadId: string): Promise<ThreadPage> {
    return this.call('GET', `/api/v1/threads/${encodeURIComponent(threadId)}`, 200);
  }

  preferences(): Promise<Preferences> {
    return this.call('GET', '/api/v1/notifications/preferences', 200);
  }

  choosePreferences(body: PreferencesChange): Promise<Preferences> {
    return this.call('PUT', '/api/v1/notifications/preferences', 200, body);
  }

  search(query: SearchQuery): Promise<SearchAnswer> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    return this.call('GET', `/api/v1/search?${params}`, 200);
  }
}
