import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createPostgresCheckpointStore, migrateToLatest, openPostgresEventStream } from '@livora/adapters/local';
import { startScratchPostgres } from '@livora/adapters/testing';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../runtime/src/config/load.ts';
import { ArrayLiteralClient } from '../../runtime/src/db/array-literal-client.ts';
import type { Tables } from '../../runtime/src/db/tables.ts';
import { POSTGRES_SETTINGS } from '../../runtime/src/main/database.ts';
import { createLogger } from '../../runtime/src/main/logger.ts';
import { migrations } from '../../runtime/src/main/migrations.ts';
import { startPipelineRole } from '../../runtime/src/main/pipeline.ts';
import { createMetrics } from '../../runtime/src/observability/metrics.ts';
import { CONSUMER_GROUP } from '../../runtime/src/pipeline/consumer/partition-worker.ts';
import { copyLogToParquet } from './bare-lake-copy.ts';
import { profileIfAsked } from './cpu-profile.ts';
import { cpuSecondsByThread, cpuSecondsOfTree } from './process-tree.ts';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const VISITORS = Number(process.env.BENCH_VISITORS ?? 50_000);
/** Events a visitor sends per visit (a session); 1 makes every event a session of its own. */
const PER_VISIT = Number(process.env.BENCH_EVENTS_PER_VISIT ?? 5);
const MB = 1024 * 1024;
/**
 * BENCH_STEPS=geo,campaign,… runs dedupe and only those steps (identity must come with
 * sessions and profiles): what the others cost. Dedupe always runs: without it, a retried
 * event would break the processed-event ledger's key and be dead-lettered.
 */
const ONLY_STEPS = process.env.BENCH_STEPS
  ? ['dedupe', ...process.env.BENCH_STEPS.split(',').map((name) => name.trim())].filter(
      (name, i, names) => names.indexOf(name) === i,
    )
  : undefined;
/** BENCH_PG_STATEMENTS=N prints the N statements PostgreSQL spent most time on (pg_stat_statements). */
const STATEMENTS = Number(process.env.BENCH_PG_STATEMENTS ?? 0);

const scratch = await startScratchPostgres({
  name: 'bench-pipeline',
  database: 'livora',
  settings: {
    ...POSTGRES_SETTINGS,
    ...(process.env.BENCH_PG_SLOW
      ? { log_min_duration_statement: process.env.BENCH_PG_SLOW, log_lock_waits: 'on', deadlock_timeout: '10ms' }
      : {}),
    ...(STATEMENTS ? { shared_preload_libraries: 'pg_stat_statements' } : {}),
  },
});
const { dir, server } = scratch;
// The server is detached (the engine adopts it across restarts): a benchmark that fails must not leave it running.
process.once('exit', () => {
  try {
    process.kill(server.pid, 'SIGINT');
  } catch {
    // already stopped
  }
});
await migrateToLatest(server.url, migrations);
// The engine's client class (runtime/src/main/database.ts): the bench measures what it runs.
const pool = new pg.Pool({ connectionString: server.url, max: 12, Client: ArrayLiteralClient });
pool.on('error', () => undefined); // stopping the server at the end cuts connections the pool still keeps
const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
if (STATEMENTS) await pool.query('CREATE EXTENSION pg_stat_statements');
await pool.query(`INSERT INTO tenants (id, name) VALUES ('bench', 'bench')`);
const config = loadConfig({
  DATABASE_URL: server.url,
  LIVORA_LAKE_DIR: path.join(dir, 'lake'),
  LIVORA_LOG_LEVEL: 'warn',
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('LIVORA_'))),
});
const stream = await openPostgresEventStream({
  pool,
  checkpoints: createPostgresCheckpointStore(pool),
  partitions: config.stream.partitions,
});

console.log(
  `Livora pipeline benchmark: ${TOTAL.toLocaleString('en')} events from ${VISITORS.toLocaleString('en')} visitors (${PER_VISIT} per visit), ${config.stream.partitions} partitions, batches of ${config.pipeline.batchSize}, lake ranges rolled at ${config.lake.rollMegabytes} MB or ${config.lake.rollSeconds} s`,
);

// Fill the log: visitors browse (pages with campaign URLs, user agents, IPs), a third
// identify, some order; 1% of events are retries of an earlier one. Eight visits run side
// by side, each PER_VISIT events within seconds; a visitor comes back hours later.
const fillStarted = performance.now();
const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
];
const ips = ['81.2.69.142', '8.8.8.8', '1.1.1.1', '203.0.113.9', '2a00:1450:4001:80b::200e'];
const start = Date.parse('2026-11-01T00:00:00.000Z');
let lastPayload = '';
let lastKey = '';
for (let made = 0; made < TOTAL; ) {
  const chunk: { partitionKey: string; payload: string }[] = [];
  for (let i = 0; i < 10_000 && made < TOTAL; i++, made++) {
    const visitor = ((Math.floor(made / (8 * PER_VISIT)) * 8 + (made % 8)) * 7919) % VISITORS;
    if (made % 100 === 99 && lastPayload) {
      chunk.push({ partitionKey: lastKey, payload: lastPayload }); // a retry: same key, same partition
      continue;
    }
    const timestamp = new Date(start + made * 40).toISOString();
    const base = {
      v: 1,
      tenant_id: 'bench',
      source_id: 'bench',
      event_id: `e-${made}`,
      anonymous_id: `anon-${visitor}`,
      timestamp,
      received_at: timestamp,
    };
    const kind = made % 20;
    const event =
      kind === 0 && visitor % 3 === 0
        ? {
            ...base,
            type: 'identify',
            user_id: `user-${visitor}`,
            traits: { email: `user-${visitor}@example.com`, plan: made % 2 ? 'pro' : 'free' },
          }
        : kind === 1
          ? {
              ...base,
              type: 'track',
              event: 'Order Completed',
              properties: { order_id: `o-${made}`, revenue: (made % 10_000) / 100, currency: 'EUR' },
            }
          : {
              ...base,
              type: 'page',
              name: 'Product',
              context: {
                ip: ips[made % ips.length],
                user_agent: agents[made % agents.length],
                page: {
                  url: `https://shop.example.com/p/${made % 500}${made % 9 === 0 ? '?utm_source=google&utm_medium=cpc&utm_campaign=winter' : ''}`,
                  referrer: made % 4 === 0 ? 'https://www.google.com/' : '',
                },
              },
            };
    lastPayload = JSON.stringify(event);
    lastKey = `bench:anon-${visitor}`;
    chunk.push({ partitionKey: lastKey, payload: lastPayload });
  }
  await stream.append(chunk);
}
console.log(`filled the log in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`);
if (ONLY_STEPS) console.log(`only the steps ${ONLY_STEPS.join(', ')} (BENCH_STEPS)\n`);

// Run the pipeline until every partition's checkpoint reaches the end of the log.
const metrics = createMetrics();
const log = createLogger('warn');
// At the peak: what the resident memory was made of (V8 heap, buffers outside it, the rest native).
let peak = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peak.rss) peak = now;
}, 100);
const postgresCpu = () => cpuSecondsOfTree(server.pid);
const postgresBefore = await postgresCpu();
const pipelineBefore = process.cpuUsage();
const threadsBefore = await cpuSecondsByThread();
if (STATEMENTS) await pool.query('SELECT pg_stat_statements_reset()'); // the pipeline's statements, not the fill's
const stopProfile = await profileIfAsked();
const started = performance.now();
const pipeline = await startPipelineRole({
  config,
  dataDir: dir,
  database: { db },
  stream,
  metrics,
  log,
  ...(ONLY_STEPS ? { onlySteps: ONLY_STEPS } : {}),
});
// Until every event went through the steps (counted once its batch committed); then the
// pipeline stops as on SIGTERM, writing its open ranges to the lake and committing them.
// Waiting for the ranges to roll by themselves would time the roll interval at the end.
const values = async (name: string) => (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
// The first step sees every event: the largest count of events a step took in.
const entered = async () =>
  Math.max(
    0,
    ...(await values('livora_pipeline_events_total'))
      .filter((v) => v.labels.outcome === 'processed')
      .map((v) => v.value),
  );
while ((await entered()) < TOTAL) await new Promise((resolve) => setTimeout(resolve, 50));
await pipeline.close();
const seconds = (performance.now() - started) / 1000;
await stopProfile();
const pipelineCpu = process.cpuUsage(pipelineBefore);
const threadsAfter = await cpuSecondsByThread();
const postgresSeconds = (await postgresCpu()) - postgresBefore;
clearInterval(sampler);
for (const partition of await stream.listPartitions()) {
  const latest = await stream.latestOffset(partition);
  const checkpoint = await stream.getCheckpoint(CONSUMER_GROUP, partition);
  if (latest !== null && checkpoint !== latest)
    throw new Error(`partition ${partition} stopped at ${checkpoint}, not at the end of the log (${latest})`);
}

// The baseline, in the same run on the same log: read, parse and write Parquet, nothing else.
const bareSeconds = await copyLogToParquet({
  stream,
  dir: path.join(dir, 'baseline'),
  batchSize: config.pipeline.batchSize,
  rollBytes: config.lake.rollMegabytes * MB,
  compression: config.lake.compression,
});

// Report.
const stepSeconds = new Map(
  (await values('livora_pipeline_step_seconds_total')).map((v) => [String(v.labels.step), v.value]),
);
const processed = new Map(
  (await values('livora_pipeline_events_total'))
    .filter((v) => v.labels.outcome === 'processed')
    .map((v) => [String(v.labels.step), v.value]),
);
const dropped = (await values('livora_pipeline_events_total'))
  .filter((v) => v.labels.outcome === 'dropped')
  .reduce((n, v) => n + v.value, 0);
const flush =
  (await values('livora_lake_flush_seconds')).find(
    (v) => (v as { metricName?: string }).metricName === 'livora_lake_flush_seconds_sum',
  )?.value ?? 0;
const files = (await values('livora_lake_files_written_total'))[0]?.value ?? 0;
const lakeFiles = (await readdir(path.join(dir, 'lake'), { recursive: true })).filter((f) =>
  String(f).endsWith('.parquet'),
).length;

console.log('step            | seconds | events | events/s of step time');
const rows = [...stepSeconds.entries()].map(([step, s]) => ({ step, s, n: processed.get(step) ?? TOTAL }));
rows.push({ step: 'lake write+ckpt', s: flush, n: TOTAL - dropped });
for (const { step, s, n } of rows) {
  console.log(
    `${step.padEnd(15)} | ${s.toFixed(2).padStart(7)} | ${Math.round(n).toLocaleString('en').padStart(9)} | ${Math.round(
      n / Math.max(s, 1e-9),
    )
      .toLocaleString('en')
      .padStart(12)}`,
  );
}
const slowest = rows.sort((a, b) => b.s - a.s)[0];
console.log('');
console.log(
  `end to end: ${TOTAL.toLocaleString('en')} events in ${seconds.toFixed(1)} s = ${Math.round(TOTAL / seconds).toLocaleString('en')} events/s (goal 50,000), ${dropped.toLocaleString('en')} duplicates dropped`,
);
console.log(
  `baseline (read, parse, write Parquet; no steps, no state): ${Math.round(TOTAL / bareSeconds).toLocaleString('en')} events/s; the pipeline reaches ${((100 * bareSeconds) / seconds).toFixed(0)}% of it`,
);
console.log(
  `slowest step: ${slowest?.step} (${slowest?.s.toFixed(1)} s); lake: ${files} files written, ${lakeFiles} in the lake`,
);
const threads = [...threadsAfter]
  .map(([kind, after]) => ({ kind, cores: (after - (threadsBefore.get(kind) ?? 0)) / seconds }))
  .filter(({ cores }) => cores >= 0.005)
  .map(({ kind, cores }) => `${kind} ${cores.toFixed(2)}`)
  .join(', ');
console.log(
  `CPU: pipeline ${((pipelineCpu.user + pipelineCpu.system) / 1e6 / seconds).toFixed(2)} cores (${threads}), PostgreSQL ${(postgresSeconds / seconds).toFixed(2)} cores (of 2)`,
);
const perEvent = (cores: number) => ((cores * 1e6) / TOTAL).toFixed(1);
console.log(
  `CPU per event: pipeline ${perEvent((pipelineCpu.user + pipelineCpu.system) / 1e6)} µs, PostgreSQL ${perEvent(postgresSeconds)} µs`,
);
console.log(
  `pipeline peak resident memory: ${(peak.rss / MB).toFixed(0)} MB (goal < 1,024 MB; PostgreSQL is a separate process): V8 heap ${(peak.heapTotal / MB).toFixed(0)} MB (${(peak.heapUsed / MB).toFixed(0)} in use), buffers ${(peak.external / MB).toFixed(0)} MB, native and code ${((peak.rss - peak.heapTotal - peak.external) / MB).toFixed(0)} MB`,
);
if (STATEMENTS) {
  const { rows: top } = await pool.query(
    `SELECT round((total_exec_time / 1000)::numeric, 2) AS seconds, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1`,
    [STATEMENTS],
  );
  console.log('\nPostgreSQL statements by execution time:');
  for (const t of top)
    console.log(`${String(t.seconds).padStart(7)} s ${String(t.calls).padStart(7)} calls  ${t.query}`);
}

await db.destroy();
await scratch.stop({ keep: Boolean(process.env.BENCH_KEEP) });
if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
