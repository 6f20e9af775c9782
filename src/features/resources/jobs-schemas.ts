import { Type } from 'typebox';

/**
 * What a job posting takes (ADR 0058), the one source for the service, the form and the OpenAPI
 * document (ADR 0029).
 */
export const jobLimits = {
  titleMax: 200,
  organizationNameMax: 200,
  descriptionMax: 5000,
  cityMax: 100,
  applyUrlMax: 2000,
  applyContactMax: 300,
  inclusionMax: 2000,
  /** A posting stays open this long unless its author chooses otherwise. */
  defaultDays: 60,
  /** At most this long from posting (or from a keeper's extension): an old offer misleads. */
  maxDays: 180,
  /** Deleted this long after it expired (data minimisation, ADR 0058). */
  keepExpiredDays: 90,
  pageSize: 20,
} as const;

export const dayMs = 86_400_000;

export const listingVisibilities = ['public', 'members', 'group'] as const;

const Day = Type.String({
  maxLength: 10,
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A day (YYYY-MM-DD, UTC): the posting is open until that day ends',
});

export const JobInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: jobLimits.titleMax }),
    organizationId: Type.Optional(
      Type.String({ maxLength: 64, description: 'An existing organisation with a listing you may read' }),
    ),
    organizationName: Type.Optional(
      Type.String({ maxLength: jobLimits.organizationNameMax, description: 'A new organisation, when no id is given' }),
    ),
    description: Type.String({ minLength: 1, maxLength: jobLimits.descriptionMax }),
    country: Type.Optional(Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2; needed unless remote' })),
    city: Type.Optional(Type.String({ maxLength: jobLimits.cityMax })),
    remote: Type.Optional(Type.Boolean()),
    applyUrl: Type.Optional(Type.String({ maxLength: jobLimits.applyUrlMax, description: 'An http or https link' })),
    applyContact: Type.Optional(
      Type.String({ maxLength: jobLimits.applyContactMax, description: 'How to apply, when there is no link' }),
    ),
    inclusionStatement: Type.String({ minLength: 1, maxLength: jobLimits.inclusionMax }),
    expiresOn: Type.Optional(Day),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('members'), Type.Literal('group')])),
    groupId: Type.Optional(Type.String({ maxLength: 64, description: 'For `group` visibility' })),
    language: Type.Optional(
      Type.Union([Type.Literal('ar'), Type.Literal('en')], {
        description: 'The language it is written in; the request’s when absent',
      }),
    ),
  },
  { additionalProperties: false },
);

export const JobExtendInput = Type.Object({ expiresOn: Day }, { additionalProperties: false });

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** Exactly what leaves the server about a job posting (presentJob). */
export const JobSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  organization: Type.Object({ id: Type.String(), name: Type.String() }),
  description: Type.String(),
  language: Nullable(Type.String()),
  country: Nullable(Type.String()),
  city: Nullable(Type.String()),
  remote: Type.Boolean(),
  applyUrl: Nullable(Type.String()),
  applyContact: Nullable(Type.String()),
  inclusionStatement: Type.String(),
  expiresAt: Type.Integer({ description: 'Epoch milliseconds' }),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('members'), Type.Literal('group')]),
  groupId: Nullable(Type.String()),
  reviewState: Type.Union([Type.Literal('published'), Type.Literal('pending'), Type.Literal('declined')]),
  createdAt: Type.Integer(),
});
