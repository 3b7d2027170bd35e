import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { type Deployment, PROFILES } from '../deployment.ts';
import type { Platform } from '../platform.ts';
import { AzureAlertChannel } from './alerts.ts';
import { AzureAuditTrail } from './audit.ts';
import { AzureCache } from './cache.ts';
import { AzureDatabase } from './database.ts';
import { AzureEncryptionKey } from './keys.ts';
import { AzureLake } from './lake.ts';
import { AzureMonitoring } from './monitoring.ts';
import { AzureNetwork } from './network.ts';
import { configureAzure } from './provider.ts';
import { type AzureGroup, type AzurePlace, azureResourceGroup } from './resource-group.ts';
import { azureSecrets } from './secrets.ts';
import { AzureService, AzureServices } from './service.ts';
import { AzureSignIn } from './sign-in.ts';
import { AzureStaticSite } from './static-site.ts';
import { AzureEventStream } from './stream.ts';
import { AzureWarehouse } from './warehouse.ts';

/**
 * The Platform on Azure. Everything lives in one resource group, made with the key (the
 * core stack) and named in the others; the audit trail's Log Analytics workspace takes
 * the containers' logs; one Container Apps environment runs every role.
 */
export function azurePlatform(deployment: Deployment): Platform {
  const profile = PROFILES[deployment.env];
  const made: {
    group?: AzureGroup;
    network?: AzureNetwork;
    workspaceId?: string;
    environment?: AzureServices;
  } = {};
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the Azure platform makes ${what} first (the core stack)`);
    return value;
  };
  const group = () => need(made.group, 'the resource group');
  const place = (): AzurePlace => ({ deployment, profile, group: group() });
  const environmentIn = (scope: Construct) => {
    made.environment ??= new AzureServices(
      scope,
      'services',
      place(),
      need(made.network, 'the network'),
      need(made.workspaceId, 'the audit workspace'),
    );
    return made.environment;
  };
  return {
    cloud: 'azure',
    deployment,
    configure: (stack: TerraformStack, name: string) => configureAzure(stack, deployment, name),
    // The vault's firewall lets the services' subnet in: the network comes first, with the group.
    encryptionKey: (scope) => {
      made.group = azureResourceGroup(scope, deployment);
      made.network = new AzureNetwork(scope, 'network', place());
      return new AzureEncryptionKey(scope, 'key', place(), made.network.servicesSubnetId);
    },
    network: () => need(made.network, 'the network'),
    secrets: (scope, key, names) => azureSecrets(scope, key as AzureEncryptionKey, names),
    auditTrail: (scope) => {
      made.workspaceId = new AzureAuditTrail(scope, 'audit', place()).workspaceId;
    },
    alertChannel: (scope) => new AzureAlertChannel(scope, 'alerts', deployment, group()),
    database: (scope, network, key) =>
      new AzureDatabase(scope, 'database', place(), network as AzureNetwork, key as AzureEncryptionKey),
    cache: (scope, network, key) =>
      new AzureCache(scope, 'cache', place(), network as AzureNetwork, key as AzureEncryptionKey),
    eventStream: (scope, key) =>
      new AzureEventStream(scope, 'stream', place(), key as AzureEncryptionKey, [
        need(made.network, 'the network').servicesSubnetId,
      ]),
    lake: (scope, key) =>
      new AzureLake(scope, 'lake', place(), key as AzureEncryptionKey, [
        need(made.network, 'the network').servicesSubnetId,
      ]),
    warehouse: (scope, network, key, lake) =>
      new AzureWarehouse(
        scope,
        'warehouse',
        place(),
        network as AzureNetwork,
        key as AzureEncryptionKey,
        lake as AzureLake,
      ),
    service: (scope, spec) => new AzureService(scope, `service-${spec.role}`, place(), environmentIn(scope).id, spec),
    staticSite: (scope, key) => new AzureStaticSite(scope, 'console', place(), key as AzureEncryptionKey),
    signIn: (scope, console) => new AzureSignIn(scope, 'sign-in', deployment, console),
    monitoring: (scope, watch) => {
      new AzureMonitoring(scope, 'monitoring', deployment, group(), {
        ...watch,
        workspaceId: need(made.workspaceId, 'the audit workspace'),
      });
    },
  };
}
