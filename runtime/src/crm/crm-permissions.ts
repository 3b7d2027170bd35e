import type { Principal } from '../auth/roles.ts';
import { LivoraError } from '../errors.ts';

/** Who may change any record; sales may change the records they own, or that nobody owns. */
const EDIT_ANY = new Set(['admin', 'manager', 'marketer']);
/** Who may give a record to someone else (sales may take one for themselves). */
const ASSIGN_ANY = new Set(['admin', 'manager']);

export type CrmUser = Extract<Principal, { kind: 'user' }>;
type User = CrmUser;

/** The signed-in user behind a CRM request (write keys send events, nothing else). */
export function crmUser(principal: Principal): User {
  if (principal.kind !== 'user') throw new LivoraError('LIVORA_AUTH_FORBIDDEN', 'write keys only send events');
  return principal;
}

/** The user may change a record owned by `ownerId` (and assigned to `assigneeId`, for tasks). */
export function assertMayEdit(user: User, ownerId: string | null, assigneeId?: string | null): void {
  if (EDIT_ANY.has(user.role)) return;
  if (user.role === 'sales' && (ownerId === null || ownerId === user.subject || assigneeId === user.subject)) return;
  throw new LivoraError('LIVORA_AUTH_FORBIDDEN', `a ${user.role} may not change records owned by someone else`);
}

/** Whether the user may make `ownerId` the owner of a record. */
export function mayAssign(user: User, ownerId: string | null): boolean {
  return ASSIGN_ANY.has(user.role) || ownerId === user.subject;
}

/** The user may make `ownerId` the owner of a record. */
export function assertMayAssign(user: User, ownerId: string | null): void {
  if (mayAssign(user, ownerId)) return;
  throw new LivoraError('LIVORA_AUTH_FORBIDDEN', `a ${user.role} may only assign records to themselves`);
}
