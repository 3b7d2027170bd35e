import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/signed-in.ts';
import { startTestApi, type TestApi } from '../support/test-api.ts';

// A real OpenID Provider (panva's oidc-provider, its development login pages) on this machine.
let issuerServer: Server;
let issuerUrl: string;
let api: TestApi;
let tenantId: string;
const CLIENT_ID = 'livora-console';
/** The issuer's people, by login name: the claims it vouches for. */
const accounts: Record<string, Record<string, unknown>> = {};

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  let provider: Provider | undefined;
  issuerServer = createServer((request, response) => provider?.callback()(request, response));
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  const apiPort = await freePort();
  const redirectUri = `http://127.0.0.1:${apiPort}/v1/auth/oidc/callback`;
  provider = new Provider(issuerUrl, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none', // a public client: PKCE alone
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ['sub', 'livora_tenant', 'livora_role', 'groups'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    conformIdTokenClaims: false, // the scopes' claims in the ID token, as Cognito and Entra ID put them
    cookies: { keys: ['test-cookie-key'] },
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          kid: 'k1',
          use: 'sig',
          alg: 'RS256',
        },
      ],
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    findAccount: async (_ctx, sub) =>
      accounts[sub] ? { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) } : undefined,
  });
  api = await startTestApi({
    LIVORA_PORT: String(apiPort),
    LIVORA_OIDC_ISSUER: issuerUrl,
    LIVORA_OIDC_AUDIENCE: CLIENT_ID,
    LIVORA_OIDC_CLIENT_ID: CLIENT_ID,
    LIVORA_OIDC_REDIRECT_URI: redirectUri,
    LIVORA_OIDC_ROLE_CLAIM: 'groups',
    LIVORA_OIDC_ROLE_MAP: 'crm-sales=sales,crm-admins=admin',
  });
  ({ tenantId } = await api.tenant());
}, 60_000);
afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => issuerServer?.close(resolve));
});

/**
 * What a browser does: follow redirects (keeping each site's cookies), fill the issuer's
 * login form as `login`, consent, and stop at Livora's callback, whose answer it returns.
 */
async function browserLogin(login: string, returnTo?: string, options: { stopAtCallback?: boolean } = {}) {
  const cookies = new Map<string, string>();
  const request = async (url: string, init: RequestInit = {}) => {
    const host = new URL(url).host;
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as object), cookie: cookies.get(host) ?? '' },
    });
    const jar = new Map(
      (cookies.get(host) ?? '')
        .split('; ')
        .filter(Boolean)
        .map((c) => c.split('=', 2) as [string, string]),
    );
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const [name = '', value = ''] = pair.split('=', 2);
      jar.set(name, value);
    }
    cookies.set(host, [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    return response;
  };
  let url = `${api.url}/v1/auth/oidc/login${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`;
  for (let step = 0; step < 20; step++) {
    if (options.stopAtCallback && url.startsWith(`${api.url}/v1/auth/oidc/callback`))
      return { response: null as unknown as Response, location: null, callback: url };
    const response = await request(url);
    const location = response.headers.get('location');
    if (url.startsWith(`${api.url}/v1/auth/oidc/callback`)) return { response, location, callback: url };
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const page = await response.text();
    const action = /action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no form at ${url} (${response.status}): ${page.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1] ?? 'consent';
    const posted = await request(new URL(action, url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt, login, password: TEST_PASSWORD }).toString(),
    });
    url = new URL(posted.headers.get('location') ?? '', url).href;
  }
  throw new Error('the login did not come back to Livora');
}

describe('console login at an OIDC issuer (authorization code + PKCE)', () => {
  it('makes the user of the issuer’s tenant and role, and answers with Livora tokens that work', async () => {
    accounts.ana = {
      email: 'Ana@Acme.example',
      email_verified: true,
      name: 'Ana',
      livora_tenant: tenantId,
      groups: ['crm-sales', 'staff'],
    };
    const { response } = await browserLogin('ana');
    const tokens = (await response.json()) as {
      access_token: string;
      refresh_token: string;
      user: Record<string, unknown>;
    };
    expect(response.status, JSON.stringify(tokens)).toBe(200);
    expect(tokens.user).toMatchObject({ tenant: tenantId, email: 'ana@acme.example', name: 'Ana', role: 'sales' });
    const made = await fetch(`${api.url}/v1/crm/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'Owned by Ana' }),
    });
    expect(((await made.json()) as { owner_id: string }).owner_id).toBe(tokens.user.id);
    const refreshed = await fetch(`${api.url}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: tokens.refresh_token }),
    });
    expect(refreshed.status).toBe(200);
    // The issuer's role is the user's at every login.
    accounts.ana.groups = ['crm-admins'];
    const again = (await (await browserLogin('ana')).response.json()) as { user: Record<string, unknown> };
    expect(again.user).toMatchObject({ id: tokens.user.id, role: 'admin' });
  });

  it('sends the browser back to the console path it came from, the tokens in the fragment', async () => {
    accounts.bo = { email: 'bo@acme.example', email_verified: true, livora_tenant: tenantId, groups: ['crm-sales'] };
    const { response, location } = await browserLogin('bo', '/console/deals?view=board');
    expect(response.status).toBe(302);
    const back = new URL(location ?? '', api.url);
    expect(back.pathname + back.search).toBe('/console/deals?view=board');
    const fragment = new URLSearchParams(back.hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('refresh_token')).toMatch(/^lvr_/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bad = await fetch(`${api.url}/v1/auth/oidc/login?return_to=${encodeURIComponent('//evil.example/x')}`, {
      redirect: 'manual',
    });
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([400, 'LIVORA_HTTP_INVALID_REQUEST']);
  });

  it('takes each answer once: a replayed callback is refused', async () => {
    accounts.cy = { email: 'cy@acme.example', email_verified: true, livora_tenant: tenantId, groups: ['crm-sales'] };
    const { response, callback } = await browserLogin('cy');
    expect(response.status).toBe(200);
    const replay = await fetch(callback);
    expect([replay.status, ((await replay.json()) as { code: string }).code]).toEqual([400, 'LIVORA_AUTH_OIDC_STATE']);
    const forged = await fetch(`${api.url}/v1/auth/oidc/callback?code=abc&state=made-up`);
    expect(((await forged.json()) as { code: string }).code).toBe('LIVORA_AUTH_OIDC_STATE');
  });

  it('refuses an answer meant for another browser (login CSRF: the attacker’s login in the victim’s browser)', async () => {
    accounts.mallory = {
      email: 'mallory@acme.example',
      email_verified: true,
      livora_tenant: tenantId,
      groups: ['admin'],
    };
    // Mallory logs in at the issuer but keeps the callback link, and sends it to the victim.
    const { callback } = await browserLogin('mallory', undefined, { stopAtCallback: true });
    // The victim's browser has no login under way, or its own: either way the link is refused.
    const bare = await fetch(callback, { redirect: 'manual' });
    expect([bare.status, ((await bare.json()) as { code: string }).code]).toEqual([400, 'LIVORA_AUTH_OIDC_STATE']);
    const own = await fetch(`${api.url}/v1/auth/oidc/login`, { redirect: 'manual' });
    const cookie = (own.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^livora_oidc_state=/);
    const victim = await fetch(callback, { redirect: 'manual', headers: { cookie } });
    expect([victim.status, ((await victim.json()) as { code: string }).code]).toEqual([400, 'LIVORA_AUTH_OIDC_STATE']);
  });

  it('links an existing account by a verified email only, and refuses logins that name no tenant or role', async () => {
    const existing = await api.services.users.create(
      { tenantId, email: 'dee@acme.example', role: 'viewer', password: TEST_PASSWORD },
      { actor: 'test' },
    );
    accounts.dee = { email: 'dee@acme.example', email_verified: false, livora_tenant: tenantId, groups: ['viewer'] };
    const unverified = await browserLogin('dee');
    expect([unverified.response.status, ((await unverified.response.json()) as { code: string }).code]).toEqual([
      403,
      'LIVORA_AUTH_FORBIDDEN',
    ]);
    accounts.dee2 = { ...accounts.dee, email_verified: true };
    const linked = (await (await browserLogin('dee2')).response.json()) as { user: Record<string, unknown> };
    expect(linked.user).toMatchObject({ id: existing.id, role: 'viewer' });

    accounts.eve = { email: 'eve@acme.example', email_verified: true, groups: ['crm-sales'] };
    const noTenant = await browserLogin('eve');
    expect(((await noTenant.response.json()) as { code: string; detail: string }).detail).toMatch(/names no tenant/);
    accounts.fay = { email: 'fay@acme.example', email_verified: true, livora_tenant: tenantId, groups: ['staff'] };
    const noRole = await browserLogin('fay');
    expect(((await noRole.response.json()) as { detail: string }).detail).toMatch(/gives no Livora role/);
    accounts.gus = {
      email: 'gus@acme.example',
      email_verified: true,
      livora_tenant: 'no-such-tenant',
      groups: ['admin'],
    };
    expect((await browserLogin('gus')).response.status).toBe(403);
  });
});
