import { ManagedRedis } from '@cdktf/provider-azurerm/lib/managed-redis/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { Cache } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzurePlace } from './resource-group.ts';

const SKU = { small: 'Balanced_B0', medium: 'Balanced_B1', large: 'Balanced_B5' } as const;

/** Redis (Azure Managed Redis): TLS only, no public network, the deployment's key; replicated across zones where HA is asked for. */
export class AzureCache extends Construct implements Cache {
  readonly host: string;
  readonly port = 10000; // Azure Managed Redis's TLS port

  constructor(scope: Construct, id: string, at: AzurePlace, key: AzureEncryptionKey) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const redis = new ManagedRedis(this, 'redis', {
      name: resourceName(deployment, 'cache', { max: 60 }),
      location: group.location,
      resourceGroupName: group.name,
      skuName: SKU[profile.size],
      highAvailabilityEnabled: profile.highAvailability,
      publicNetworkAccess: 'Disabled',
      identity: { type: 'UserAssigned', identityIds: [key.identityId] },
      customerManagedKey: { keyVaultKeyId: key.id, userAssignedIdentityId: key.identityId },
      defaultDatabase: { clientProtocol: 'Encrypted' },
    });
    this.host = redis.hostname;
  }
}
