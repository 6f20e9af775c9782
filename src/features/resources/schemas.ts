import { Type, type Static } from 'typebox';

/**
 * The one source of a listing's shape (ADR 0029, ADR 0054): the limits the service checks, the
 * API's input and output schemas, and the forms' `maxLength`s all read what is written here.
 */
export const listingLimits = {
  nameMax: 200,
  descriptionMax: 4000,
  organizationNameMax: 200,
  cityMax: 80,
  urlMax: 500,
  emailMax: 200,
  phoneMax: 40,
  phones: 3,
  addressMax: 300,
  postalCodeMax: 20,
  eligibilityMax: 1000,
  documentMax: 200,
  documents: 10,
  terms: 13 + 50,
  reasonMax: 500,
  /** Opening windows a day on the form; HSDS holds any number. */
  windowsPerDay: 2,
  termNameMax: 80,
  termCodeMax: 60,
} as const;

export const listingVisibilities = ['public', 'members', 'group'] as const;
export const costs = ['free', 'sliding', 'paid'] as const;
export const contentLanguages = ['ar', 'en'] as const;
/** HSDS's days (RFC 5545 BYDAY), Monday first as the standard lists them. */
export const weekDays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekDay = (typeof weekDays)[number];
/** Where a week may start: Saturday and Sunday across most of the region, Monday elsewhere. */
export const weekStarts = ['SA', 'SU', 'MO'] as const;

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM, 24 hours' });

/** What a keeper writes, or a member suggests. */
export const NewListingSchema = Type.Object(
  {
    organizationId: Type.Optional(
      Nullable(Type.String({ maxLength: 64, description: 'An existing organisation; or give organizationName' })),
    ),
    organizationName: Type.Optional(
      Type.String({ maxLength: listingLimits.organizationNameMax, description: 'A new organisation' }),
    ),
    name: Type.String({ minLength: 1, maxLength: listingLimits.nameMax }),
    description: Type.String({ minLength: 1, maxLength: listingLimits.descriptionMax }),
    language: literals(contentLanguages),
    translation: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: listingLimits.nameMax })),
          description: Type.Optional(Type.String({ maxLength: listingLimits.descriptionMax })),
        },
        { additionalProperties: false, description: 'The name and description in the other language (ar or en)' },
      ),
    ),
    terms: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: listingLimits.terms })),
    visibility: literals(listingVisibilities),
    groupId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'When visibility is group' }))),
    country: Type.Optional(Nullable(Type.String({ maxLength: 2, description: 'ISO 3166 code' }))),
    city: Type.Optional(Nullable(Type.String({ maxLength: listingLimits.cityMax }))),
    remote: Type.Optional(Type.Boolean()),
    cost: Type.Optional(Type.Union([literals(costs), Type.Null()])),
    languages: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 10 })),
    url: Type.Optional(Nullable(Type.String({ maxLength: listingLimits.urlMax }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: listingLimits.emailMax }))),
    phones: Type.Optional(
      Type.Array(
        Type.Object(
          {
            number: Type.String({ minLength: 1, maxLength: listingLimits.phoneMax }),
            confidential: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        { maxItems: listingLimits.phones },
      ),
    ),
    address: Type.Optional(
      Type.Union([
        Type.Object(
          {
            address1: Type.String({ minLength: 1, maxLength: listingLimits.addressMax }),
            city: Type.String({ minLength: 1, maxLength: listingLimits.cityMax }),
            country: Type.String({ maxLength: 2 }),
            postalCode: Type.Optional(Type.String({ maxLength: listingLimits.postalCodeMax })),
            confidential: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    hours: Type.Optional(
      Type.Array(
        Type.Object(
          { day: literals(weekDays), opens: Time, closes: Time },
          { additionalProperties: false, description: 'closes before opens: open past midnight' },
        ),
        { maxItems: 7 * listingLimits.windowsPerDay },
      ),
    ),
    tz: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'IANA time zone of the hours' }))),
    wkst: Type.Optional(literals(weekStarts)),
    eligibility: Type.Optional(Nullable(Type.String({ maxLength: listingLimits.eligibilityMax }))),
    documents: Type.Optional(
      Type.Array(Type.String({ maxLength: listingLimits.documentMax }), { maxItems: listingLimits.documents }),
    ),
  },
  { additionalProperties: false },
);

/** A change: only what changes; a list given replaces the list. */
export const ListingChangesSchema = Type.Partial(NewListingSchema, { additionalProperties: false });

/**
 * What the service takes from the API or a form: the same fields, each optional and the choices
 * unchecked, so the service says which field is wrong in the reader's language.
 */
export interface ListingInput {
  organizationId?: string | null | undefined;
  organizationName?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  language?: string | undefined;
  translation?: { name?: string | undefined; description?: string | undefined } | undefined;
  terms?: string[] | undefined;
  visibility?: string | undefined;
  groupId?: string | null | undefined;
  country?: string | null | undefined;
  city?: string | null | undefined;
  remote?: boolean | undefined;
  cost?: string | null | undefined;
  languages?: string[] | undefined;
  url?: string | null | undefined;
  email?: string | null | undefined;
  phones?: { number: string; confidential?: boolean | undefined }[] | undefined;
  address?:
    | {
        address1: string;
        city: string;
        country: string;
        postalCode?: string | undefined;
        confidential?: boolean | undefined;
      }
    | null
    | undefined;
  hours?: { day: string; opens: string; closes: string }[] | undefined;
  tz?: string | null | undefined;
  wkst?: string | undefined;
  eligibility?: string | null | undefined;
  documents?: string[] | undefined;
}

export const ReviewInputSchema = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
    reason: Type.Optional(Type.String({ maxLength: listingLimits.reasonMax, description: 'Asked when declining' })),
  },
  { additionalProperties: false },
);

export const DeleteInputSchema = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: listingLimits.reasonMax }) },
  { additionalProperties: false },
);

const Localised = Type.Object({
  text: Type.Union([Type.String(), Type.Null()]),
  lang: Type.Union([Type.String(), Type.Null()], { description: 'The language the text is in' }),
});

export const TermSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String({ description: "In the request's language" }),
  builtin: Type.Boolean(),
});
export type TermView = Static<typeof TermSchema>;

export const NewTermSchema = Type.Object(
  {
    nameAr: Type.String({ minLength: 1, maxLength: listingLimits.termNameMax }),
    nameEn: Type.String({ minLength: 1, maxLength: listingLimits.termNameMax }),
    code: Type.Optional(
      Type.String({
        maxLength: listingLimits.termCodeMax,
        description: 'Lower-case letters, digits and hyphens; made from the English name when left out',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The "verified LGBTQ-affirming" mark as members may know it: never who gave it, never the keepers' note. */
export const VerificationSchema = Type.Object({
  verifiedAt: Type.Union([Type.Integer(), Type.Null()], { description: 'When it was verified, epoch ms (UTC day)' }),
  method: Type.Union([Type.Literal('visited'), Type.Literal('vouched'), Type.Literal('statement'), Type.Null()], {
    description: 'visited, vouched (by named members, to moderators) or statement',
  }),
  freshness: Type.Union([Type.Literal('verified'), Type.Literal('stale'), Type.Literal('unverified')], {
    description: 'stale: verified once, and the mark has lapsed',
  }),
  lapsesAt: Type.Union([Type.Integer(), Type.Null()], { description: 'When the mark lapses or lapsed, epoch ms' }),
});

/**
 * Exactly what leaves the server about a listing. Confidential locations, addresses, contacts and
 * phones are never here: the API answers programs, which may keep and pass on what they read.
 */
export const ListingSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Localised,
  description: Localised,
  language: Type.Union([Type.String(), Type.Null()]),
  translations: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
  organization: Type.Union([Type.Object({ id: Type.String(), name: Localised, description: Localised }), Type.Null()]),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('members'), Type.Literal('group')]),
  groupId: Type.Union([Type.String(), Type.Null()]),
  reviewState: Type.Union([Type.Literal('published'), Type.Literal('pending'), Type.Literal('declined')]),
  country: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  remote: Type.Boolean(),
  cost: Type.Union([Type.Literal('free'), Type.Literal('sliding'), Type.Literal('paid'), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  tz: Type.Union([Type.String(), Type.Null()]),
  phones: Type.Array(Type.Object({ number: Type.String(), type: Type.Union([Type.String(), Type.Null()]) })),
  addresses: Type.Array(
    Type.Object({
      address1: Type.Union([Type.String(), Type.Null()]),
      address2: Type.Union([Type.String(), Type.Null()]),
      city: Type.Union([Type.String(), Type.Null()]),
      stateProvince: Type.Union([Type.String(), Type.Null()]),
      postalCode: Type.Union([Type.String(), Type.Null()]),
      country: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  contacts: Type.Array(
    Type.Object({
      name: Type.Union([Type.String(), Type.Null()]),
      title: Type.Union([Type.String(), Type.Null()]),
      email: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  schedules: Type.Array(
    Type.Object({
      byday: Type.Union([Type.String(), Type.Null()]),
      opensAt: Type.Union([Type.String(), Type.Null()]),
      closesAt: Type.Union([Type.String(), Type.Null()]),
      wkst: Type.Union([Type.String(), Type.Null()]),
      tz: Type.Union([Type.String(), Type.Null()]),
      description: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  languages: Type.Array(Type.String()),
  serviceAreas: Type.Array(Type.Object({ name: Type.Union([Type.String(), Type.Null()]) })),
  costOptions: Type.Array(
    Type.Object({
      option: Type.Union([Type.String(), Type.Null()]),
      amount: Type.Union([Type.Number(), Type.Null()]),
      currency: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  eligibility: Type.Object({
    description: Type.Union([Type.String(), Type.Null()]),
    minimumAge: Type.Union([Type.Number(), Type.Null()]),
    maximumAge: Type.Union([Type.Number(), Type.Null()]),
  }),
  requiredDocuments: Type.Array(Type.String()),
  terms: Type.Array(TermSchema),
  lastModified: Type.Union([Type.String(), Type.Null()]),
  verification: VerificationSchema,
  /** HSDS's "the date the information was last checked": set when a keeper accepts a correction. */
  assuredDate: Type.Union([Type.String(), Type.Null()]),
  /** A job posting's own fields (ADR 0058); null for a service. */
  job: Type.Union([
    Type.Object({
      applyUrl: Type.Union([Type.String(), Type.Null()]),
      applyContact: Type.Union([Type.String(), Type.Null()]),
      inclusionStatement: Type.Union([Type.String(), Type.Null()]),
      expiresAt: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  abilities: Type.Object({
    readNotes: Type.Boolean(),
    note: Type.Boolean(),
    correct: Type.Boolean(),
    verify: Type.Boolean(),
    edit: Type.Boolean(),
  }),
});
export type ListingApi = Static<typeof ListingSchema>;

/**
 * A page form whose fields the service checks, lengths included: each value is bounded by the body
 * limit only, as FreeForm's are, so a value too long is refused beside its field with the form as it
 * was sent; formFields' 5,000 characters answer a bare error page that loses everything typed.
 */
export function checkedFormFields<K extends string>(...names: K[]) {
  return Type.Object(
    Object.fromEntries([...names, '_csrf'].map((name) => [name, Type.Optional(Type.String())])) as {
      [P in K | '_csrf']: ReturnType<typeof Type.Optional<ReturnType<typeof Type.String>>>;
    },
  );
}
