import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/**
 * `livora cost`: a deployment's monthly estimate per resource, from the stacks' dated
 * price tables. The engine carries no CDKTF: the estimate runs from the stacks package
 * where it sits beside the engine (the Livora repository), in a process of its own.
 */
export function costCommand(program: Command, json: () => boolean): void {
  program
    .command('cost')
    .description('Monthly cost estimate of a deployment, per resource (the stacks’ dated price tables)')
    .requiredOption('--cloud <cloud>', 'aws, gcp or azure')
    .option('--env <env>', 'dev, staging or prod', 'dev')
    .option('--pattern <pattern>', 'A (everything) or B (no console, no CRM)', 'A')
    .option('--client <name>', 'the client’s short name', 'demo')
    .action((options: { cloud: string; env: string; pattern: string; client: string }) => {
      let estimate: string;
      try {
        estimate = fileURLToPath(import.meta.resolve('@livora/stacks/cost/estimate.ts'));
      } catch {
        process.stderr.write(
          'livora cost needs the stacks package beside the engine (the Livora repository): run it there (npm run cost)\n',
        );
        process.exitCode = 2;
        return;
      }
      const args = [
        '--cloud',
        options.cloud,
        '--env',
        options.env,
        '--pattern',
        options.pattern,
        '--client',
        options.client,
      ];
      const run = spawnSync(process.execPath, [estimate, ...args, ...(json() ? ['--json'] : [])], { stdio: 'inherit' });
      process.exitCode = run.status ?? 1;
    });
}
