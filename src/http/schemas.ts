import { Type, type TSchema } from 'typebox';

/** The one shape of every API error. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String({ description: 'Localised, in the language the request asked for' }),
      fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    }),
  },
  { $id: 'Error' },
);

/** Response schemas for an API route: the success shapes plus the error statuses it can answer. */
export function responses(success: Record<number, TSchema>, ...errorStatuses: number[]): Record<number, TSchema> {
  const all: Record<number, TSchema> = { ...success };
  for (const status of new Set([400, 429, ...errorStatuses])) all[status] = ErrorResponse;
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
