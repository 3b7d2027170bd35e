import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Cache, EncryptionKey, Network } from '../platform.ts';

const NODE_TYPE = { small: 'cache.t4g.micro', medium: 'cache.t4g.medium', large: 'cache.r7g.large' } as const;

/**
 * Redis (ElastiCache, Valkey engine): encrypted at rest with the deployment's key and in
 * transit, in the private subnets; a replica in another zone with automatic failover
 * where the profile asks for high availability.
 */
export class AwsCache extends Construct implements Cache {
  readonly host: string;
  readonly port = 6379;

  constructor(
    scope: Construct,
    id: string,
    deployment: Deployment,
    profile: Profile,
    network: Network,
    key: EncryptionKey,
  ) {
    super(scope, id);
    const name = resourceName(deployment, 'cache', { max: 40 });
    const subnets = new ElasticacheSubnetGroup(this, 'subnets', { name, subnetIds: network.privateSubnetIds });
    const group = new ElasticacheReplicationGroup(this, 'redis', {
      replicationGroupId: name,
      description: `Livora ${deployment.env} cache and rate limits`,
      engine: 'valkey',
      engineVersion: '8.0',
      nodeType: NODE_TYPE[profile.size],
      numCacheClusters: profile.highAvailability ? 2 : 1,
      automaticFailoverEnabled: profile.highAvailability,
      multiAzEnabled: profile.highAvailability,
      atRestEncryptionEnabled: 'true',
      kmsKeyId: key.id,
      transitEncryptionEnabled: true,
      subnetGroupName: subnets.name,
      securityGroupIds: [network.dataSecurityGroupId],
      snapshotRetentionLimit: profile.highAvailability ? 7 : 0,
    });
    this.host = group.primaryEndpointAddress;
  }
}
