import { Type } from 'typebox';
import { addressForms } from '../../i18n/address.js';
import { Role } from '../../http/schemas.js';

/** How the interface addresses the member (ADR 0037): the service, the form and the API read this one list. */
export const AddressFormSchema = Type.Union(
  addressForms.map((form) => Type.Literal(form)),
  {
    description:
      'How the interface addresses the member in languages whose grammar is gendered (Arabic): neutral (plural/neutral forms, the default), feminine or masculine',
  },
);

export const Me = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: Role,
  createdAt: Type.Integer(),
  address: AddressFormSchema,
});
