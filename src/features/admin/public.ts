// What the rest of the code base may use of administration (the server's start and the CLI); the rest is internal.
export { issueResetCode } from './reset-codes.js';
export { ensureSetupLink } from './setup-service.js';
