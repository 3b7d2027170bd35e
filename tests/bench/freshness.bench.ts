/**
 * npm run bench:freshness — with `livora start` running at default settings, sends events
 * at a steady rate and measures, for each, the time from its 202 to when it can be
 * queried in the lake (DuckDB over the Parquet files). Prints percentiles and the share
 * within 90 s (goal: 99.9%).
 */
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sendEvents, startEngine, tenantWithKey } from '../support/engine-process.ts';
import { engineEnv } from '../support/ports.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const RATE = Number(process.env.BENCH_RATE ?? 500); // events per second
const dir = await mkdtemp(path.join(tmpdir(), 'livora-freshness-'));
await chmod(dir, 0o755);
const env = await engineEnv(path.join(dir, 'data'), { LIVORA_LOG_LEVEL: 'warn' });
const engine = await startEngine(env, path.join(dir, 'engine.log'));
const key = await tenantWithKey('fresh', env);
const lake = path.join(env.LIVORA_DATA_DIR as string, 'lake', 'events');
console.log(
  `Livora freshness: ${RATE} events/s for ${SECONDS} s into a running engine (default settings: lake ranges roll every 60 s)`,
);

const acceptedAt = new Map<string, number>();
const seenAt = new Map<string, number>();
const duck = await (await DuckDBInstance.create(':memory:')).connect();

async function poll(): Promise<void> {
  const files = (await readdir(lake, { recursive: true }).catch(() => [])).filter((f) =>
    String(f).endsWith('.parquet'),
  );
  if (files.length === 0) return;
  const rows = (
    await duck.runAndReadAll(`SELECT event_id FROM read_parquet('${lake}/**/*.parquet', hive_partitioning = false)`)
  ).getRows();
  const now = Date.now();
  for (const [id] of rows) if (!seenAt.has(id as string)) seenAt.set(id as string, now);
}

const started = Date.now();
let sent = 0;
const poller = setInterval(() => void poll(), 1000);
while (Date.now() - started < SECONDS * 1000) {
  const due = Math.floor(((Date.now() - started) / 1000) * RATE);
  const batch: Record<string, unknown>[] = [];
  while (sent < due && batch.length < 100) {
    batch.push({ type: 'track', event: 'Fresh', event_id: `fresh-${sent}`, anonymous_id: `a-${sent % 997}` });
    sent++;
  }
  if (batch.length > 0) {
    const response = await sendEvents(engine.url, key, batch);
    const at = Date.now();
    if (response.status === 202) for (const e of batch) acceptedAt.set(e.event_id as string, at);
  } else {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const deadline = Date.now() + 5 * 60_000;
while (seenAt.size < acceptedAt.size && Date.now() < deadline)
  await new Promise((resolve) => setTimeout(resolve, 1000));
clearInterval(poller);
await poll();

const delays = [...acceptedAt]
  .map(([id, at]) => (seenAt.has(id) ? (seenAt.get(id) as number) - at : Number.POSITIVE_INFINITY))
  .sort((a, b) => a - b);
const pct = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] as number;
const within = (ms: number) => delays.filter((d) => d <= ms).length / delays.length;
const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never');
console.log(
  `accepted ${acceptedAt.size.toLocaleString('en')} events; in the lake: ${seenAt.size.toLocaleString('en')}`,
);
console.log(
  `time from 202 to queryable in the lake: p50 ${s(pct(0.5))}, p99 ${s(pct(0.99))}, p99.9 ${s(pct(0.999))}, max ${s(delays.at(-1) as number)} (lake polled every 1 s)`,
);
console.log(
  `within 90 s: ${(within(90_000) * 100).toFixed(2)}% (goal 99.9%); within 5 min: ${(within(300_000) * 100).toFixed(2)}%`,
);
await engine.stop('SIGTERM');
await rm(dir, { recursive: true, force: true });
