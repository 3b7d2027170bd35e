import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Cloud, Deployment } from './deployment.ts';

/** A customer-managed encryption key every store of the deployment is encrypted with. */
export interface EncryptionKey {
  /** The key's ARN, resource name or id, as the cloud's stores take it. */
  readonly id: string;
}

/** Private subnets across the profile's zones, with egress through NAT. */
export interface Network {
  readonly id: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  /** Where the services run: reaches the data stores, reached only by the load balancer. */
  readonly servicesSecurityGroupId: string;
  /** Around the databases and the cache: open to the services only. */
  readonly dataSecurityGroupId: string;
}

/** A secret whose value ops set out of band (never in the Terraform): its reference for the services. */
export interface SecretRef {
  readonly name: string;
  readonly id: string;
}

export interface AlertChannel {
  /** Where alarms notify (an SNS topic, notification channels, an action group): none while none is configured. */
  readonly ids: string[];
}

export interface Database {
  readonly host: string;
  readonly port: number;
  /** The secret holding its credentials (managed by the cloud). */
  readonly credentialsSecretId: string;
}

export interface Cache {
  readonly host: string;
  readonly port: number;
  /** The authority its TLS certificate is signed by, where clients do not trust it already (PEM). */
  readonly ca?: string;
  /** Where clients sign in with a key: the secret holding the whole URL (REDIS_URL), key included. */
  readonly urlSecret?: SecretRef;
}

export interface EventStreamResource {
  readonly name: string;
  /** Where the engine reaches it with a connection string (Event Hubs): the secret holding it. */
  readonly connectionSecret?: SecretRef;
}

export interface Lake {
  readonly bucket: string;
  /** The storage account it is in (Azure), which a warehouse's COPY reads from. */
  readonly account?: string;
  /** Where the engine reaches it with a connection string (Azure Storage): the secret holding it. */
  readonly connectionSecret?: SecretRef;
}

export interface WarehouseResource {
  /** What the engine's settings name (workgroup, dataset, SQL pool). */
  readonly name: string;
  /**
   * The one identity every role reaches it as, where it has one (Redshift: the
   * namespace's admin secret, so every role is the same database user and owns its tables).
   */
  readonly credentialsSecretId?: string;
  /** Where the engine reaches it, where that is not its name (Synapse: the workspace's SQL endpoint). */
  readonly endpoint?: string;
}

export type Role = 'api' | 'pipeline' | 'worker';

export interface ServiceSpec {
  readonly role: Role;
  readonly network: Network;
  readonly key: EncryptionKey;
  readonly image: string;
  /** Plain settings (LIVORA_…): never secrets. */
  readonly environment: Record<string, string>;
  /** Settings read from secrets at start: variable name → secret. */
  readonly secrets: Record<string, SecretRef>;
  /** What the role reads and writes: its identity is granted these, nothing more. */
  readonly access: {
    readonly stream?: EventStreamResource;
    readonly lake?: Lake;
    readonly warehouse?: WarehouseResource;
  };
  /** Reached from the internet through a load balancer (the API). */
  readonly public: boolean;
}

export interface Service {
  readonly name: string;
  /** The load balancer's address (public services), for the CDN and the monitoring. */
  readonly url?: string;
  /** What the monitoring watches: the load balancer and target group's ids (AWS), or the service's. */
  readonly metricsId: string;
  /** Where its logs go, for metrics drawn from them: the log group (AWS) or the service's name. */
  readonly logs: string;
}

export interface StaticSite {
  readonly url: string;
  /** The host name the console is served from (its sign-in redirects back there). */
  readonly domain: string;
}

/** Console sign-in for CRM users: an OIDC issuer and its client for the console. */
export interface SignIn {
  readonly issuer: string;
  readonly clientId: string;
  /** The token claims naming a user's Livora tenant and role (LIVORA_OIDC_TENANT_CLAIM, _ROLE_CLAIM). */
  readonly claims: { readonly tenant: string; readonly role: string };
}

/** The engine's roles (runtime/src/auth/roles.ts; a stacks test keeps them the same): sign-in groups and app roles. */
export const LIVORA_ROLES = ['admin', 'manager', 'sales', 'marketer', 'analyst', 'viewer'] as const;

/** What the monitoring watches. */
export interface Watched {
  readonly alerts: AlertChannel;
  readonly api: Service;
  readonly pipeline: Service;
  readonly stream: EventStreamResource;
}

/**
 * One cloud's building blocks. Stacks are written once against this; each cloud's
 * implementation makes the resources, encrypted with the deployment's key, private
 * unless a block is public by nature (the API's load balancer, the CDN), and tagged.
 */
export interface Platform {
  readonly cloud: Cloud;
  readonly deployment: Deployment;
  /** The cloud's provider in `stack` (assuming the client's role when asked) and its tagging. */
  configure(stack: TerraformStack, stackName: string): void;
  encryptionKey(scope: Construct): EncryptionKey;
  network(scope: Construct): Network;
  secrets(scope: Construct, key: EncryptionKey, names: readonly string[]): Record<string, SecretRef>;
  auditTrail(scope: Construct, key: EncryptionKey): void;
  alertChannel(scope: Construct, key: EncryptionKey): AlertChannel;
  database(scope: Construct, network: Network, key: EncryptionKey): Database;
  cache(scope: Construct, network: Network, key: EncryptionKey): Cache;
  eventStream(scope: Construct, key: EncryptionKey): EventStreamResource;
  lake(scope: Construct, key: EncryptionKey): Lake;
  warehouse(scope: Construct, network: Network, key: EncryptionKey, lake: Lake): WarehouseResource;
  service(scope: Construct, spec: ServiceSpec): Service;
  staticSite(scope: Construct, key: EncryptionKey): StaticSite;
  signIn(scope: Construct, console: StaticSite): SignIn;
  /** Dashboards and alarms: API errors and latency, stream lag, dead letters (counted in the pipeline's logs). */
  monitoring(scope: Construct, watch: Watched): void;
}
