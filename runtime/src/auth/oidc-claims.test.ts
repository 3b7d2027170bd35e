import { describe, expect, it } from 'vitest';
import { parseRoleMap, roleFromClaim } from './oidc-claims.ts';

describe('roles from an issuer’s claim', () => {
  const map = parseRoleMap('crm-sales=sales,Livora Admins=admin');

  it('takes a role’s own name, or what the map gives a group, the strongest of several', () => {
    expect(roleFromClaim('manager', map)).toBe('manager');
    expect(roleFromClaim(['staff', 'crm-sales'], map)).toBe('sales');
    expect(roleFromClaim(['crm-sales', 'Livora Admins', 'viewer'], map)).toBe('admin');
    expect(roleFromClaim(['viewer', 'analyst'], map)).toBe('analyst');
  });

  it('gives no role for no claim, other groups, or values that are not text', () => {
    expect(roleFromClaim(undefined, map)).toBeNull();
    expect(roleFromClaim(['staff'], map)).toBeNull();
    expect(roleFromClaim([{ admin: true }, 7], map)).toBeNull();
    expect(roleFromClaim('Admin', map)).toBeNull(); // role names are exact
  });

  it('refuses a map entry that names no role', () => {
    expect(() => parseRoleMap('admins=root')).toThrow(/maps to no role/);
  });
});
