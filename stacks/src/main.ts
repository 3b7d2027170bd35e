import {
  assertClientName,
  awsPlatform,
  azurePlatform,
  CLOUDS,
  type Cloud,
  type Deployment,
  ENVIRONMENTS,
  type Environment,
  gcpPlatform,
  PATTERNS,
  type Pattern,
} from '@livora/providers';
import { App } from 'cdktf';
import { buildLivora } from './livora.ts';

/** Each cloud's region when LIVORA_REGION does not name one. */
const DEFAULT_REGIONS: Record<Cloud, string> = { aws: 'eu-west-1', gcp: 'europe-west1', azure: 'westeurope' };

/**
 * The deployment `cdktf synth` / `cdktf deploy` builds: LIVORA_CLOUD (aws|gcp|azure),
 * LIVORA_ENV (dev|staging|prod), LIVORA_PATTERN (A|B), LIVORA_CLIENT, LIVORA_REGION and
 * LIVORA_CROSS_ACCOUNT (the client's role, service account or subscription) and
 * LIVORA_STATE_BUCKET (where Terraform state is kept; local files when unset) and
 * LIVORA_ACCOUNT (the GCP project or Azure subscription).
 */
export function deploymentFromEnv(env: Readonly<Record<string, string | undefined>>): Deployment {
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = env[name] || fallback;
    if (!allowed.includes(value as T)) throw new RangeError(`${name}=${value}: one of ${allowed.join(', ')}`);
    return value as T;
  };
  const cloud = pick<Cloud>('LIVORA_CLOUD', CLOUDS, 'aws');
  const client = env.LIVORA_CLIENT || 'demo';
  assertClientName(client);
  return {
    client,
    cloud,
    env: pick<Environment>('LIVORA_ENV', ENVIRONMENTS, 'dev'),
    pattern: pick<Pattern>('LIVORA_PATTERN', PATTERNS, 'A'),
    region: env.LIVORA_REGION || DEFAULT_REGIONS[cloud],
    ...(env.LIVORA_CROSS_ACCOUNT ? { crossAccount: env.LIVORA_CROSS_ACCOUNT } : {}),
    ...(env.LIVORA_STATE_BUCKET ? { stateBucket: env.LIVORA_STATE_BUCKET } : {}),
    ...(env.LIVORA_ACCOUNT ? { account: env.LIVORA_ACCOUNT } : {}),
  };
}

/** The clouds whose Platform is built. */
export const BUILT_CLOUDS: readonly Cloud[] = ['aws', 'gcp', 'azure'];

export function platformFor(deployment: Deployment) {
  if (deployment.cloud === 'aws') return awsPlatform(deployment);
  if (deployment.cloud === 'gcp') return gcpPlatform(deployment);
  if (deployment.cloud === 'azure') return azurePlatform(deployment);
  throw new Error(
    `LIVORA_CLOUD=${deployment.cloud}: that platform is not built yet (${BUILT_CLOUDS.join(' and ')} are)`,
  );
}

if (import.meta.main) {
  const deployment = deploymentFromEnv(process.env);
  const app = new App();
  buildLivora(app, deployment, platformFor(deployment));
  app.synth();
}
