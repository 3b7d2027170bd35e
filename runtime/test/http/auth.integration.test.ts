import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
let tenantId: string;
let otherTenant: string;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  api = await startTestApi({ LIVORA_ACCESS_TOKEN_SECONDS: '120' });
  ({ tenantId } = await api.tenant());
  ({ tenantId: otherTenant } = await api.tenant());
  for (const [email, role] of [
    ['ana@acme.example', 'admin'],
    ['ian@acme.example', 'analyst'],
    ['lou@acme.example', 'viewer'],
  ] as const)
    await api.services.users.create({ tenantId, email, role, password: PASSWORD }, { actor: 'test' });
  await api.services.users.create(
    { tenantId: otherTenant, email: 'ana@acme.example', role: 'admin', password: 'another password, long enough' },
    { actor: 'test' },
  );
}, 60_000);
afterAll(async () => {
  await api?.close();
});

const login = (email: string, password = PASSWORD, tenant = tenantId) =>
  postJson(`${api.url}/v1/auth/login`, { tenant, email, password });
const refresh = (token: unknown) => postJson(`${api.url}/v1/auth/refresh`, { refresh_token: token });
const get = (path: string, token: unknown) =>
  fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
    status: r.status,
    json: (await r.json()) as Record<string, unknown> & { code?: string },
  }));

describe('logins', () => {
  it('gives an access token that works on the API with the user’s role, and a refresh token', async () => {
    const response = await login('IAN@acme.example');
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({
      token_type: 'Bearer',
      expires_in: 120,
      refresh_expires_in: 30 * 86_400,
      user: { email: 'ian@acme.example', role: 'analyst', tenant: tenantId },
    });
    expect(String(response.json.refresh_token)).toMatch(/^lvr_/);
    expect((await get('/v1/analytics/saved-funnels', response.json.access_token)).status).not.toBe(401);
    // An analyst may not read the audit log.
    const audit = await get('/v1/audit', response.json.access_token);
    expect([audit.status, audit.json.code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);
  });

  it('answers a wrong password, an unknown email and another tenant’s user alike', async () => {
    const answers = await Promise.all([
      login('ian@acme.example', 'not the password at all'),
      login('nobody@acme.example'),
      login('ana@acme.example', PASSWORD, otherTenant),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('LIVORA_AUTH_INVALID_CREDENTIALS');
    }
    expect(new Set(answers.map((a) => a.json.detail)).size).toBe(1);
  });

  it('locks an account for 15 minutes after five wrong passwords, the right one included', async () => {
    await api.services.users.create(
      { tenantId, email: 'max@acme.example', role: 'sales', password: PASSWORD },
      { actor: 'test' },
    );
    for (let i = 0; i < 5; i++) expect((await login('max@acme.example', `wrong password ${i}`)).status).toBe(401);
    const locked = await login('max@acme.example');
    expect([locked.status, locked.json.code]).toEqual([429, 'LIVORA_AUTH_LOCKED']);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    // Others are not locked out with it.
    expect((await login('ian@acme.example')).status).toBe(200);
  });

  it('rotates refresh tokens, and revokes the whole login when a used one comes back', async () => {
    const first = (await login('ana@acme.example')).json;
    const second = await refresh(first.refresh_token);
    expect(second.status, second.text).toBe(200);
    expect(second.json.refresh_token).not.toBe(first.refresh_token);
    expect((await get('/v1/audit', second.json.access_token)).status).toBe(200);

    // The first token again: someone copied it. Both it and the one it was traded for stop working.
    const replayed = await refresh(first.refresh_token);
    expect([replayed.status, replayed.json.code]).toEqual([401, 'LIVORA_AUTH_REFRESH_REUSED']);
    const after = await refresh(second.json.refresh_token);
    expect([after.status, after.json.code]).toEqual([401, 'LIVORA_AUTH_REFRESH_INVALID']);
    expect((await refresh('lvr_made-up')).json.code).toBe('LIVORA_AUTH_REFRESH_INVALID');
  });

  it('logs out: the login’s refresh tokens stop working', async () => {
    const tokens = (await login('lou@acme.example')).json;
    const out = await postJson(`${api.url}/v1/auth/logout`, { refresh_token: tokens.refresh_token });
    expect(out.status).toBe(204);
    expect((await refresh(tokens.refresh_token)).json.code).toBe('LIVORA_AUTH_REFRESH_INVALID');
    // Logging out twice is fine.
    expect((await postJson(`${api.url}/v1/auth/logout`, { refresh_token: tokens.refresh_token })).status).toBe(204);
  });

  it('keeps refresh tokens only as hashes', async () => {
    const tokens = (await login('ian@acme.example')).json;
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = ${tokens.refresh_token}`.execute(api.db);
    expect(rows[0]?.n).toBe(0);
  });
});

describe('the audit log', () => {
  it('shows admins every sign-in and account change of their tenant only, newest first, a page at a time', async () => {
    const admin = (await login('ana@acme.example')).json.access_token;
    const first = await get('/v1/audit?limit=3', admin);
    expect(first.status).toBe(200);
    const entries = first.json.entries as { id: string; action: string; actor: string; request_id: string }[];
    expect(entries).toHaveLength(3);
    expect(entries[0]?.action).toBe('auth.login');
    expect(entries[0]?.request_id).toBeTruthy();
    expect(Number(entries[0]?.id)).toBeGreaterThan(Number(entries[1]?.id));

    const all: { action: string; entity_id: string | null; after: unknown }[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await get(`/v1/audit?limit=7${cursor ? `&cursor=${cursor}` : ''}`, admin);
      all.push(...(page.json.entries as typeof all));
      cursor = page.json.next_cursor as string | null;
    }
    const actions = new Set(all.map((e) => e.action));
    for (const action of [
      'user.created',
      'auth.login',
      'auth.login_failed',
      'auth.locked',
      'auth.refresh_reused',
      'auth.logout',
    ])
      expect(actions, action).toContain(action);
    expect(all.find((e) => e.action === 'user.created')?.after).toMatchObject({ role: expect.any(String) });
    // The other tenant's admin, created there, is not in this log.
    expect(all.filter((e) => e.action === 'user.created')).toHaveLength(4);

    const filtered = await get('/v1/audit?action=auth.locked', admin);
    expect((filtered.json.entries as unknown[]).length).toBe(1);
    const bad = await get('/v1/audit?cursor=not-a-cursor', admin);
    expect([bad.status, bad.json.code]).toEqual([400, 'LIVORA_AUDIT_INVALID_CURSOR']);
  });

  it('cannot be changed, even by the database’s owner', async () => {
    await expect(sql`UPDATE audit_log SET actor = 'someone else'`.execute(api.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(api.db)).rejects.toThrow(/append-only/);
  });
});

describe('users', () => {
  it('refuses a duplicate email, an unknown role, a short password and an unknown tenant, with stable codes', async () => {
    const create = (input: Partial<{ tenantId: string; email: string; role: string; password: string }>) =>
      api.services.users
        .create(
          { tenantId, email: 'new@acme.example', role: 'viewer', password: PASSWORD, ...input },
          { actor: 'test' },
        )
        .then(
          () => 'created',
          (error: { code?: string }) => error.code,
        );
    expect(await create({ email: 'Ana@Acme.example' })).toBe('LIVORA_USER_EXISTS');
    expect(await create({ role: 'owner' })).toBe('LIVORA_USER_INVALID');
    expect(await create({ email: 'not an email' })).toBe('LIVORA_USER_INVALID');
    expect(await create({ password: 'short' })).toBe('LIVORA_USER_INVALID');
    expect(await create({ tenantId: 'no-such-tenant' })).toBe('LIVORA_TENANT_NOT_FOUND');
  });
});

describe('managing users (admins)', () => {
  const as = async (email: string) => String((await login(email)).json.access_token);
  const send = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> & { code?: string } };
  };

  it('lists, creates and changes users; a disabled user’s logins end', async () => {
    const admin = await as('ana@acme.example');
    const list = await send(admin, 'GET', '/v1/users');
    expect((list.json.users as { email: string }[]).map((u) => u.email)).toContain('ian@acme.example');
    expect((await send(await as('ian@acme.example'), 'GET', '/v1/users')).status).toBe(403);

    const created = await send(admin, 'POST', '/v1/users', {
      email: 'Rui@Acme.example',
      role: 'sales',
      team: 'North',
      password: PASSWORD,
    });
    expect([created.status, created.json]).toMatchObject([
      201,
      { email: 'rui@acme.example', team: 'North', disabled: false },
    ]);
    expect(
      (await send(admin, 'POST', '/v1/users', { email: 'rui@acme.example', role: 'viewer', password: PASSWORD })).json
        .code,
    ).toBe('LIVORA_USER_EXISTS');
    const rui = (await login('rui@acme.example')).json;
    expect(rui.user).toMatchObject({ role: 'sales' });

    const promoted = await send(admin, 'PATCH', `/v1/users/${created.json.id}`, { role: 'manager', team: null });
    expect(promoted.json).toMatchObject({ role: 'manager', team: null });
    const disabled = await send(admin, 'PATCH', `/v1/users/${created.json.id}`, { disabled: true });
    expect(disabled.json.disabled).toBe(true);
    expect((await refresh(rui.refresh_token)).json.code).toBe('LIVORA_AUTH_REFRESH_INVALID');
    expect((await login('rui@acme.example')).json.code).toBe('LIVORA_AUTH_INVALID_CREDENTIALS');
    const audit = await get(`/v1/audit?action=user.updated&entity_id=${created.json.id}`, admin);
    expect((audit.json.entries as { after: { disabled: boolean } }[])[0]?.after.disabled).toBe(true);
  });

  it('keeps an active admin, and answers 404 for users it does not have', async () => {
    const admin = await as('ana@acme.example');
    const users = (await send(admin, 'GET', '/v1/users')).json.users as { id: string; email: string }[];
    const ana = users.find((u) => u.email === 'ana@acme.example');
    const demoted = await send(admin, 'PATCH', `/v1/users/${ana?.id}`, { role: 'viewer' });
    expect([demoted.status, demoted.json.code]).toEqual([409, 'LIVORA_USER_LAST_ADMIN']);
    expect((await send(admin, 'PATCH', `/v1/users/${ana?.id}`, { disabled: true })).status).toBe(409);
    const elsewhere = (await login('ana@acme.example', 'another password, long enough', otherTenant)).json;
    const theirs = await send(String(elsewhere.access_token), 'PATCH', `/v1/users/${ana?.id}`, { role: 'viewer' });
    expect([theirs.status, theirs.json.code]).toEqual([404, 'LIVORA_USER_NOT_FOUND']);
  });
});
