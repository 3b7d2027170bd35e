import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENVIRONMENTS, PATTERNS } from '@livora/providers';
import { describe, expect, it } from 'vitest';
import { BUILT_CLOUDS } from '../src/main.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** The CLI loads a native terminal module at start: built by .ci/run for Node 24 (see the README). */
const cliRuns = (() => {
  try {
    createRequire(import.meta.url)('@cdktf/node-pty-prebuilt-multiarch');
    return true;
  } catch {
    return false;
  }
})();
if (!cliRuns)
  console.warn(
    'SKIPPED: `npx cdktf synth` needs @cdktf/node-pty-prebuilt-multiarch built for this Node (npm_config_nodedir=<node> npm rebuild @cdktf/node-pty-prebuilt-multiarch)',
  );

describe.skipIf(!cliRuns)('`npx cdktf synth`, offline, for every built cloud, environment and pattern', () => {
  it.each(
    BUILT_CLOUDS.flatMap((cloud) =>
      ENVIRONMENTS.flatMap((env) => PATTERNS.map((pattern) => ({ cloud, env, pattern }))),
    ),
  )(
    '$cloud $env, pattern $pattern',
    ({ cloud, env, pattern }) => {
      const output = mkdtempSync(path.join(tmpdir(), 'livora-cdktf-'));
      try {
        const run = spawnSync(path.join(root, 'node_modules/.bin/cdktf'), ['synth', '--output', output], {
          cwd: root,
          encoding: 'utf8',
          env: {
            ...process.env,
            CHECKPOINT_DISABLE: '1',
            LIVORA_CLOUD: cloud,
            LIVORA_ENV: env,
            LIVORA_PATTERN: pattern,
            LIVORA_CLIENT: 'acme',
          },
          timeout: 60_000,
        });
        expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
        const stacks = readdirSync(path.join(output, 'stacks')).sort();
        expect(stacks).toHaveLength(pattern === 'A' ? 6 : 4);
        expect(stacks).toContain(`livora-acme-${env}-core`);
      } finally {
        rmSync(output, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
