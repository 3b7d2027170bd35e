import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, type Reply, type SignedIn, signIn } from '../support/signed-in.ts';
import { startTestApi, type TestApi } from '../support/test-api.ts';

let api: TestApi;
const as: SignedIn = {};
const call = caller(() => api, as);
let pipeline: { id: string; stages: { id: string }[] };
let otherPipeline: { id: string; stages: { id: string }[] };

const deal = async (who: string, body: Record<string, unknown>) =>
  (await call(who, 'POST', '/v1/crm/deals', { pipeline_id: pipeline.id, ...body })).json;
const version = async (id: unknown) => (await call('admin', 'GET', `/v1/crm/deals/${id}`)).json.version;
const stageNames = (board: Reply) =>
  (board.json.stages as { deals: { name: string }[] }[]).map((s) => s.deals.map((d) => d.name));

beforeAll(async () => {
  api = await startTestApi();
  const { tenantId } = await api.tenant();
  const { tenantId: otherTenant } = await api.tenant();
  Object.assign(
    as,
    await signIn(api, [
      { name: 'admin', tenantId, role: 'admin' },
      { name: 'manager', tenantId, role: 'manager' },
      { name: 'north1', tenantId, role: 'sales', team: 'North' },
      { name: 'north2', tenantId, role: 'sales', team: 'North' },
      { name: 'south', tenantId, role: 'sales', team: 'South' },
      { name: 'viewer', tenantId, role: 'viewer' },
      { name: 'other', tenantId: otherTenant, role: 'admin' },
    ]),
  );
  const stages = [{ name: 'Qualified', probability: 20 }, { name: 'Proposal', probability: 60 }, { name: 'Signing' }];
  pipeline = (await call('manager', 'POST', '/v1/crm/pipelines', { name: 'Sales', stages })).json as typeof pipeline;
  otherPipeline = (await call('admin', 'POST', '/v1/crm/pipelines', { name: 'Renewals', stages }))
    .json as typeof pipeline;
}, 60_000);
afterAll(async () => {
  await api?.close();
});

describe('pipelines', () => {
  it('are made by admins and managers, with ordered stages, and listed for everyone', async () => {
    expect(pipeline.stages).toHaveLength(3);
    const refused = await call('north1', 'POST', '/v1/crm/pipelines', { name: 'Mine', stages: [{ name: 'A' }] });
    expect([refused.status, refused.json.code]).toEqual([403, 'LIVORA_AUTH_FORBIDDEN']);
    const twice = await call('admin', 'POST', '/v1/crm/pipelines', { name: 'Sales', stages: [{ name: 'A' }] });
    expect([twice.status, twice.json.code]).toEqual([409, 'LIVORA_CRM_DUPLICATE']);
    const list = (await call('viewer', 'GET', '/v1/crm/pipelines')).json.pipelines as {
      name: string;
      stages: { name: string; position: number; probability: number }[];
    }[];
    expect(list.map((p) => p.name)).toEqual(['Renewals', 'Sales']);
    expect(list[1]?.stages.map((s) => [s.name, s.position, s.probability])).toEqual([
      ['Qualified', 1, 20],
      ['Proposal', 2, 60],
      ['Signing', 3, 0],
    ]);
    expect((await call('other', 'GET', '/v1/crm/pipelines')).json.pipelines).toEqual([]);
  });
});

describe('deals', () => {
  it('start in the first stage at its end, owned by their creator; an unknown stage is refused', async () => {
    const first = await deal('north1', { name: 'First', amount: '1200.50', currency: 'EUR', close_date: '2026-12-31' });
    expect(first).toMatchObject({
      stage_id: pipeline.stages[0]?.id,
      status: 'open',
      owner_id: as.north1?.id,
      amount: '1200.5000',
      close_date: '2026-12-31',
    });
    const second = await deal('north1', { name: 'Second' });
    expect(Number(second.position)).toBeGreaterThan(Number(first.position));
    const wrong = await call('admin', 'POST', '/v1/crm/deals', {
      name: 'Wrong',
      pipeline_id: pipeline.id,
      stage_id: otherPipeline.stages[1]?.id,
    });
    expect([wrong.status, wrong.json.code]).toEqual([400, 'LIVORA_CRM_UNKNOWN_STAGE']);
    const noPipeline = await call('admin', 'POST', '/v1/crm/deals', {
      name: 'Nowhere',
      pipeline_id: '0190a000-0000-7000-8000-000000000000',
    });
    expect([noPipeline.status, noPipeline.json.code]).toEqual([400, 'LIVORA_CRM_UNKNOWN_STAGE']);
  });

  it('are seen and changed by their owner’s team only among sales; managers and viewers see all', async () => {
    const northern = await deal('north1', { name: 'Northern' });
    const path = `/v1/crm/deals/${northern.id}`;
    expect((await call('north2', 'GET', path)).status).toBe(200);
    expect((await call('north2', 'PATCH', path, { version: 1, amount: '10' })).status).toBe(200);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { version: 2, amount: '20' }],
    ] as const)
      expect((await call('south', method, path, body)).status, method).toBe(404);
    const southList = (await call('south', 'GET', '/v1/crm/deals?q=northern')).json.records;
    expect(southList).toEqual([]);
    expect(((await call('manager', 'GET', '/v1/crm/deals?q=northern')).json.records as unknown[]).length).toBe(1);
    expect((await call('viewer', 'GET', path)).status).toBe(200);
    expect((await call('viewer', 'PATCH', path, { version: 2, amount: '30' })).status).toBe(403);
    expect((await call('other', 'GET', path)).status).toBe(404);
    expect((await call('other', 'GET', `/v1/crm/pipelines/${pipeline.id}/board`)).status).toBe(404);
  });

  it('move on the board to a place in a stage, in order; a stale version or another pipeline’s stage is refused', async () => {
    const [qualified, proposal] = pipeline.stages.map((s) => s.id) as [string, string];
    const d = Object.fromEntries(
      await Promise.all(['D1', 'D2', 'D3'].map(async (name) => [name, await deal('manager', { name })])),
    ) as Record<string, Record<string, unknown>>;
    const move = async (name: string, stageId: string, after: string | null) =>
      call('manager', 'POST', `/v1/crm/deals/${d[name]?.id}/move`, {
        version: await version(d[name]?.id),
        stage_id: stageId,
        after_id: after === null ? null : d[after]?.id,
      });
    // Created in parallel: their order is whatever it is; then arranged.
    expect((await move('D1', qualified, null)).status).toBe(200);
    expect((await move('D2', qualified, 'D1')).status).toBe(200);
    expect((await move('D3', qualified, 'D1')).status).toBe(200);
    const board = async () => {
      const reply = await call('manager', 'GET', `/v1/crm/pipelines/${pipeline.id}/board`);
      return stageNames(reply).map((names) => names.filter((n) => /^D\d$/.test(n)));
    };
    expect(await board()).toEqual([['D1', 'D3', 'D2'], [], []]);
    expect((await move('D1', proposal, null)).status).toBe(200);
    expect((await move('D2', qualified, null)).status).toBe(200);
    expect(await board()).toEqual([['D2', 'D3'], ['D1'], []]);

    const stale = await call('manager', 'POST', `/v1/crm/deals/${d.D2?.id}/move`, {
      version: 1,
      stage_id: proposal,
      after_id: null,
    });
    expect([stale.status, stale.json.code]).toEqual([409, 'LIVORA_CRM_STALE_VERSION']);
    const elsewhere = await move('D2', otherPipeline.stages[0]?.id as string, null);
    expect([elsewhere.status, elsewhere.json.code]).toEqual([400, 'LIVORA_CRM_UNKNOWN_STAGE']);
    const afterItself = await move('D2', qualified, 'D2');
    expect([afterItself.status, afterItself.json.code]).toEqual([400, 'LIVORA_CRM_INVALID']);
  });

  it('keep their order when one gap is split again and again (the stage is numbered anew)', async () => {
    const signing = pipeline.stages[2]?.id as string;
    const place = async (name: string, after: string | null) => {
      const d = await deal('manager', { name });
      const moved = await call('manager', 'POST', `/v1/crm/deals/${d.id}/move`, {
        version: 1,
        stage_id: signing,
        after_id: after,
      });
      expect(moved.status, JSON.stringify(moved.json)).toBe(200);
      return String(d.id);
    };
    const first = await place('A', null);
    await place('Z', first);
    // Each new deal goes right after A: the gap between A and the last one halves every time.
    for (let i = 1; i <= 60; i++) await place(`C${i}`, first);
    const names = stageNames(await call('manager', 'GET', `/v1/crm/pipelines/${pipeline.id}/board?per_stage=200`))[2];
    expect(names).toEqual(['A', ...Array.from({ length: 60 }, (_, i) => `C${60 - i}`), 'Z']);
  }, 60_000);

  it('are won or lost (with a reason), then leave the board and cannot move; each step is audited', async () => {
    const won = await deal('north1', { name: 'Winner' });
    const lost = await deal('north1', { name: 'Loser' });
    const noReason = await call('north1', 'POST', `/v1/crm/deals/${lost.id}/lost`, { version: 1 });
    expect(noReason.status).toBe(400);
    const w = await call('north1', 'POST', `/v1/crm/deals/${won.id}/won`, { version: 1 });
    expect(w.json).toMatchObject({ status: 'won', version: 2, lost_reason: null });
    const l = await call('north1', 'POST', `/v1/crm/deals/${lost.id}/lost`, { version: 1, reason: 'Budget cut' });
    expect(l.json).toMatchObject({ status: 'lost', lost_reason: 'Budget cut' });
    expect(l.json.closed_at).toBeTruthy();
    const again = await call('north1', 'POST', `/v1/crm/deals/${won.id}/move`, {
      version: 2,
      stage_id: pipeline.stages[1]?.id,
      after_id: null,
    });
    expect([again.status, again.json.code]).toEqual([409, 'LIVORA_CRM_CLOSED']);
    const names = stageNames(await call('manager', 'GET', `/v1/crm/pipelines/${pipeline.id}/board`)).flat();
    expect(names).not.toContain('Winner');
    expect(names).not.toContain('Loser');
    const audit = (await call('admin', 'GET', `/v1/audit?entity=deal&entity_id=${lost.id}`)).json.entries as {
      action: string;
      after: unknown;
    }[];
    expect(audit.map((e) => e.action)).toEqual(['deal.lost', 'deal.created']);
    expect(audit[0]?.after).toMatchObject({ status: 'lost', lost_reason: 'Budget cut' });
  });
});
