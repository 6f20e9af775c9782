// What other features may use of sessions: starting and ending a browser's session; the rest is internal.
export { beginSession, finishSession } from './cookie.js';
export { endSession } from './service.js';
