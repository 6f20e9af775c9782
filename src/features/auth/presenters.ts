import type { Role } from '../../db/schema.js';

/** Exactly what leaves the server about an account; a new column never leaks by accident. */
export interface PublicUser {
  id: string;
  username: string;
  role: Role;
}

export function presentUser(row: { id: string; username: string; role: Role }): PublicUser {
  return { id: row.id, username: row.username, role: row.role };
}
