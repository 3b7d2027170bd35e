import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret/index.js';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { Lake, SecretRef } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzurePlace } from './resource-group.ts';
import { privateStorageAccount } from './storage-account.ts';

/** The lake's container in its ADLS Gen2 account (the engine's LIVORA_LAKE_BUCKET). */
const CONTAINER = 'lake';

/**
 * The Parquet lake on ADLS Gen2: a private storage account (zone-redundant where HA is asked
 * for), the deployment's key, raw events kept a year and curated snapshots three.
 */
export class AzureLake extends Construct implements Lake {
  readonly bucket = CONTAINER;
  readonly account: string;
  readonly accountId: string;
  readonly connectionSecret: SecretRef;

  constructor(scope: Construct, id: string, at: AzurePlace, key: AzureEncryptionKey, subnetIds: string[]) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const account = privateStorageAccount(this, 'account', {
      name: resourceName(deployment, 'lake', { max: 24, separator: '' }),
      group,
      key,
      subnetIds,
      lake: true,
      recoveryDays: profile.recoveryWindowDays,
      redundancy: profile.highAvailability ? 'ZRS' : 'LRS',
    });
    new StorageContainer(this, 'container', {
      name: CONTAINER,
      storageAccountId: account.id,
      containerAccessType: 'private',
    });
    const expire = (name: string, prefix: string, days: number) => ({
      name,
      enabled: true,
      filters: { blobTypes: ['blockBlob'], prefixMatch: [`${CONTAINER}/${prefix}`] },
      actions: { baseBlob: { deleteAfterDaysSinceModificationGreaterThan: days } },
    });
    new StorageManagementPolicy(this, 'lifecycle', {
      storageAccountId: account.id,
      rule: [
        expire('raw', 'events/', 365),
        expire('sessions', 'sessions/', 3 * 365),
        expire('profiles', 'profiles/', 3 * 365),
        expire('loads', 'loads/', 7),
      ],
    });
    const secret = new KeyVaultSecret(this, 'connection', {
      name: 'lake-connection',
      keyVaultId: key.vaultId,
      value: account.primaryConnectionString,
      contentType: 'connection string',
    });
    this.connectionSecret = { name: 'lake-connection', id: secret.versionlessId };
    this.account = account.name;
    this.accountId = account.id;
  }
}
