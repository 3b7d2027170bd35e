import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3Backend, type TerraformStack } from 'cdktf';
import type { Deployment } from '../deployment.ts';
import { deploymentTags, tagEverything } from '../tags.ts';

/**
 * The AWS provider of a stack: in the deployment's region, assuming the client's role
 * when the deployment goes into the client's account (cross-account deployment), and the
 * stack's tags on every resource that takes them; its state in S3 when a state bucket is
 * named (locked, encrypted, read through the same role).
 */
export function configureAws(stack: TerraformStack, deployment: Deployment, stackName: string): void {
  new AwsProvider(stack, 'aws', {
    region: deployment.region,
    ...(deployment.crossAccount
      ? { assumeRole: [{ roleArn: deployment.crossAccount, sessionName: `livora-${deployment.env}-deploy` }] }
      : {}),
  });
  tagEverything(stack, 'tags', deploymentTags(deployment, stackName));
  if (deployment.stateBucket) {
    const backend = new S3Backend(stack, {
      bucket: deployment.stateBucket,
      key: `livora/${deployment.client}/${deployment.env}/${stackName}.tfstate`,
      region: deployment.region,
      encrypt: true,
      ...(deployment.crossAccount ? { assumeRole: { roleArn: deployment.crossAccount } } : {}),
    });
    // S3's own lock file (Terraform 1.10+, OpenTofu 1.10+): no DynamoDB table to keep.
    backend.addOverride('use_lockfile', true);
  }
}
