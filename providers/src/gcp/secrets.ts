import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import type { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import type { EncryptionKey, SecretRef } from '../platform.ts';

/** A Secret Manager secret, in the deployment's region, encrypted with its key (no value here). */
export function gcpSecret(
  scope: Construct,
  id: string,
  deployment: Deployment,
  _profile: Profile,
  key: EncryptionKey,
  name: string,
): SecretManagerSecret {
  return new SecretManagerSecret(scope, id, {
    secretId: `livora-${deployment.client}-${deployment.env}-${name}`,
    replication: {
      userManaged: { replicas: [{ location: deployment.region, customerManagedEncryption: { kmsKeyName: key.id } }] },
    },
  });
}

/** Secrets ops fill in (`gcloud secrets versions add`): only the secrets are made here. */
export function gcpSecrets(
  scope: Construct,
  deployment: Deployment,
  profile: Profile,
  key: EncryptionKey,
  names: readonly string[],
): Record<string, SecretRef> {
  return Object.fromEntries(
    names.map((name) => {
      const secret = gcpSecret(scope, `secret-${name}`, deployment, profile, key, name);
      return [name, { name, id: secret.id }];
    }),
  );
}
