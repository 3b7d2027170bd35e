import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { CLOUDS, type Deployment, ENVIRONMENTS, PATTERNS } from '@livora/providers';
import { App, TerraformStack } from 'cdktf';
import { buildLivora } from '../../stacks/src/livora.ts';
import { platformFor } from '../../stacks/src/main.ts';

/**
 * `npm run bench:synth`: synthesizes every cloud × environment × pattern as `cdktf synth`
 * does (stacks written to a temporary folder): first one after another in this process
 * (each one's time, the total, the peak resident memory), then each in a process of its
 * own, as CI and `cdktf synth` run them (wall time with Node's start and module loading,
 * and the largest process). Goal: all 18 in under 60 s and 4 GB. The baseline, in the same
 * run: one stack holding only the AWS provider (what any synth pays: writing a stack).
 */

const outdir = mkdtempSync(path.join(tmpdir(), 'livora-bench-synth-'));

function synth(build: (app: App) => void): number {
  const started = performance.now();
  const app = new App({ outdir: path.join(outdir, String(Math.random()).slice(2)) });
  build(app);
  app.synth();
  return (performance.now() - started) / 1000;
}

const baseline = synth((app) => {
  new AwsProvider(new TerraformStack(app, 'baseline'), 'aws', { region: 'eu-west-1' });
});
console.log(`Livora synth benchmark: ${CLOUDS.length * ENVIRONMENTS.length * PATTERNS.length} combinations`);
console.log(`baseline (one stack, only the AWS provider): ${(baseline * 1000).toFixed(1)} ms\n`);
console.log('cloud | env     | pattern | stacks | resources |      ms');

let total = 0;
let built = 0;
const missing: string[] = [];
for (const cloud of CLOUDS)
  for (const env of ENVIRONMENTS)
    for (const pattern of PATTERNS) {
      const deployment: Deployment = { client: 'bench', cloud, env, pattern, region: 'eu-west-1' };
      let platform: ReturnType<typeof platformFor>;
      try {
        platform = platformFor(deployment);
      } catch (error) {
        missing.push(`${cloud} ${env} ${pattern}: ${(error as Error).message}`);
        continue;
      }
      let stacks = 0;
      let resources = 0;
      const seconds = synth((app) => {
        const built = buildLivora(app, deployment, platform);
        stacks = built.size;
        for (const stack of built.values())
          resources += stack.node
            .findAll()
            .filter((c) => 'terraformResourceType' in c && 'friendlyUniqueId' in c).length;
      });
      total += seconds;
      built += 1;
      console.log(
        `${cloud.padEnd(5)} | ${env.padEnd(7)} | ${pattern.padEnd(7)} | ${String(stacks).padStart(6)} | ${String(resources).padStart(9)} | ${(seconds * 1000).toFixed(0).padStart(7)}`,
      );
    }
const peak = process.resourceUsage().maxRSS / 1024;
console.log('');
console.log(
  `total: ${built} combinations in ${total.toFixed(1)} s (goal: all 18 under 60 s), ${(total / Math.max(built, 1) / baseline).toFixed(1)}× the baseline each`,
);
console.log(`peak resident memory: ${peak.toFixed(0)} MB (goal < 4,096 MB)`);
for (const line of missing) console.log(`not synthesized: ${line}`);

// The same, one process per combination.
const one = new URL('./synth-one.ts', import.meta.url).pathname;
let processSeconds = 0;
let largest = 0;
for (const cloud of CLOUDS)
  for (const env of ENVIRONMENTS)
    for (const pattern of PATTERNS) {
      const started = performance.now();
      const run = spawnSync(process.execPath, [one], {
        encoding: 'utf8',
        env: {
          ...process.env,
          LIVORA_CLOUD: cloud,
          LIVORA_ENV: env,
          LIVORA_PATTERN: pattern,
          LIVORA_CLIENT: 'bench',
          CDKTF_OUTDIR: outdir,
        },
      });
      processSeconds += (performance.now() - started) / 1000;
      if (run.status !== 0) {
        console.log(`${cloud} ${env} ${pattern}: the synth process failed: ${run.stderr.trim().split('\n').at(-1)}`);
        continue;
      }
      largest = Math.max(
        largest,
        (JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as { maxRssKb: number }).maxRssKb,
      );
    }
console.log(
  `one process per combination (as CI runs them): ${processSeconds.toFixed(1)} s in total, the largest process ${(largest / 1024).toFixed(0)} MB`,
);
rmSync(outdir, { recursive: true, force: true });
