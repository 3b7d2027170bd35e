import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Database, EncryptionKey, Network } from '../platform.ts';

const INSTANCE_CLASS = { small: 'db.t4g.medium', medium: 'db.r7g.large', large: 'db.r7g.xlarge' } as const;

/**
 * The operational PostgreSQL: Aurora PostgreSQL, encrypted with the deployment's key, in
 * the private subnets, its master password kept by RDS in Secrets Manager (never in the
 * Terraform). Point-in-time recovery over the profile's backup retention; a reader in
 * another zone where the profile asks for high availability; deletion protection and a
 * final snapshot in prod.
 */
export class AwsDatabase extends Construct implements Database {
  readonly host: string;
  readonly port = 5432;
  readonly credentialsSecretId: string;

  constructor(
    scope: Construct,
    id: string,
    deployment: Deployment,
    profile: Profile,
    network: Network,
    key: EncryptionKey,
  ) {
    super(scope, id);
    const name = resourceName(deployment, 'postgres');
    const subnets = new DbSubnetGroup(this, 'subnets', { name, subnetIds: network.privateSubnetIds });
    const cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: name,
      engine: 'aurora-postgresql',
      engineVersion: '16.6',
      databaseName: 'livora',
      masterUsername: 'livora',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key.id,
      storageEncrypted: true,
      kmsKeyId: key.id,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [network.dataSecurityGroupId],
      backupRetentionPeriod: profile.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: profile.deletionProtection,
      skipFinalSnapshot: !profile.deletionProtection,
      ...(profile.deletionProtection ? { finalSnapshotIdentifier: `${name}-final` } : {}),
      iamDatabaseAuthenticationEnabled: true,
    });
    const instances = profile.highAvailability ? 2 : 1;
    for (let i = 0; i < instances; i++)
      new RdsClusterInstance(this, `instance-${i}`, {
        identifier: `${name}-${i}`,
        clusterIdentifier: cluster.id,
        instanceClass: INSTANCE_CLASS[profile.size],
        engine: cluster.engine,
        engineVersion: cluster.engineVersion,
        publiclyAccessible: false,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key.id,
      });
    this.host = cluster.endpoint;
    // RDS keeps {username, password} as JSON: a container takes the one key (`arn:key::`).
    this.credentialsSecretId = `${cluster.masterUserSecret.get(0).secretArn}:password::`;
  }
}
