// What other features may use of chat: nothing yet.
export {};
