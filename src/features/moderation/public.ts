// What other features may use of moderation; the log's and the queue's writes are in src/platform/moderation.ts.
export {};
