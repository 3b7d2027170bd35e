import { afterAll, beforeAll } from 'vitest';
import { startTestApi, type TestApi } from './test-api.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

/** A reply of the API: status and parsed JSON body (problem documents included). */
export interface Reply {
  readonly status: number;
  readonly json: Record<string, unknown> & { code?: string };
}

/** Signed-in users by name: their access token and user id. */
export type SignedIn = Record<string, { token: string; id: string }>;

/**
 * Creates each user (name, tenant, role, team) and logs them in through the API, as the
 * console would: their tokens carry their user id, which ownership rules need.
 */
export async function signIn(
  api: TestApi,
  people: readonly { name: string; tenantId: string; role: string; team?: string }[],
): Promise<SignedIn> {
  const signedIn: SignedIn = {};
  for (const { name, tenantId, role, team } of people) {
    const email = `${name}@signed-in.example`;
    await api.services.users.create(
      { tenantId, email, role, password: TEST_PASSWORD, ...(team ? { team } : {}) },
      { actor: 'test' },
    );
    const response = await fetch(`${api.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: tenantId, email, password: TEST_PASSWORD }),
    });
    const tokens = (await response.json()) as { access_token: string; user: { id: string } };
    signedIn[name] = { token: tokens.access_token, id: tokens.user.id };
  }
  return signedIn;
}

/** Calls the API as one of the signed-in users, with a JSON body when given. */
export function caller(api: () => TestApi, as: SignedIn) {
  return async (who: string, method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${api().url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as[who]?.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : {} };
  };
}

/**
 * The API of a test file, started before its tests and closed after: `names` signed in to
 * one tenant, each with the role its name says (`sales2` is a second sales user), and
 * `other`, an admin of a second tenant. `env` is filled in before the first test.
 */
export function useSignedInApi(names: readonly string[]) {
  const env = { api: undefined as unknown as TestApi, tenantId: '', otherTenant: '', as: {} as SignedIn };
  beforeAll(async () => {
    env.api = await startTestApi();
    env.tenantId = (await env.api.tenant()).tenantId;
    env.otherTenant = (await env.api.tenant()).tenantId;
    Object.assign(
      env.as,
      await signIn(env.api, [
        ...names.map((name) => ({ name, tenantId: env.tenantId, role: name.replace(/\d$/, '') })),
        { name: 'other', tenantId: env.otherTenant, role: 'admin' },
      ]),
    );
  }, 60_000);
  afterAll(async () => {
    await env.api?.close();
  });
  return { env, as: env.as, call: caller(() => env.api, env.as) };
}
