import { Eventhub } from '@cdktf/provider-azurerm/lib/eventhub/index.js';
import { EventhubNamespace } from '@cdktf/provider-azurerm/lib/eventhub-namespace/index.js';
import { EventhubNamespaceCustomerManagedKey } from '@cdktf/provider-azurerm/lib/eventhub-namespace-customer-managed-key/index.js';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret/index.js';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { EventStreamResource, SecretRef } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzurePlace } from './resource-group.ts';
import { privateStorageAccount } from './storage-account.ts';

/** Partitions of the event hub: the engine's Event Hubs adapter uses the hub's own. */
export const EVENT_HUB_PARTITIONS = 8;

/**
 * The event log: an Event Hubs namespace (Premium: the tier that takes a customer-managed
 * key; zone-redundant in its region), a hub of 8 partitions keeping a day, and a
 * capture-ready storage account (private, the deployment's key) for Event Hubs Capture.
 */
export class AzureEventStream extends Construct implements EventStreamResource {
  readonly name: string;
  readonly namespace: string;
  readonly connectionString: string;
  readonly namespaceId: string;
  readonly connectionSecret: SecretRef;

  constructor(scope: Construct, id: string, at: AzurePlace, key: AzureEncryptionKey, subnetIds: string[]) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const namespace = new EventhubNamespace(this, 'namespace', {
      name: resourceName(deployment, 'events', { max: 50 }),
      location: group.location,
      resourceGroupName: group.name,
      sku: 'Premium',
      capacity: 1,
      minimumTlsVersion: '1.2',
      // Closed but to the services' subnet (and Azure's trusted services, for Capture).
      networkRulesets: [
        {
          defaultAction: 'Deny',
          trustedServiceAccessEnabled: true,
          virtualNetworkRule: subnetIds.map((subnetId) => ({ subnetId })),
        },
      ],
      identity: { type: 'UserAssigned', identityIds: [key.identityId] },
    });
    new EventhubNamespaceCustomerManagedKey(this, 'key', {
      eventhubNamespaceId: namespace.id,
      keyVaultKeyIds: [key.id],
      userAssignedIdentityId: key.identityId,
      infrastructureEncryptionEnabled: true,
    });
    const hub = new Eventhub(this, 'hub', {
      name: 'events',
      namespaceId: namespace.id,
      partitionCount: EVENT_HUB_PARTITIONS,
      messageRetention: 1,
    });
    const capture = privateStorageAccount(this, 'capture', {
      name: resourceName(deployment, 'capture', { max: 24, separator: '' }),
      group,
      key,
      subnetIds,
      recoveryDays: profile.recoveryWindowDays,
      redundancy: profile.highAvailability ? 'ZRS' : 'LRS',
    });
    new StorageContainer(this, 'capture-container', {
      name: 'capture',
      storageAccountId: capture.id,
      containerAccessType: 'private',
    });
    this.name = hub.name;
    this.namespace = namespace.name;
    this.namespaceId = namespace.id;
    this.connectionString = namespace.defaultPrimaryConnectionString;
    const secret = new KeyVaultSecret(this, 'connection', {
      name: 'event-hubs-connection',
      keyVaultId: key.vaultId,
      value: namespace.defaultPrimaryConnectionString,
      contentType: 'connection string',
    });
    this.connectionSecret = { name: 'event-hubs-connection', id: secret.versionlessId };
  }
}
