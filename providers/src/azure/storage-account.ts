import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
import type { Construct } from 'constructs';
import { deployerIpRanges } from './deployers.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzureGroup } from './resource-group.ts';

/**
 * A storage account that is never public (no anonymous blobs, network closed but to the
 * services' subnet and Azure's trusted services), HTTPS and TLS 1.2 only, with
 * infrastructure encryption and the deployment's key (as the stores' identity); ADLS
 * Gen2 (hierarchical namespace) when `lake`; deleted blobs kept for the recovery window.
 */
export function privateStorageAccount(
  scope: Construct,
  id: string,
  options: {
    name: string;
    group: AzureGroup;
    key: AzureEncryptionKey;
    subnetIds: string[];
    lake?: boolean;
    recoveryDays: number;
    redundancy: 'LRS' | 'ZRS' | 'GZRS';
    staticWebsite?: boolean;
  },
): StorageAccount {
  return new StorageAccount(scope, id, {
    name: options.name,
    location: options.group.location,
    resourceGroupName: options.group.name,
    accountTier: 'Standard',
    accountKind: 'StorageV2',
    accountReplicationType: options.redundancy,
    isHnsEnabled: options.lake ?? false,
    allowNestedItemsToBePublic: false,
    httpsTrafficOnlyEnabled: true,
    minTlsVersion: 'TLS1_2',
    infrastructureEncryptionEnabled: true,
    // The firewall denies everything but the services' subnet and trusted Azure services
    // (the CDN reaches the console through its private link).
    networkRules: {
      defaultAction: 'Deny',
      bypass: ['AzureServices'],
      virtualNetworkSubnetIds: options.subnetIds,
      // The deployers' addresses (the static website's settings are written through the data endpoint).
      ipRules: deployerIpRanges(scope),
    },
    identity: { type: 'UserAssigned', identityIds: [options.key.identityId] },
    customerManagedKey: { keyVaultKeyId: options.key.id, userAssignedIdentityId: options.key.identityId },
    blobProperties: {
      deleteRetentionPolicy: { days: options.recoveryDays },
      containerDeleteRetentionPolicy: { days: options.recoveryDays },
      // Blob versioning is not for hierarchical-namespace (ADLS Gen2) accounts: soft delete covers them.
      ...(options.lake ? {} : { versioningEnabled: true }),
    },
    ...(options.staticWebsite
      ? { staticWebsite: { indexDocument: 'index.html', error404Document: 'index.html' } }
      : {}),
  });
}
