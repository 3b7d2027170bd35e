import { RedisInstance } from '@cdktf/provider-google/lib/redis-instance/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Cache, EncryptionKey } from '../platform.ts';
import type { GcpNetwork } from './network.ts';

const MEMORY_GB = { small: 1, medium: 2, large: 5 } as const;

/** Redis (Memorystore): private services access, TLS, the deployment's key; a standby replica (STANDARD_HA) where HA is asked for. */
export class GcpCache extends Construct implements Cache {
  readonly host: string;
  readonly port = 6378; // Memorystore's TLS port
  readonly ca: string;

  constructor(
    scope: Construct,
    id: string,
    deployment: Deployment,
    profile: Profile,
    network: GcpNetwork,
    key: EncryptionKey,
  ) {
    super(scope, id);
    const redis = new RedisInstance(this, 'redis', {
      name: resourceName(deployment, 'cache', { max: 40 }),
      region: deployment.region,
      tier: profile.highAvailability ? 'STANDARD_HA' : 'BASIC',
      memorySizeGb: MEMORY_GB[profile.size],
      redisVersion: 'REDIS_7_2',
      authorizedNetwork: network.id,
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      customerManagedKey: key.id,
      dependsOn: [network.peering],
    });
    this.host = redis.host;
    this.ca = redis.serverCaCerts.get(0).cert;
  }
}
