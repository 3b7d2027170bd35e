import { describe, expect, it } from 'vitest';
import { deploymentFromEnv } from '../src/main.ts';
import { synthesize } from '../src/synthesize.ts';

describe('the deployment a synth builds', () => {
  it('comes from LIVORA_CLOUD, LIVORA_ENV, LIVORA_PATTERN and friends, with defaults', () => {
    expect(deploymentFromEnv({})).toEqual({
      client: 'demo',
      cloud: 'aws',
      env: 'dev',
      pattern: 'A',
      region: 'eu-west-1',
    });
    expect(
      deploymentFromEnv({
        LIVORA_CLOUD: 'gcp',
        LIVORA_ENV: 'prod',
        LIVORA_PATTERN: 'B',
        LIVORA_CLIENT: 'acme',
        LIVORA_STATE_BUCKET: 'acme-state',
      }),
    ).toEqual({
      client: 'acme',
      cloud: 'gcp',
      env: 'prod',
      pattern: 'B',
      region: 'europe-west1',
      stateBucket: 'acme-state',
    });
  });

  it('refuses what it cannot build, naming the variable', () => {
    expect(() => deploymentFromEnv({ LIVORA_CLOUD: 'ibm' })).toThrow('LIVORA_CLOUD=ibm: one of aws, gcp, azure');
    expect(() => deploymentFromEnv({ LIVORA_ENV: 'qa' })).toThrow('LIVORA_ENV=qa: one of dev, staging, prod');
    expect(() => deploymentFromEnv({ LIVORA_PATTERN: 'C' })).toThrow('LIVORA_PATTERN=C: one of A, B');
    expect(() => deploymentFromEnv({ LIVORA_CLIENT: 'Acme Corp' })).toThrow(/client name "Acme Corp"/);
  });

  it('deploys into the client’s account by assuming its role, and keeps state in S3, locked and per stack', () => {
    const role = 'arn:aws:iam::210987654321:role/livora-deploy';
    const stacks = synthesize({
      client: 'acme',
      cloud: 'aws',
      env: 'staging',
      pattern: 'B',
      region: 'eu-central-1',
      crossAccount: role,
      stateBucket: 'acme-terraform-state',
    });
    for (const stack of stacks) {
      const provider = (stack.json as { provider: { aws: { assume_role: { role_arn: string }[]; region: string }[] } })
        .provider.aws[0];
      expect(provider?.assume_role[0]?.role_arn).toBe(role);
      expect(provider?.region).toBe('eu-central-1');
      expect(stack.json.terraform?.backend).toEqual({
        s3: {
          bucket: 'acme-terraform-state',
          key: `livora/acme/staging/${stack.name}.tfstate`,
          region: 'eu-central-1',
          encrypt: true,
          use_lockfile: true,
          assume_role: { role_arn: role },
        },
      });
    }
    // Another stack's outputs are read from its state in the same bucket.
    const data = stacks.find((s) => s.name === 'data');
    const remote = Object.values(data?.json.data?.terraform_remote_state ?? {})[0] as {
      backend: string;
      config: { key: string };
    };
    expect(remote.backend).toBe('s3');
    expect(remote.config.key).toBe('livora/acme/staging/core.tfstate');
  });
});
