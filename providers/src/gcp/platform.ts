import type { TerraformStack } from 'cdktf';
import { type Deployment, PROFILES } from '../deployment.ts';
import type { Platform } from '../platform.ts';
import { GcpAlertChannel } from './alerts.ts';
import { GcpAuditTrail } from './audit.ts';
import { GcpCache } from './cache.ts';
import { GcpDatabase } from './database.ts';
import { GcpEncryptionKey } from './keys.ts';
import { GcpLake } from './lake.ts';
import { GcpMonitoring } from './monitoring.ts';
import { GcpNetwork } from './network.ts';
import { configureGcp } from './provider.ts';
import { gcpSecrets } from './secrets.ts';
import { GcpService } from './service.ts';
import { GcpSignIn } from './sign-in.ts';
import { GcpStaticSite } from './static-site.ts';
import { GcpEventStream } from './stream.ts';
import { GcpWarehouse } from './warehouse.ts';

/** The Platform on Google Cloud: one construct per building block, sized by the environment's profile. */
export function gcpPlatform(deployment: Deployment): Platform {
  const profile = PROFILES[deployment.env];
  return {
    cloud: 'gcp',
    deployment,
    configure: (stack: TerraformStack, name: string) => configureGcp(stack, deployment, name),
    encryptionKey: (scope) => new GcpEncryptionKey(scope, 'key', deployment, profile),
    network: (scope) => new GcpNetwork(scope, 'network', deployment),
    secrets: (scope, key, names) => gcpSecrets(scope, deployment, profile, key, names),
    auditTrail: (scope, key) => {
      new GcpAuditTrail(scope, 'audit', deployment, profile, key);
    },
    alertChannel: (scope, key) => new GcpAlertChannel(scope, 'alerts', deployment, key),
    database: (scope, network, key) =>
      new GcpDatabase(scope, 'database', deployment, profile, network as GcpNetwork, key),
    cache: (scope, network, key) => new GcpCache(scope, 'cache', deployment, profile, network as GcpNetwork, key),
    eventStream: (scope, key) => new GcpEventStream(scope, 'stream', deployment, key),
    lake: (scope, key) => new GcpLake(scope, 'lake', deployment, profile, key),
    warehouse: (scope, _network, key) => new GcpWarehouse(scope, 'warehouse', deployment, profile, key),
    service: (scope, spec) => new GcpService(scope, `service-${spec.role}`, deployment, profile, spec),
    staticSite: (scope, key) => new GcpStaticSite(scope, 'console', deployment, profile, key),
    signIn: (scope, console) => new GcpSignIn(scope, 'sign-in', deployment, console),
    monitoring: (scope, watch) => {
      new GcpMonitoring(scope, 'monitoring', deployment, watch);
    },
  };
}
