import { Type } from 'typebox';

// TypeBox schemas that features' input schemas share with the HTTP layer; no HTTP here, so services may read them.

/** A public id: 128-bit random, URL-safe. */
export const Id = Type.String({ maxLength: 64, pattern: '^[\\w-]{1,64}$' });
