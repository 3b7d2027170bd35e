import { parseArgs } from 'node:util';
import type { Deployment } from '@livora/providers';
import { deploymentFromEnv } from '../main.ts';
import { resourcesOf, synthesize } from '../synthesize.ts';
import { AWS_SOURCE, awsLines } from './aws.ts';
import { AZURE_SOURCE, azureLines } from './azure.ts';
import { GCP_SOURCE, gcpLines } from './gcp.ts';
import type { CostLine } from './lines.ts';
import { USAGE } from './usage.ts';

export type { CostLine } from './lines.ts';

const CLOUDS = {
  aws: { lines: awsLines, source: AWS_SOURCE },
  gcp: { lines: gcpLines, source: GCP_SOURCE },
  azure: { lines: azureLines, source: AZURE_SOURCE },
} as const;

/**
 * The monthly estimate of every resource of a deployment: its stacks synthesized, each
 * resource priced from the cloud's dated price table and the environment's stated usage.
 */
export function estimate(deployment: Deployment): { lines: CostLine[]; total: number; assumptions: string } {
  const usage = USAGE[deployment.env];
  const cloud = CLOUDS[deployment.cloud];
  const lines = cloud.lines(resourcesOf(synthesize(deployment)), usage).sort((x, y) => y.monthly - x.monthly);
  const total = lines.reduce((sum, line) => sum + line.monthly, 0);
  return {
    lines,
    total,
    assumptions: `${cloud.source}; usage assumed for ${deployment.env}: ${JSON.stringify(usage)}`,
  };
}

if (import.meta.main) {
  try {
    main();
  } catch (error) {
    // A deployment that cannot be (an unknown cloud, a bad client name): say so, no stack trace.
    if (!(error instanceof RangeError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      cloud: { type: 'string' },
      env: { type: 'string' },
      pattern: { type: 'string' },
      client: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const deployment = deploymentFromEnv({
    LIVORA_CLOUD: values.cloud,
    LIVORA_ENV: values.env,
    LIVORA_PATTERN: values.pattern,
    LIVORA_CLIENT: values.client,
  });
  const { lines, total, assumptions } = estimate(deployment);
  if (values.json) {
    console.log(JSON.stringify({ deployment, lines, total, assumptions }, null, 2));
    return;
  }
  const money = (n: number) => `$${n.toFixed(2)}`.padStart(10);
  console.log(`Livora ${deployment.cloud} ${deployment.env}, pattern ${deployment.pattern}: monthly estimate\n`);
  for (const line of lines.filter((l) => l.monthly > 0))
    console.log(`${money(line.monthly)}  ${line.address}  (${line.basis})`);
  console.log(`\n${money(total)}  total per month`);
  console.log(`\n${assumptions}`);
}
