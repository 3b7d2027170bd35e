import { createSigner } from 'fast-jwt';
import type { Role } from './roles.ts';

export const LOCAL_ISSUER = 'livora-local';
export const LOCAL_AUDIENCE = 'livora';

/** A local HS256 token: what a login gives a user, and `livora token` scripts and tests. */
export function mintLocalToken(
  secret: string,
  claims: { tenant: string; role: Role; subject?: string; expiresInSeconds?: number },
): string {
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    sub: claims.subject ?? `cli:${claims.role}`,
    expiresIn: (claims.expiresInSeconds ?? 3600) * 1000,
  });
  return sign({ tenant: claims.tenant, role: claims.role });
}
