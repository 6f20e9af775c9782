// What other features and this feature's routes and views use; one operation per file in services/.
export * from './services/bans.js';
export * from './services/create.js';
export * from './services/directory.js';
export * from './services/edit.js';
export * from './services/invite-links.js';
export * from './services/join.js';
export * from './services/leave.js';
export * from './services/load.js';
export * from './services/members.js';
export * from './services/model.js';
export * from './services/my-groups.js';
export * from './services/requests.js';
export * from './services/roles.js';
