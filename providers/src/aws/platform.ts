import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { type Deployment, PROFILES } from '../deployment.ts';
import type { Platform, ServiceSpec } from '../platform.ts';
import { AwsAlertChannel } from './alerts.ts';
import { AwsAuditTrail } from './audit.ts';
import { AwsCache } from './cache.ts';
import { AwsCluster } from './cluster.ts';
import { AwsDatabase } from './database.ts';
import { AwsEncryptionKey } from './keys.ts';
import { AwsLake } from './lake.ts';
import { AwsMonitoring } from './monitoring.ts';
import { AwsNetwork } from './network.ts';
import { configureAws } from './provider.ts';
import { awsSecrets } from './secrets.ts';
import { AwsService } from './service.ts';
import { AwsSignIn } from './sign-in.ts';
import { AwsStaticSite } from './static-site.ts';
import { AwsEventStream } from './stream.ts';
import { AwsWarehouse } from './warehouse.ts';

/** The Platform on AWS: one construct per building block, sized by the environment's profile. */
export function awsPlatform(deployment: Deployment): Platform {
  const profile = PROFILES[deployment.env];
  // The roles share one ECS cluster per stack that runs them.
  const clusters = new Map<Construct, AwsCluster>();
  const clusterIn = (scope: Construct): AwsCluster => {
    const existing = clusters.get(scope);
    if (existing) return existing;
    const cluster = new AwsCluster(scope, 'cluster', deployment);
    clusters.set(scope, cluster);
    return cluster;
  };
  return {
    cloud: 'aws',
    deployment,
    configure: (stack: TerraformStack, name: string) => configureAws(stack, deployment, name),
    encryptionKey: (scope) => new AwsEncryptionKey(scope, 'key', deployment, profile),
    network: (scope) => new AwsNetwork(scope, 'network', deployment, profile),
    secrets: (scope, key, names) => awsSecrets(scope, deployment, profile, key, names),
    auditTrail: (scope, key) => {
      new AwsAuditTrail(scope, 'audit', deployment, profile, key);
    },
    alertChannel: (scope, key) => new AwsAlertChannel(scope, 'alerts', deployment, key),
    database: (scope, network, key) => new AwsDatabase(scope, 'database', deployment, profile, network, key),
    cache: (scope, network, key) => new AwsCache(scope, 'cache', deployment, profile, network, key),
    eventStream: (scope, key) => new AwsEventStream(scope, 'stream', deployment, key),
    lake: (scope, key) => new AwsLake(scope, 'lake', deployment, profile, key),
    warehouse: (scope, network, key, lake) =>
      new AwsWarehouse(scope, 'warehouse', deployment, profile, network, key, lake),
    service: (scope, spec: ServiceSpec) =>
      new AwsService(scope, `service-${spec.role}`, deployment, profile, clusterIn(scope), spec),
    staticSite: (scope, key) => new AwsStaticSite(scope, 'console', deployment, profile, key),
    signIn: (scope, console) => new AwsSignIn(scope, 'sign-in', deployment, profile, console),
    monitoring: (scope, watch) => {
      new AwsMonitoring(scope, 'monitoring', deployment, watch);
    },
  };
}
