import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Reply, useSignedInApi } from '../support/signed-in.ts';

const { env, as, call } = useSignedInApi(['admin', 'manager', 'sales', 'sales2', 'marketer', 'analyst', 'viewer']);
const contact = (who: string, body: Record<string, unknown>) => call(who, 'POST', '/v1/crm/contacts', body);

describe('CRM contacts and companies', () => {
  it('creates a contact owned by its creator, reads it back, and audits the change', async () => {
    const created = await contact('sales', { email: 'Joana@Shop.example', first_name: 'Joana', tags: ['vip', 'vip'] });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({
      email: 'joana@shop.example',
      owner_id: as.sales?.id,
      version: 1,
      tags: ['vip'],
    });
    const read = await call('viewer', 'GET', `/v1/crm/contacts/${created.json.id}`);
    expect(read.json).toEqual(created.json);
    const audit = await call('admin', 'GET', `/v1/audit?entity=contact&entity_id=${created.json.id}`);
    expect((audit.json.entries as { action: string; actor: string }[])[0]).toMatchObject({
      action: 'contact.created',
      actor: `user:${as.sales?.id}`,
    });
  });

  it('lets each role do what it may, and no more', async () => {
    const own = (await contact('sales', { first_name: 'Owned' })).json;
    const nobodys = (await contact('admin', { first_name: 'Unowned', owner_id: null })).json;
    const path = (record: Record<string, unknown>) => `/v1/crm/contacts/${record.id}`;
    const patch = async (who: string, record: Record<string, unknown>, change: Record<string, unknown>) => {
      const current = (await call('admin', 'GET', path(record))).json;
      return call(who, 'PATCH', path(record), { version: current.version, ...change });
    };
    const status = async (reply: Promise<Reply>) => (await reply).status;

    for (const who of ['viewer', 'analyst']) {
      expect(await status(call(who, 'GET', path(own))), who).toBe(200);
      expect(await status(contact(who, { first_name: 'No' })), who).toBe(403);
      expect(await status(patch(who, own, { last_name: 'No' })), who).toBe(403);
    }
    // Sales change their own records and nobody's, not a colleague's; they take records for themselves only.
    expect(await status(patch('sales2', own, { last_name: 'Theirs' }))).toBe(403);
    expect(await status(patch('sales2', nobodys, { last_name: 'Claimed' }))).toBe(200);
    expect(await status(patch('sales2', nobodys, { owner_id: as.sales?.id }))).toBe(403);
    expect(await status(patch('sales', own, { owner_id: as.sales2?.id }))).toBe(403);
    expect(await status(patch('sales2', nobodys, { owner_id: as.sales2?.id }))).toBe(200);
    // Marketers change any record but give none away; managers do both; only admins and managers delete.
    expect(await status(patch('marketer', own, { tags: ['newsletter'] }))).toBe(200);
    expect(await status(patch('marketer', own, { owner_id: as.marketer?.id }))).toBe(200);
    expect(await status(patch('marketer', own, { owner_id: as.sales?.id }))).toBe(403);
    expect(await status(patch('manager', own, { owner_id: as.sales2?.id }))).toBe(200);
    for (const who of ['sales', 'marketer', 'analyst', 'viewer'])
      expect(await status(call(who, 'DELETE', path(own))), who).toBe(403);
    expect(await status(call('manager', 'DELETE', path(own)))).toBe(204);
    expect(await status(call('admin', 'GET', path(own)))).toBe(404);
  });

  it('answers another tenant 404 for every record, and never lists them', async () => {
    const mine = (await contact('admin', { email: 'private@shop.example' })).json;
    const path = `/v1/crm/contacts/${mine.id}`;
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { version: 1, first_name: 'Stolen' }],
      ['DELETE', undefined],
    ] as const) {
      const reply = await call('other', method, path, body);
      expect([method, reply.status, reply.json.code]).toEqual([method, 404, 'LIVORA_CRM_NOT_FOUND']);
    }
    const search = await call('other', 'GET', '/v1/crm/contacts?q=private');
    expect(search.json.records).toEqual([]);
    // The other tenant may use the same email: uniqueness is per tenant.
    expect((await contact('other', { email: 'private@shop.example' })).status).toBe(201);
    expect((await call('admin', 'GET', path)).json.first_name).toBeNull();
  });

  it('refuses a stale version with the current record, applying nothing', async () => {
    const record = (await contact('admin', { first_name: 'Rui' })).json;
    const path = `/v1/crm/contacts/${record.id}`;
    const first = await call('admin', 'PATCH', path, { version: 1, last_name: 'Costa' });
    expect([first.status, first.json.version]).toEqual([200, 2]);
    const stale = await call('manager', 'PATCH', path, { version: 1, last_name: 'Lima', phone: '+351 1' });
    expect([stale.status, stale.json.code]).toEqual([409, 'LIVORA_CRM_STALE_VERSION']);
    expect(stale.json.current).toMatchObject({ version: 2, last_name: 'Costa', phone: null });
    expect((await call('admin', 'GET', path)).json).toMatchObject({ version: 2, last_name: 'Costa', phone: null });
    // Nothing changed: no new version.
    expect((await call('admin', 'PATCH', path, { version: 2, last_name: 'Costa' })).json.version).toBe(2);
  });

  it('refuses bad input with a stable code and keeps nothing of it', async () => {
    const company = (await call('admin', 'POST', '/v1/crm/companies', { name: 'Shop', domain: 'Shop.example' })).json;
    expect(company.domain).toBe('shop.example');
    const theirs = (await call('other', 'POST', '/v1/crm/companies', { name: 'Elsewhere' })).json;
    await contact('admin', { email: 'taken@shop.example' });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ email: 'not-an-email' }, 400, 'LIVORA_HTTP_INVALID_REQUEST'],
      [{ first_name: 'X', shoe_size: 42 }, 400, 'LIVORA_HTTP_INVALID_REQUEST'],
      [{ email: 'TAKEN@shop.example' }, 409, 'LIVORA_CRM_DUPLICATE'],
      [{ company_id: '0190a000-0000-7000-8000-000000000000' }, 400, 'LIVORA_CRM_INVALID'],
      [{ company_id: theirs.id }, 400, 'LIVORA_CRM_INVALID'],
      [{ owner_id: as.other?.id }, 400, 'LIVORA_CRM_INVALID'],
      // PostgreSQL text cannot hold a NUL: a clear refusal, not a 500.
      [{ first_name: 'A\u0000B' }, 400, 'LIVORA_HTTP_INVALID_REQUEST'],
      [{ email: 'nul\u0000@shop.example' }, 400, 'LIVORA_HTTP_INVALID_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await contact('admin', body);
      expect([JSON.stringify(body), reply.status, reply.json.code]).toEqual([JSON.stringify(body), status, code]);
    }
    expect((await call('admin', 'POST', '/v1/crm/companies', { domain: 'x.example' })).status).toBe(400);
    expect(
      (await call('admin', 'POST', '/v1/crm/companies', { name: 'Again', domain: 'SHOP.example' })).json.code,
    ).toBe('LIVORA_CRM_DUPLICATE');
    const bad = await call('admin', 'GET', '/v1/crm/contacts?cursor=garbage');
    expect([bad.status, bad.json.code]).toEqual([400, 'LIVORA_CRM_INVALID_CURSOR']);
    // Well-formed, but its value is no time of the sort (or no date at all).
    for (const value of ['x', '2026-02-30 00:00:00+00']) {
      const cursor = Buffer.from(JSON.stringify([value, company.id])).toString('base64url');
      const made = await call('admin', 'GET', `/v1/crm/contacts?cursor=${cursor}`);
      expect([value, made.status, made.json.code]).toEqual([value, 400, 'LIVORA_CRM_INVALID_CURSOR']);
    }
    const nulFilter = await call('admin', 'GET', '/v1/crm/contacts?tag=a%00b');
    expect([nulFilter.status, nulFilter.json.code]).toEqual([400, 'LIVORA_HTTP_INVALID_REQUEST']);
    expect(String(nulFilter.json.detail)).toMatch(/NUL/);
  });

  it('searches names, emails, phones and company names, filters, sorts and pages without gaps', async () => {
    const company = (await call('admin', 'POST', '/v1/crm/companies', { name: 'Zebra Outfitters' })).json;
    for (let i = 0; i < 23; i++)
      await contact('admin', {
        email: `page${String(i).padStart(2, '0')}@list.example`,
        last_name: i % 2 ? 'Odd' : 'Even',
        phone: `+44 20 7946 ${String(i).padStart(4, '0')}`,
        tags: i % 3 === 0 ? ['third'] : [],
        ...(i < 4 ? { company_id: company.id } : {}),
      });
    const emails = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page = await call(
          'analyst',
          'GET',
          `/v1/crm/contacts?${query}&limit=10${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status, JSON.stringify(page.json)).toBe(200);
        seen.push(...(page.json.records as { email: string }[]).map((r) => r.email));
        cursor = page.json.next_cursor as string | null;
      }
      return seen;
    };
    const all = await emails('q=list.example&sort=email&direction=asc');
    expect(all).toHaveLength(23);
    expect(all).toEqual([...all].sort());
    expect(await emails('q=LIST.EXAMPLE&sort=email&direction=desc')).toEqual([...all].reverse());
    expect(await emails('q=zebra&sort=email&direction=asc')).toEqual(all.slice(0, 4));
    expect(await emails('q=7946 0012')).toEqual(['page12@list.example']);
    expect((await emails('q=list.example&tag=third')).sort()).toEqual(all.filter((_, i) => i % 3 === 0));
    expect((await emails(`company_id=${company.id}`)).sort()).toEqual(all.slice(0, 4));
    // By a nullable column, with ties: every record once.
    const byName = await emails('q=list.example&sort=last_name');
    expect(new Set(byName).size).toBe(23);
  });

  it('finds words by their start, in any order, a punctuated one in its order, case ignored', async () => {
    const made = (
      await contact('admin', {
        first_name: 'Ana',
        last_name: 'O’Brien-Smithers',
        email: 'ana.obrien@acme-corp.example',
        phone: '+1 (555) 010-4477',
      })
    ).json;
    const found = async (q: string) => {
      const reply = await call('viewer', 'GET', `/v1/crm/contacts?q=${encodeURIComponent(q)}&limit=100`);
      expect(reply.status, JSON.stringify(reply.json)).toBe(200);
      return (reply.json.records as { id: string }[]).some((r) => r.id === made.id);
    };
    for (const q of [
      'smith',
      'SMITHERS',
      'brien',
      "o'brien",
      'ana smi',
      'smi ana',
      'acme-corp',
      'acme.corp.ex',
      'obrien@acme',
      '555 010',
      '1555010447',
      '(555) 010-44',
    ])
      expect(await found(q), q).toBe(true);
    // Not a word's start, words out of their punctuated order, a word it does not have.
    for (const q of ['mithers', 'corp-acme', 'rien', 'ana jones', '5550104477x']) expect(await found(q), q).toBe(false);
    // Case is folded beyond A-Z too (the embedded database's own collation folds A-Z only).
    const emile = (await contact('admin', { first_name: 'Émile', last_name: 'MÜLLER-Çelik' })).json;
    for (const q of ['émile', 'ÉMI', 'müller', 'Müller-çel', 'çelik']) {
      const reply = await call('viewer', 'GET', `/v1/crm/contacts?q=${encodeURIComponent(q)}`);
      expect([q, (reply.json.records as { id: string }[]).map((r) => r.id)]).toEqual([q, [emile.id]]);
    }
    // Only punctuation: no word to find, so nothing (not every record); a NUL is no error either.
    for (const q of ['@-.', '’…', '\u0000']) {
      const none = await call('viewer', 'GET', `/v1/crm/contacts?q=${encodeURIComponent(q)}`);
      expect([q, none.status, none.json.records, none.json.next_cursor]).toEqual([q, 200, [], null]);
    }
  });

  it('pages by time without gaps or repeats when records were made within one millisecond', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await contact('admin', { email: `same-ms${i}@micro.example` })).json.id as string);
    // Microseconds apart, as rows of one import are: JavaScript's Date would keep only the millisecond.
    for (const [i, id] of ids.entries())
      await sql`UPDATE contacts SET created_at = ${`2026-01-01 00:00:00.00${i + 1}2+00`}::timestamptz WHERE id = ${id}`.execute(
        env.api.db,
      );
    const pages = async (direction: string) => {
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null && seen.length < 10) {
        const page = await call(
          'viewer',
          'GET',
          `/v1/crm/contacts?q=micro.example&sort=created_at&direction=${direction}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status, JSON.stringify(page.json)).toBe(200);
        seen.push(...(page.json.records as { id: string }[]).map((r) => r.id));
        cursor = page.json.next_cursor as string | null;
      }
      return seen;
    };
    expect(await pages('asc')).toEqual(ids);
    expect(await pages('desc')).toEqual([...ids].reverse());
  });
});

describe('CSV imports', () => {
  const upload = async (who: string, csv: string, dryRun = false, kind = 'contacts'): Promise<Reply> => {
    const response = await fetch(`${env.api.url}/v1/crm/${kind}/import${dryRun ? '?dry_run=true' : ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${as[who]?.token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: response.status, json: (await response.json()) as Reply['json'] };
  };
  const find = async (q: string) =>
    (await call('admin', 'GET', `/v1/crm/contacts?q=${encodeURIComponent(q)}`)).json.records as Record<
      string,
      unknown
    >[];

  it('reports first with a dry run, then creates and updates contacts and makes companies', async () => {
    await contact('admin', { email: 'known@import.example', first_name: 'Known', tags: ['old'] });
    const csv = [
      'email,first_name,last_name,company,tags,owner_email',
      'known@import.example,,Updated,Imported Co,new;vip,',
      'fresh@import.example,Fresh,Person,Imported Co,,sales@signed-in.example',
      ',Nameonly,,,,',
    ].join('\n');
    const expected = { rows: 3, created: 2, updated: 1, companies_created: 1, errors: [] };
    const dry = await upload('admin', csv, true);
    expect([dry.status, dry.json]).toEqual([200, { dry_run: true, ...expected }]);
    expect(await find('fresh@import.example')).toEqual([]);

    const real = await upload('admin', csv);
    expect([real.status, real.json]).toEqual([200, { dry_run: false, ...expected }]);
    const [known] = await find('known@import.example');
    expect(known).toMatchObject({ first_name: 'Known', last_name: 'Updated', tags: ['new', 'old', 'vip'], version: 2 });
    const [fresh] = await find('fresh@import.example');
    expect(fresh).toMatchObject({ first_name: 'Fresh', owner_id: as.sales?.id, company_id: known?.company_id });
    expect(await find('nameonly')).toHaveLength(1);
    const companies = (await call('admin', 'GET', '/v1/crm/companies?q=imported')).json.records as unknown[];
    expect(companies).toHaveLength(1);
  });

  it('imports nothing from a file with a bad row, listing every error by line and column', async () => {
    const csv = [
      'email,first_name,owner_email',
      'good@bad-file.example,Good,',
      'not-an-email,Bad,',
      'good@bad-file.example,Twice,',
      ',,',
      'other@bad-file.example,Owner,nobody@signed-in.example',
    ].join('\n');
    const reply = await upload('admin', csv);
    expect([reply.status, reply.json.code]).toEqual([400, 'LIVORA_CRM_IMPORT_INVALID']);
    const errors = (reply.json.report as { errors: { line: number; column: string | null }[] }).errors;
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'email'],
      [4, 'email'],
      [5, null],
      [6, 'owner_email'],
    ]);
    expect(await find('bad-file.example')).toEqual([]);
  });

  it('imports companies, matching existing ones by domain, else by name', async () => {
    const byDomain = (await call('admin', 'POST', '/v1/crm/companies', { name: 'Old Name', domain: 'match.example' }))
      .json;
    const byName = (await call('admin', 'POST', '/v1/crm/companies', { name: 'Named Only Co', tags: ['a'] })).json;
    const csv = [
      'name,domain,industry,tags,owner_email',
      'New Name,MATCH.example,Retail,,',
      'named only co,,Logistics,b,sales@signed-in.example',
      'Brand New Co,brand-new.example,,x;y,',
    ].join('\n');
    const dry = await upload('admin', csv, true, 'companies');
    expect(dry.json).toEqual({ dry_run: true, rows: 3, created: 1, updated: 2, errors: [] });
    const real = await upload('admin', csv, false, 'companies');
    expect([real.status, real.json.created, real.json.updated]).toEqual([200, 1, 2]);
    expect((await call('viewer', 'GET', `/v1/crm/companies/${byDomain.id}`)).json).toMatchObject({
      name: 'New Name',
      industry: 'Retail',
      version: 2,
    });
    expect((await call('viewer', 'GET', `/v1/crm/companies/${byName.id}`)).json).toMatchObject({
      industry: 'Logistics',
      tags: ['a', 'b'],
      owner_id: as.sales?.id,
    });
    const made = (await call('viewer', 'GET', '/v1/crm/companies?q=brand-new')).json.records as unknown[];
    expect(made).toEqual([expect.objectContaining({ name: 'Brand New Co', tags: ['x', 'y'] })]);
    const audit = await call('admin', 'GET', `/v1/audit?entity=company&entity_id=${byDomain.id}`);
    expect((audit.json.entries as { action: string }[])[0]?.action).toBe('company.import_updated');

    const bad = await upload(
      'admin',
      [
        'name,domain',
        ',nameless.example',
        'Bad Domain,not a domain',
        'New Name,match.example',
        'Twin,twin.example',
        'Twin 2,twin.example',
        'Named Only Co,',
        'NAMED ONLY CO,',
      ].join('\n'),
      false,
      'companies',
    );
    expect(bad.json.code).toBe('LIVORA_CRM_IMPORT_INVALID');
    const errors = (bad.json.report as { errors: { line: number; column: string | null }[] }).errors;
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'name'],
      [3, 'domain'],
      [6, 'domain'],
      [8, 'name'],
    ]);
    expect((await call('viewer', 'GET', '/v1/crm/companies?q=twin')).json.records).toEqual([]);
  });

  it('lets only admins and managers give imported records to someone else', async () => {
    const csv = [
      'email,owner_email',
      'given@owner-rule.example,sales2@signed-in.example',
      'mine@owner-rule.example,sales@signed-in.example',
    ].join('\n');
    const bySales = await upload('sales', csv);
    expect(bySales.json.code).toBe('LIVORA_CRM_IMPORT_INVALID');
    expect((bySales.json.report as { errors: { line: number; column: string }[] }).errors).toEqual([
      expect.objectContaining({ line: 2, column: 'owner_email' }),
    ]);
    const companies = await upload(
      'marketer',
      'name,owner_email\nGiven Co,sales@signed-in.example\n',
      false,
      'companies',
    );
    expect(companies.json.code).toBe('LIVORA_CRM_IMPORT_INVALID');
    expect((await upload('manager', csv)).status).toBe(200);
  });

  it('refuses a file that is not CSV, or has columns it does not know', async () => {
    const broken = await upload('admin', 'email,first_name\n"unclosed,Ana\n');
    expect([broken.status, broken.json.code]).toEqual([400, 'LIVORA_CRM_CSV_MALFORMED']);
    const unknown = await upload('admin', 'email,shoe_size\na@b.example,42\n');
    expect([unknown.status, unknown.json.code]).toEqual([400, 'LIVORA_CRM_CSV_MALFORMED']);
    expect((await upload('viewer', 'email\na@b.example\n')).status).toBe(403);
  });
});

describe('row-level security', () => {
  it('shows a tenant-scoped statement its tenant’s rows only, whatever it asks', async () => {
    const count = async (tenant: string) =>
      env.api.tenantDb.read(tenant, async (tx) => {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(tx);
        return rows[0]?.n ?? 0;
      });
    const { rows } = await sql<{ tenant_id: string; n: number }>`
      SELECT tenant_id, count(*)::int AS n FROM contacts GROUP BY tenant_id`.execute(env.api.db);
    const byTenant = Object.fromEntries(rows.map((r) => [r.tenant_id, r.n]));
    expect(await count(env.tenantId)).toBe(byTenant[env.tenantId]);
    expect(await count(env.otherTenant)).toBe(byTenant[env.otherTenant]);
    await expect(
      env.api.tenantDb.transaction(env.tenantId, (tx) =>
        sql`INSERT INTO contacts (id, tenant_id) VALUES ('0190a000-0000-7000-8000-000000000001', ${env.otherTenant})`.execute(
          tx,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
