/**
 * npm run bench:ingest — drives a running engine (`livora start`, every role) over
 * loopback with batches of 100 events at rising concurrency, and the same bodies against
 * a bare Fastify endpoint that only parses them (the baseline), in the same run. Prints
 * durably accepted events/s, p50/p99 latency, the ratio to the baseline, where the CPU
 * went, and the memory of the whole engine (Node, PostgreSQL, Temporal dev server).
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_TS, startEngine, tenantWithKey } from '../support/engine-process.ts';
import { engineEnv } from '../support/ports.ts';
import { makeBodies, runStep, type StepResult } from './load-client.ts';
import { cpuSecondsByCommand, processTree, proportionalBytes, residentBytes } from './process-tree.ts';

const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,4,8,16,32,64').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const BATCH = 100;
const MB = 1024 * 1024;

const dir = await mkdtemp(path.join(tmpdir(), 'livora-bench-'));
await chmod(dir, 0o755);
// The ingestion path alone: the pipeline (its own benchmark) would share these 2 cores.
// BENCH_PIPELINE=on keeps it running, as in `livora start`, to see what it costs.
const env = await engineEnv(path.join(dir, 'data'), {
  LIVORA_LOG_LEVEL: 'warn',
  LIVORA_PIPELINE: process.env.BENCH_PIPELINE ?? 'off',
  LIVORA_RATE_TENANT_EVENTS_PER_SECOND: '100000000',
  LIVORA_RATE_TENANT_BURST: '100000000',
});
const bodies = makeBodies(400, BATCH, `bench-${Date.now()}`);
const countEngine = (text: string) =>
  text.includes('"rejected":[]') ? BATCH : (JSON.parse(text).accepted as unknown[]).length;

console.log(
  `Livora ingestion benchmark: batches of ${BATCH} events, ${SECONDS} s per step, concurrency ${CONCURRENCY.join(', ')}`,
);
console.log(`machine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}\n`);

// Baseline: the same framework parsing the same bodies, in a process of its own.
const baseline = spawn(
  process.execPath,
  [...NODE_TS, fileURLToPath(new URL('./baseline-server.ts', import.meta.url))],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const baselineUrl = await new Promise<string>((resolve) =>
  baseline.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
);
const baselineResults: StepResult[] = [];
for (const concurrency of CONCURRENCY) {
  baselineResults.push(
    await runStep({
      url: `${baselineUrl}/v1/events`,
      bodies,
      concurrency,
      seconds: SECONDS,
      countAccepted: () => BATCH,
    }),
  );
}
baseline.kill();

// The engine, started as a user would.
const engine = await startEngine(env, path.join(dir, 'engine.log'));
const key = await tenantWithKey('bench', env, ['--rate', '100000000', '--burst', '100000000']);
const authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
await new Promise((resolve) => setTimeout(resolve, 3000)); // let start-up settle before measuring idle memory
const enginePid = engine.child.pid as number;
const memory = async () => {
  const pids = await processTree(enginePid);
  return { pss: await proportionalBytes(pids), rss: await residentBytes(pids) };
};
const idle = await memory();
const peak = { ...idle };
const sampler = setInterval(async () => {
  const now = await memory();
  peak.pss = Math.max(peak.pss, now.pss);
  peak.rss = Math.max(peak.rss, now.rss);
}, 1000);

// Warm-up (JIT, connection pools, PostgreSQL caches), not reported.
await runStep({
  url: `${engine.url}/v1/events`,
  authorization,
  bodies,
  concurrency: 8,
  seconds: 3,
  countAccepted: countEngine,
});

const engineResults: { step: StepResult; cpu: Map<string, number> }[] = [];
for (const concurrency of CONCURRENCY) {
  const pids = await processTree(enginePid);
  const before = await cpuSecondsByCommand(pids);
  const clientBefore = process.cpuUsage();
  const step = await runStep({
    url: `${engine.url}/v1/events`,
    authorization,
    bodies,
    concurrency,
    seconds: SECONDS,
    countAccepted: countEngine,
  });
  const after = await cpuSecondsByCommand(await processTree(enginePid));
  const client = process.cpuUsage(clientBefore);
  const cpu = new Map<string, number>();
  for (const [name, seconds] of after) cpu.set(name, (seconds - (before.get(name) ?? 0)) / step.seconds);
  cpu.set('load client', (client.user + client.system) / 1e6 / step.seconds);
  engineResults.push({ step, cpu });
}
clearInterval(sampler);

const metrics = await (await fetch(`${engine.url}/metrics`)).text();
const appendSum = Number(/^livora_event_log_append_seconds_sum (\S+)/m.exec(metrics)?.[1]);
const appendCount = Number(/^livora_event_log_append_seconds_count (\S+)/m.exec(metrics)?.[1]);
await engine.stop('SIGTERM');
await rm(dir, { recursive: true, force: true });

// Report.
const pad = (value: string | number, width: number) => String(value).padStart(width);
console.log(
  'concurrency | engine events/s | p50 ms | p99 ms | errors | baseline events/s | p50 ms | p99 ms | engine/baseline | CPU (cores) during the step',
);
for (const [i, { step, cpu }] of engineResults.entries()) {
  const base = baselineResults[i] as StepResult;
  const rate = step.acceptedEvents / step.seconds;
  const baseRate = base.acceptedEvents / base.seconds;
  const cpuText = [...cpu.entries()]
    .filter(([, cores]) => cores > 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
    .join(', ');
  console.log(
    [
      pad(step.concurrency, 11),
      pad(Math.round(rate).toLocaleString('en'), 15),
      pad(step.p50Ms.toFixed(1), 6),
      pad(step.p99Ms.toFixed(1), 6),
      pad(step.errors, 6),
      pad(Math.round(baseRate).toLocaleString('en'), 17),
      pad(base.p50Ms.toFixed(1), 6),
      pad(base.p99Ms.toFixed(1), 6),
      pad(`${((rate / baseRate) * 100).toFixed(0)}%`, 15),
      cpuText,
    ].join(' | '),
  );
}
const best = engineResults
  .filter((r) => r.step.p99Ms < 50)
  .sort((a, b) => b.step.acceptedEvents / b.step.seconds - a.step.acceptedEvents / a.step.seconds)[0];
console.log('');
if (best) {
  console.log(
    `best with p99 < 50 ms: ${Math.round(best.step.acceptedEvents / best.step.seconds).toLocaleString('en')} events/s ` +
      `at concurrency ${best.step.concurrency} (p99 ${best.step.p99Ms.toFixed(1)} ms) — goal 30,000 events/s`,
  );
} else {
  console.log('no step kept p99 under 50 ms');
}
console.log(
  `mean time to durability per request (group commit incl. wait): ${((appendSum / appendCount) * 1000).toFixed(2)} ms over ${appendCount} requests`,
);
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
console.log('engine memory, Node + PostgreSQL + Temporal dev server (goal: idle < 600 MB, peak < 1,536 MB):');
console.log(`  PSS (shared pages split among sharers): idle ${mb(idle.pss)}, peak ${mb(peak.pss)}`);
console.log(`  RSS upper bound (shared libraries counted per process): idle ${mb(idle.rss)}, peak ${mb(peak.rss)}`);
