import { Type, type TSchema } from 'typebox';

/**
 * The one shape of every API error, registered once as the shared component `Error` (src/http/app.ts).
 * A schema violation and a service's refusal answer it alike: `fields` says which input and why (ADR 0029).
 */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, for programs: validation_failed, not_found, rate_limited, …' }),
      message: Type.String({ description: 'Localised, in the language the request asked for' }),
      fields: Type.Optional(
        Type.Array(
          Type.Object({
            field: Type.String({ description: 'The name of the input that needs another look' }),
            message: Type.String({ description: 'Localised' }),
          }),
        ),
      ),
    }),
  },
  { $id: 'Error' },
);
export const ErrorRef = Type.Ref('Error');

/** Response schemas for an API route: the success shapes plus the error statuses it can answer. */
export function responses(success: Record<number, TSchema>, ...errorStatuses: number[]): Record<number, TSchema> {
  const all: Record<number, TSchema> = { ...success };
  for (const status of [...new Set([400, 429, ...errorStatuses])].sort()) all[status] = ErrorRef;
  return all;
}

export const NoContent = Type.Null({ description: 'No content' });

export const Role = Type.Union([Type.Literal('member'), Type.Literal('moderator'), Type.Literal('admin')]);

export const User = Type.Object({ id: Type.String(), username: Type.String(), role: Role });

/** Optional form fields: HTML forms are checked by the services so errors show beside each field. */
export function formFields<K extends string>(...names: K[]) {
  return Type.Object(
    Object.fromEntries([...names, '_csrf'].map((name) => [name, Type.Optional(Type.String({ maxLength: 5000 }))])) as {
      [P in K | '_csrf']: ReturnType<typeof Type.Optional<ReturnType<typeof Type.String>>>;
    },
  );
}

/** A form whose fields the service checks: each a string, or several strings for repeated names. */
export const FreeForm = Type.Record(
  Type.String({ maxLength: 100 }),
  Type.Union([Type.String({ maxLength: 25_000 }), Type.Array(Type.String({ maxLength: 25_000 }), { maxItems: 20 })]),
  { maxProperties: 40 },
);
export type FreeFormBody = Record<string, string | string[]>;

/** The first value of a form field. */
export const one = (body: FreeFormBody, name: string): string | undefined => {
  const value = body[name];
  return Array.isArray(value) ? value[0] : value;
};
/** Every value of a repeated form field. */
export const many = (body: FreeFormBody, name: string): string[] => {
  const value = body[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};
/** Tags typed in one box, separated by Latin or Arabic commas, semicolons or new lines. */
export const splitList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/[,،;؛\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

export const Cursor = Type.String({ maxLength: 100, pattern: '^\\d{1,15}_[\\w-]{1,64}$' });
export { Id } from '../platform/schemas.js';

/** A yes/no query parameter: query strings are text, and the API does not coerce types. */
export const QueryFlag = Type.Union([Type.Literal('true'), Type.Literal('false')]);
