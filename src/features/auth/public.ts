// What other features may use of registration and sign-in; the rest is internal.
export { countRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.js';
export { createAccount, type NewAccount } from './service.js';
export { NewPassphraseField, RecoveryCodesPage, UsernameField } from './views.js';
