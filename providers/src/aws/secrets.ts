import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import type { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import type { EncryptionKey, SecretRef } from '../platform.ts';

/**
 * Secrets Manager secrets, encrypted with the deployment's key. Only the secrets are
 * made: ops put their values (`aws secretsmanager put-secret-value`), so no value is ever
 * in the Terraform or its state.
 */
export function awsSecrets(
  scope: Construct,
  deployment: Deployment,
  profile: Profile,
  key: EncryptionKey,
  names: readonly string[],
): Record<string, SecretRef> {
  return Object.fromEntries(
    names.map((name) => {
      const secret = new SecretsmanagerSecret(scope, `secret-${name}`, {
        name: `livora/${deployment.client}/${deployment.env}/${name}`,
        kmsKeyId: key.id,
        recoveryWindowInDays: profile.recoveryWindowDays,
      });
      return [name, { name, id: secret.arn }];
    }),
  );
}
