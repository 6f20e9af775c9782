/**
 * How the interface addresses a member in languages whose verbs, adjectives and imperatives are
 * gendered (Arabic): chosen by the member on the account page, plural/neutral unless they chose
 * otherwise (ADR 0037). Every message receives it as the ICU argument `address`, so a catalogue
 * writes `{address, select, masculine {…} feminine {…} other {…}}` where a sentence needs it.
 */
export const addressForms = ['neutral', 'feminine', 'masculine'] as const;
export type AddressForm = (typeof addressForms)[number];
export const defaultAddressForm: AddressForm = 'neutral';

export function isAddressForm(value: unknown): value is AddressForm {
  return (addressForms as readonly unknown[]).includes(value);
}
