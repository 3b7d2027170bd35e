import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackEvent } from '../support/events.ts';
import { postJson, startTestApi, type TestApi } from '../support/test-api.ts';

// A stand-in OIDC issuer speaking the documented wire format: discovery document + JWKS.
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'test-key-1';
let issuer: Server;
let issuerUrl: string;
let api: TestApi;

function sign(claims: Record<string, unknown>, options: { key?: typeof signingKey; aud?: string; iss?: string } = {}) {
  const signer = createSigner({
    key: (options.key ?? signingKey).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    algorithm: 'RS256',
    kid: KID,
    iss: options.iss ?? issuerUrl,
    aud: options.aud ?? 'livora-console',
    sub: 'user-7',
    expiresIn: 600_000,
  });
  return signer(claims);
}

beforeAll(async () => {
  issuer = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      response.end(JSON.stringify({ issuer: issuerUrl, jwks_uri: `${issuerUrl}/keys` }));
    } else if (request.url === '/keys') {
      const jwk = signingKey.publicKey.export({ format: 'jwk' });
      response.end(JSON.stringify({ keys: [{ ...jwk, kid: KID, alg: 'RS256', use: 'sig' }] }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
  api = await startTestApi({ LIVORA_OIDC_ISSUER: issuerUrl, LIVORA_OIDC_AUDIENCE: 'livora-console' });
});
afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => issuer?.close(resolve));
});

describe('tokens from an OIDC issuer (RS256, JWKS)', () => {
  it('accepts a token whose claims name the tenant and a permitted role', async () => {
    const { tenantId } = await api.tenant();
    const token = sign({ livora_tenant: tenantId, livora_role: 'manager' });
    const response = await postJson(
      `${api.url}/v1/events`,
      { events: [trackEvent()] },
      { authorization: `Bearer ${token}` },
    );
    expect(response.status).toBe(202);
  });

  it('refuses a token for another audience, from a key not in the JWKS, or without a tenant', async () => {
    const { tenantId } = await api.tenant();
    const send = (token: string) =>
      postJson(`${api.url}/v1/events`, { events: [trackEvent()] }, { authorization: `Bearer ${token}` });
    const cases = [
      sign({ livora_tenant: tenantId, livora_role: 'admin' }, { aud: 'someone-else' }),
      sign({ livora_tenant: tenantId, livora_role: 'admin' }, { key: strangerKey }),
      sign({ livora_role: 'admin' }),
      sign({ livora_tenant: tenantId, livora_role: 'superuser' }),
      // The local tokens' audience is not this issuer's.
      sign({ livora_tenant: tenantId, livora_role: 'admin' }, { aud: 'livora' }),
      sign({ livora_tenant: 'no-such-tenant', livora_role: 'admin' }),
    ];
    for (const token of cases) {
      const response = await send(token);
      expect(response.status).toBe(401);
      expect(response.json.code).toBe('LIVORA_AUTH_TOKEN_INVALID');
    }
  });

  it('still accepts local tokens beside the issuer’s', async () => {
    const { tenantId } = await api.tenant();
    const response = await postJson(
      `${api.url}/v1/events`,
      { events: [trackEvent()] },
      { authorization: `Bearer ${api.token(tenantId, 'admin')}` },
    );
    expect(response.status).toBe(202);
  });

  it('has no console login at the issuer until a client id and redirect URI are set', async () => {
    const response = await fetch(`${api.url}/v1/auth/oidc/login`, { redirect: 'manual' });
    expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([
      404,
      'LIVORA_AUTH_OIDC_OFF',
    ]);
  });
});
