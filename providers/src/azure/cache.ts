import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret/index.js';
import { ManagedRedis } from '@cdktf/provider-azurerm/lib/managed-redis/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { Cache, SecretRef } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzureNetwork } from './network.ts';
import { privateEndpoint } from './private-endpoint.ts';
import type { AzurePlace } from './resource-group.ts';

const SKU = { small: 'Balanced_B0', medium: 'Balanced_B1', large: 'Balanced_B5' } as const;

/**
 * Redis (Azure Managed Redis): TLS only, the deployment's key, reached only through a
 * private endpoint in the network (its name resolved in a private DNS zone); replicated
 * across zones where HA is asked for. Clients sign in with its access key: the whole URL
 * is kept in the vault (REDIS_URL), never in the Terraform.
 */
export class AzureCache extends Construct implements Cache {
  readonly host: string;
  readonly port = 10000; // Azure Managed Redis's TLS port
  readonly urlSecret: SecretRef;

  constructor(scope: Construct, id: string, at: AzurePlace, network: AzureNetwork, key: AzureEncryptionKey) {
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
      defaultDatabase: { clientProtocol: 'Encrypted', accessKeysAuthenticationEnabled: true },
    });
    privateEndpoint(this, at, network, {
      name: 'redis',
      dnsZone: 'privatelink.redis.azure.net',
      resourceId: redis.id,
      subresource: 'redisEnterprise',
    });
    const url = new KeyVaultSecret(this, 'url', {
      name: 'redis-url',
      keyVaultId: key.vaultId,
      value: `rediss://:${redis.defaultDatabase.primaryAccessKey}@${redis.hostname}:${this.port}`,
      contentType: 'connection string',
    });
    this.host = redis.hostname;
    this.urlSecret = { name: 'redis-url', id: url.versionlessId };
  }
}
