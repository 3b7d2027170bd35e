import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineProcess, livora, sendEvents, startEngine, tenantWithKey } from '../support/engine-process.ts';
import { engineEnv } from '../support/ports.ts';

const temporal =
  process.env.LIVORA_TEMPORAL_CLI ?? (spawnSync('temporal', ['--version']).status === 0 ? 'temporal' : null);
if (!temporal) console.warn('the temporal CLI is not installed: skipping the analytics end-to-end test');

let dir: string;
let env: Record<string, string>;
let engine: EngineProcess | undefined;

beforeAll(async () => {
  if (!temporal) return;
  dir = await mkdtemp(path.join(tmpdir(), 'livora-e2e-analytics-'));
  await chmod(dir, 0o755);
  env = await engineEnv(path.join(dir, 'data'), { LIVORA_LAKE_ROLL_SECONDS: '1' });
  engine = await startEngine(env, path.join(dir, 'engine.log'));
}, 180_000);
afterAll(async () => {
  await engine?.stop('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!temporal)('analytics in `livora start`', () => {
  it('answers from the warehouse once `livora warehouse refresh` has loaded the lake, and builds a saved funnel at once', async () => {
    const key = await tenantWithKey('shop', env);
    const day = '2026-11-12';
    const events = ['ann', 'ben', 'cat'].flatMap((who, i) => [
      {
        type: 'track',
        event: 'Product Viewed',
        anonymous_id: who,
        timestamp: `${day}T10:0${i}:00Z`,
        properties: { product_id: 'sku-1' },
      },
      ...(i < 2
        ? [{ type: 'track', event: 'Product Added', anonymous_id: who, timestamp: `${day}T10:1${i}:00Z` }]
        : []),
    ]);
    expect((await sendEvents(engine?.url as string, key, events)).status).toBe(202);
    const token = (await livora(['token', '--tenant', 'shop', '--role', 'analyst'], env)).stdout.trim();
    const funnel = () =>
      fetch(`${engine?.url}/v1/analytics/funnel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          steps: [{ event: 'Product Viewed' }, { event: 'Product Added' }],
          from: `${day}T00:00:00Z`,
          to: '2026-11-13T00:00:00Z',
        }),
      }).then((r) => r.json() as Promise<{ source: string; series: { steps: { persons: number }[] }[] }>);

    // The lake has the events within a few seconds; then a load, on demand.
    const deadline = Date.now() + 60_000;
    let counts: number[] = [];
    while (Date.now() < deadline) {
      const refresh = await livora(['--json', 'warehouse', 'refresh'], env);
      expect(refresh.code, refresh.stderr).toBe(0);
      const summary = JSON.parse(refresh.stdout) as { events: number };
      if (summary.events > 0) {
        counts = (await funnel()).series[0]?.steps.map((s) => s.persons) ?? [];
        if (counts[0] === 3) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(counts).toEqual([3, 2]);

    // A saved funnel is built at once: saving starts a load (no refresh asked for).
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const saved = await fetch(`${engine?.url}/v1/analytics/saved-funnels`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Cart', steps: [{ event: 'Product Viewed' }, { event: 'Product Added' }] }),
    });
    expect(saved.status).toBe(201);
    let status = '';
    for (const until = Date.now() + 60_000; status !== 'ready' && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const list = (await (await fetch(`${engine?.url}/v1/analytics/saved-funnels`, { headers })).json()) as {
        funnels: { status: string }[];
      };
      status = list.funnels[0]?.status ?? '';
    }
    expect(status).toBe('ready');
    const answer = await funnel();
    expect([answer.source, answer.series[0]?.steps.map((s) => s.persons)]).toEqual(['saved', [3, 2]]);
  }, 180_000);
});
