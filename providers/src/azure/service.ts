import { ContainerApp } from '@cdktf/provider-azurerm/lib/container-app/index.js';
import { ContainerAppEnvironment } from '@cdktf/provider-azurerm/lib/container-app-environment/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { Service, ServiceSpec } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzureLake } from './lake.ts';
import type { AzureNetwork } from './network.ts';
import type { AzurePlace } from './resource-group.ts';
import type { AzureEventStream } from './stream.ts';

/** Concurrent requests per API replica before Container Apps adds one. */
const CONCURRENT_REQUESTS = 100;
/** CPU use (percent) of the pipeline's and the worker's replicas before one is added. */
const CPU_TARGET = 70;

/** The Container Apps environment of a stack: in the services' subnet, logs to the audit workspace. */
export class AzureServices extends Construct {
  readonly id: string;

  constructor(scope: Construct, id: string, at: AzurePlace, network: AzureNetwork, workspaceId: string) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const environment = new ContainerAppEnvironment(this, 'environment', {
      name: resourceName(deployment, 'apps', { max: 60 }),
      location: group.location,
      resourceGroupName: group.name,
      infrastructureSubnetId: network.servicesSubnetId,
      logAnalyticsWorkspaceId: workspaceId,
      zoneRedundancyEnabled: profile.highAvailability,
      workloadProfile: [{ name: 'Consumption', workloadProfileType: 'Consumption' }],
    });
    this.id = environment.id;
  }
}

/**
 * One role of the runtime image on Azure Container Apps: its own managed identity granted
 * only what the role touches (the vault's secrets, the event hub, the lake), settings as
 * environment, secrets referenced from Key Vault, replicas between the profile's bounds.
 * The API takes HTTPS from the internet (it authenticates requests itself); the others
 * take no traffic.
 */
export class AzureService extends Construct implements Service {
  readonly name: string;
  readonly url?: string;
  readonly metricsId: string;
  readonly logs: string;

  constructor(scope: Construct, id: string, at: AzurePlace, environmentId: string, spec: ServiceSpec) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const key = spec.key as AzureEncryptionKey;
    const identity = new UserAssignedIdentity(this, 'identity', {
      name: resourceName(deployment, `${spec.role}-identity`, { max: 128 }),
      location: group.location,
      resourceGroupName: group.name,
    });
    const grant = (name: string, scopeId: string, role: string) =>
      new RoleAssignment(this, name, { scope: scopeId, roleDefinitionName: role, principalId: identity.principalId });
    grant('secrets', key.vaultId, 'Key Vault Secrets User');
    const stream = spec.access.stream as AzureEventStream | undefined;
    if (stream)
      grant(
        'events',
        stream.namespaceId,
        spec.role === 'api' ? 'Azure Event Hubs Data Sender' : 'Azure Event Hubs Data Receiver',
      );
    const lake = spec.access.lake as AzureLake | undefined;
    if (lake) grant('lake', lake.accountId, 'Storage Blob Data Contributor');
    const secretName = (n: string) => n.toLowerCase().replaceAll('_', '-');
    const app = new ContainerApp(this, 'app', {
      name: resourceName(deployment, spec.role, { max: 32 }),
      resourceGroupName: group.name,
      containerAppEnvironmentId: environmentId,
      revisionMode: 'Single',
      workloadProfileName: 'Consumption',
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      secret: Object.entries(spec.secrets).map(([n, secret]) => ({
        name: secretName(n),
        keyVaultSecretId: secret.id,
        identity: identity.id,
      })),
      template: {
        minReplicas: profile.services.min,
        maxReplicas: profile.services.max,
        // The API scales on concurrent requests; the pipeline and the worker take none, so on CPU.
        ...(spec.public
          ? { httpScaleRule: [{ name: 'requests', concurrentRequests: String(CONCURRENT_REQUESTS) }] }
          : {
              customScaleRule: [
                { name: 'cpu', customRuleType: 'cpu', metadata: { type: 'Utilization', value: String(CPU_TARGET) } },
              ],
            }),
        container: [
          {
            name: spec.role,
            image: spec.image,
            args: [spec.role],
            cpu: profile.services.cpu,
            memory: `${profile.services.memory / 1024}Gi`,
            env: [
              ...Object.entries(spec.environment).map(([n, value]) => ({ name: n, value })),
              // Which identity Azure's SDKs (and the Synapse sign-in) use: the role's own.
              { name: 'AZURE_CLIENT_ID', value: identity.clientId },
              ...Object.keys(spec.secrets).map((n) => ({ name: n, secretName: secretName(n) })),
            ],
            ...(spec.public
              ? {
                  livenessProbe: [{ transport: 'HTTP', port: 8080, path: '/healthz' }],
                  readinessProbe: [{ transport: 'HTTP', port: 8080, path: '/readyz' }],
                }
              : {}),
          },
        ],
      },
      ...(spec.public
        ? {
            ingress: {
              externalEnabled: true,
              targetPort: 8080,
              transport: 'auto',
              allowInsecureConnections: false,
              trafficWeight: [{ latestRevision: true, percentage: 100 }],
            },
          }
        : {}),
    });
    this.name = app.name;
    this.metricsId = app.id;
    this.logs = app.name;
    if (spec.public) this.url = `https://${app.ingress.fqdn}`;
  }
}
