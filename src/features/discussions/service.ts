// What other features and this feature's routes and views use; one operation per file in services/.
export * from './services/ban-author.js';
export * from './services/create-thread.js';
export * from './services/delete-post.js';
export * from './services/drafts.js';
export * from './services/edit-post.js';
export * from './services/erase.js';
export * from './services/hide-post.js';
export * from './services/list-threads.js';
export * from './services/mentions.js';
export * from './services/model.js';
export * from './services/own-posts.js';
export * from './services/reactions.js';
export * from './services/read-thread.js';
export * from './services/reply.js';
export * from './services/warning-preferences.js';
export * from './services/watch.js';
export * from './services/preview.js';
