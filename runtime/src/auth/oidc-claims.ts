import { isRole, ROLES, type Role } from './roles.ts';

/** `livora-admins=admin,sales-team=sales` as a lookup (LIVORA_OIDC_ROLE_MAP). */
export function parseRoleMap(text: string | undefined): ReadonlyMap<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of text ? text.split(',') : []) {
    const [value = '', role] = pair.split('=');
    if (!isRole(role)) throw new Error(`LIVORA_OIDC_ROLE_MAP: "${pair}" maps to no role`);
    map.set(value.trim(), role);
  }
  return map;
}

/**
 * The role an issuer's role claim gives: the claim is one value or a list (groups, app
 * roles); each value counts as itself when it is a role's name, or as what the map says.
 * Of several, the strongest wins. None: null.
 */
export function roleFromClaim(claim: unknown, roleMap: ReadonlyMap<string, Role>): Role | null {
  const values = (Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === 'string');
  const roles = values.map((v) => roleMap.get(v) ?? (isRole(v) ? v : null)).filter((r): r is Role => r !== null);
  // ROLES runs from the strongest to the weakest.
  return ROLES.find((role) => roles.includes(role)) ?? null;
}
