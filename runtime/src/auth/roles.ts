import { LivoraError } from '../errors.ts';

/** Console roles (see the CRM issue for what each may do there). */
export const ROLES = ['admin', 'manager', 'sales', 'marketer', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'events:write'
  | 'schemas:read'
  | 'schemas:write'
  | 'profiles:read'
  | 'analytics:read'
  | 'analytics:write'
  | 'audit:read'
  | 'users:manage'
  | 'crm:read'
  | 'crm:write'
  | 'crm:delete'
  | 'crm:configure';

/** Who may do what; write keys may only send events. Enforced on every endpoint. */
const GRANTS: Readonly<Record<Permission, readonly Role[]>> = {
  'events:write': ['admin', 'manager', 'marketer'],
  'schemas:read': ROLES,
  'schemas:write': ['admin', 'manager'],
  'profiles:read': ROLES,
  // Analysts and above: sales and viewers see the CRM, not the analytics.
  'analytics:read': ['admin', 'manager', 'marketer', 'analyst'],
  // Saved funnels cost the warehouse work at every load: those who build the analysis.
  'analytics:write': ['admin', 'manager', 'analyst'],
  'audit:read': ['admin'],
  'users:manage': ['admin'],
  // Who may change which record (sales: their own) is decided per record: crm-permissions.ts.
  'crm:read': ROLES,
  'crm:write': ['admin', 'manager', 'sales', 'marketer'],
  'crm:delete': ['admin', 'manager'],
  'crm:configure': ['admin', 'manager'],
};

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

export type Principal =
  | {
      readonly kind: 'write-key';
      readonly tenantId: string;
      readonly keyId: string;
      readonly ratePerSecond: number | null;
      readonly burst: number | null;
    }
  | { readonly kind: 'user'; readonly tenantId: string; readonly role: Role; readonly subject: string };

export function assertAllowed(principal: Principal, permission: Permission): void {
  const allowed =
    principal.kind === 'write-key' ? permission === 'events:write' : GRANTS[permission].includes(principal.role);
  if (!allowed) {
    const who = principal.kind === 'write-key' ? 'a write key' : `role ${principal.role}`;
    throw new LivoraError('LIVORA_AUTH_FORBIDDEN', `${who} does not allow ${permission}`);
  }
}
