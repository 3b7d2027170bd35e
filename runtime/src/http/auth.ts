import type { FastifyRequest } from 'fastify';
import buildGetJwks from 'get-jwks';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../auth/local-tokens.ts';
import { roleFromClaim } from '../auth/oidc-claims.ts';
import { assertAllowed, isRole, type Permission, type Principal, type Role } from '../auth/roles.ts';
import type { WriteKeyResolver } from '../auth/write-key-resolver.ts';
import { LivoraError } from '../errors.ts';
import { isTenantId } from '../tenants/tenants.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface OidcSettings {
  readonly issuer: string;
  readonly audience?: string;
  readonly tenantClaim: string;
  readonly roleClaim: string;
  /** Values of the role claim (groups) and the role each gives. */
  readonly roleMap: ReadonlyMap<string, Role>;
}

export interface AuthSettings {
  readonly localSecret: string;
  readonly oidc?: OidcSettings;
}

/** Options of @fastify/jwt: HS256 with the local secret, RS256 from the OIDC issuer's JWKS. */
export function jwtPluginOptions(settings: AuthSettings) {
  const { oidc } = settings;
  const jwks = oidc ? buildGetJwks({ providerDiscovery: true, issuersWhitelist: [oidc.issuer] }) : null;
  return {
    decode: { complete: true },
    verify: {
      algorithms: oidc ? ['HS256', 'RS256'] : ['HS256'],
      allowedIss: oidc ? [LOCAL_ISSUER, oidc.issuer] : [LOCAL_ISSUER],
      allowedAud: oidc?.audience ? [LOCAL_AUDIENCE, oidc.audience] : [LOCAL_AUDIENCE],
      // A token's verdict is kept until it expires (1,000 tokens, the latest): its signature
      // is checked once, not at every request (HMAC was 3% of a read's CPU in the API).
      cache: true,
    },
    secret: async (
      _request: FastifyRequest,
      token: { header: { alg?: string; kid?: string }; payload: { iss?: string } },
    ) => {
      const { alg, kid } = token.header;
      if (alg === 'HS256' && token.payload.iss === LOCAL_ISSUER) return settings.localSecret;
      if (alg === 'RS256' && jwks && oidc && token.payload.iss === oidc.issuer) {
        return jwks.getPublicKey({ kid, alg, domain: oidc.issuer });
      }
      throw new LivoraError(
        'LIVORA_AUTH_TOKEN_INVALID',
        `tokens signed with ${alg ?? 'no algorithm'} by ${token.payload.iss ?? 'no issuer'} are not accepted`,
      );
    },
  };
}

/**
 * Makes the preHandler that authenticates a request and checks its permission. Sources
 * use a write key (HTTP Basic, as Segment does: the key as user name; or `writeKey` in the
 * body, for beacons that cannot set headers); people and services use a bearer JWT.
 */
export function createAuthenticator(deps: {
  keys: WriteKeyResolver;
  /** Whether a tenant named by a token exists (tokens are not checked against the database otherwise). */
  tenantExists: (tenantId: string) => Promise<boolean>;
  oidc?: OidcSettings;
}) {
  async function identify(request: FastifyRequest, bodyWriteKey: boolean): Promise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      const fromBody = bodyWriteKey ? (request.body as { writeKey?: unknown } | null)?.writeKey : undefined;
      if (typeof fromBody === 'string' && fromBody !== '') return deps.keys.resolve(fromBody);
      throw new LivoraError('LIVORA_AUTH_MISSING', 'send a write key (HTTP Basic) or a bearer token');
    }
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon === -1 ? decoded : decoded.slice(0, colon);
      const key = user || (colon === -1 ? '' : decoded.slice(colon + 1));
      if (!key)
        throw new LivoraError('LIVORA_AUTH_MALFORMED', 'Basic credentials must carry the write key as user name');
      return deps.keys.resolve(key);
    }
    if (scheme?.toLowerCase() === 'bearer' && value) return verifyToken(request);
    throw new LivoraError('LIVORA_AUTH_MALFORMED', 'use "Basic <base64 of writeKey:>" or "Bearer <token>"');
  }

  async function verifyToken(request: FastifyRequest): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      payload = await request.jwtVerify<Record<string, unknown>>();
    } catch (error) {
      if (error instanceof LivoraError) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') throw new LivoraError('LIVORA_AUTH_TOKEN_EXPIRED');
      throw new LivoraError('LIVORA_AUTH_TOKEN_INVALID', (error as Error).message);
    }
    const local = payload.iss === LOCAL_ISSUER;
    // Each issuer's tokens must carry that issuer's own audience.
    const audience = local ? LOCAL_AUDIENCE : deps.oidc?.audience;
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (audience !== undefined && !audiences.includes(audience)) {
      throw new LivoraError('LIVORA_AUTH_TOKEN_INVALID', `the token is not for audience ${audience}`);
    }
    const tenant = payload[local ? 'tenant' : (deps.oidc?.tenantClaim ?? 'tenant')];
    const role = local
      ? payload.role
      : roleFromClaim(payload[deps.oidc?.roleClaim ?? 'role'], deps.oidc?.roleMap ?? new Map());
    if (typeof tenant !== 'string' || !isTenantId(tenant) || !(await deps.tenantExists(tenant))) {
      throw new LivoraError('LIVORA_AUTH_TOKEN_INVALID', 'the token names no existing tenant');
    }
    if (!isRole(role)) throw new LivoraError('LIVORA_AUTH_TOKEN_INVALID', 'the token names no known role');
    return { kind: 'user', tenantId: tenant, role, subject: String(payload.sub ?? 'unknown') };
  }

  return (options: { permission: Permission; bodyWriteKey?: boolean }) =>
    async function authenticate(request: FastifyRequest): Promise<void> {
      const principal = await identify(request, options.bodyWriteKey ?? false);
      assertAllowed(principal, options.permission);
      request.principal = principal;
    };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** The principal of an authenticated request (routes run after `authenticate`). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route ran without authentication');
  return request.principal;
}
