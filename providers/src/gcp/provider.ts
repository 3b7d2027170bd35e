import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { GcsBackend, type TerraformStack } from 'cdktf';
import type { Deployment } from '../deployment.ts';
import { deploymentLabels, tagEverything } from '../tags.ts';

/** The GCP project a deployment goes into: the one named, else `livora-<client>-<env>`. */
export function gcpProject(deployment: Deployment): string {
  return deployment.account ?? `livora-${deployment.client}-${deployment.env}`.slice(0, 30);
}

/**
 * The Google provider of a stack: the deployment's project and region, impersonating the
 * client's service account when deploying into the client's project (cross-project
 * deployment); labels on every resource that takes them; state in GCS when a state
 * bucket is named (GCS locks it itself).
 */
export function configureGcp(stack: TerraformStack, deployment: Deployment, stackName: string): void {
  new GoogleProvider(stack, 'google', {
    project: gcpProject(deployment),
    region: deployment.region,
    ...(deployment.crossAccount ? { impersonateServiceAccount: deployment.crossAccount } : {}),
  });
  new RandomProvider(stack, 'random');
  tagEverything(stack, 'labels', deploymentLabels(deployment, stackName));
  if (deployment.stateBucket)
    new GcsBackend(stack, {
      bucket: deployment.stateBucket,
      prefix: `livora/${deployment.client}/${deployment.env}/${stackName}`,
      ...(deployment.crossAccount ? { impersonateServiceAccount: deployment.crossAccount } : {}),
    });
}
