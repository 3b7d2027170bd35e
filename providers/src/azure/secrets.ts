import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret/index.js';
import type { Construct } from 'constructs';
import type { SecretRef } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';

/**
 * Key Vault secrets ops fill in (`az keyvault secret set`): made empty, and Terraform
 * leaves their value alone afterwards, so no value is ever in the Terraform.
 */
export function azureSecrets(
  scope: Construct,
  key: AzureEncryptionKey,
  names: readonly string[],
): Record<string, SecretRef> {
  return Object.fromEntries(
    names.map((name) => {
      const secret = new KeyVaultSecret(scope, `secret-${name}`, {
        name,
        keyVaultId: key.vaultId,
        value: '',
        lifecycle: { ignoreChanges: ['value'] },
      });
      return [name, { name, id: secret.versionlessId }];
    }),
  );
}
