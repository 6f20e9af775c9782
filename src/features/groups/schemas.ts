import { Type, type Static } from 'typebox';
import { groupLanguages } from '../../i18n/regions.js';

/**
 * The one source of a group's shape (ADR 0029): the limits, the API's input schemas, the group as
 * the feature holds it and as the API shows it. The service's checks, the forms' `maxLength` and
 * the OpenAPI document all read what is written here.
 */
export const groupLimits = {
  nameMin: 3,
  nameMax: 80,
  descriptionMax: 2000,
  cityMax: 80,
  tagMax: 40,
  tagsPerKind: 8,
  questions: 3,
  questionMax: 300,
  answerMax: 1000,
  inviteUsesMax: 100,
  inviteDaysMax: 30,
  languagesMax: groupLanguages.length,
} as const;

export const visibilities = ['public', 'private', 'hidden'] as const;
export const VisibilitySchema = Type.Union([Type.Literal('public'), Type.Literal('private'), Type.Literal('hidden')]);
export type Visibility = (typeof visibilities)[number];

export const tagKinds = ['interest', 'issue', 'identity'] as const;
export type TagKind = (typeof tagKinds)[number];
export const TagSchema = Type.Object({
  kind: Type.Union([Type.Literal('interest'), Type.Literal('issue'), Type.Literal('identity')]),
  label: Type.String(),
});
export type Tag = Static<typeof TagSchema>;

const Tags = (description: string) =>
  Type.Array(Type.String({ maxLength: groupLimits.tagMax }), { maxItems: groupLimits.tagsPerKind, description });

/** What a group's owner writes: creating a group needs its name, description and visibility. */
export const NewGroupSchema = Type.Object(
  {
    name: Type.String({ minLength: groupLimits.nameMin, maxLength: groupLimits.nameMax }),
    description: Type.String({ minLength: 1, maxLength: groupLimits.descriptionMax }),
    languages: Type.Optional(
      Type.Array(Type.String({ maxLength: 10 }), {
        minItems: 1,
        maxItems: groupLimits.languagesMax,
        description: "Language codes; when left out, the creator's language (the language of the request)",
      }),
    ),
    country: Type.Optional(Type.Union([Type.String({ maxLength: 2 }), Type.Null()], { description: 'ISO 3166 code' })),
    city: Type.Optional(Type.Union([Type.String({ maxLength: groupLimits.cityMax }), Type.Null()])),
    visibility: VisibilitySchema,
    interests: Type.Optional(Tags('Interest tags')),
    issues: Type.Optional(Tags('Issue tags')),
    identities: Type.Optional(Tags('Identity tags')),
    questions: Type.Optional(
      Type.Array(Type.String({ maxLength: groupLimits.questionMax }), {
        maxItems: groupLimits.questions,
        description: 'Asked of whoever asks to join a private group',
      }),
    ),
    membersListOpen: Type.Optional(Type.Boolean({ description: 'Every member may see the member list' })),
    anonymousPosting: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A change of settings: only what changes. */
export const GroupChangesSchema = Type.Partial(NewGroupSchema, { additionalProperties: false });

/** What PATCH takes: the changes, and the owner's yes to showing the group to more people (ADR 0042). */
export const GroupUpdateSchema = Type.Object(
  {
    ...GroupChangesSchema.properties,
    confirmVisibilityIncrease: Type.Optional(
      Type.Boolean({
        description:
          'Required (true) when `visibility` shows the group to more people (hidden → private or public, private → public); without it the change is refused with 409 and nothing changes',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * What the service takes, from the API or from a form: the same fields, each optional, the
 * visibility still unchecked (a form sends any text; the service says which field is wrong).
 */
export type GroupInput = Partial<Omit<Static<typeof NewGroupSchema>, 'visibility'>> & {
  visibility?: string | undefined;
};

/** A group as the feature holds it. */
export const GroupRecordSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  languages: Type.Array(Type.String()),
  country: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  visibility: VisibilitySchema,
  tags: Type.Array(TagSchema),
  questions: Type.Array(Type.String()),
  membersListOpen: Type.Boolean(),
  anonymousPosting: Type.Boolean(),
  createdAt: Type.Integer(),
  lastActivityAt: Type.Integer({
    description: 'Epoch milliseconds for members; for everyone else only the day (UTC midnight)',
  }),
});
export type Group = Static<typeof GroupRecordSchema>;

/** Exactly what leaves the server about a group: nothing about who belongs to it or how many do. */
export const GroupSchema = Type.Object({
  ...Type.Omit(GroupRecordSchema, ['createdAt']).properties,
  /** The caller's own relation to the group. */
  membership: Type.Union([Type.Literal('owner'), Type.Literal('moderator'), Type.Literal('member'), Type.Null()]),
  pendingRequest: Type.Boolean(),
});
export type GroupView = Static<typeof GroupSchema>;
