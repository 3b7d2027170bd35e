import {
  type Deployment,
  gcpProject,
  type Lake,
  type Platform,
  PUBSUB_PARTITIONS,
  type SecretRef,
  type Service,
  type ServiceSpec,
  type SignIn,
  type WarehouseResource,
} from '@livora/providers';
import { type App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';

/** The stacks of one deployment, by name; Pattern B has no crm or frontend. */
export type StackName = 'core' | 'data' | 'crm' | 'analytics' | 'campaigns' | 'frontend';

/** Secrets ops fill in after the first deploy (never in the Terraform). */
const SECRETS = ['temporal-api-key', 'jwt-secret'] as const;

/**
 * Livora's stacks for one deployment, written once against the cloud's Platform:
 * - core: encryption key, network, secrets, audit trail, alert channel, PostgreSQL, Redis
 *   (every role needs these);
 * - data: the event stream, the lake and the warehouse;
 * - analytics: the API (ingestion, analytics, CRM and campaign APIs) and the pipeline,
 *   with the dashboards and alarms;
 * - campaigns: the Temporal worker (journeys, warehouse loads), reaching Temporal Cloud or
 *   a self-hosted cluster through the address and key held as settings and secrets;
 * - frontend (Pattern A): the console on a CDN;
 * - crm (Pattern A): the console users' sign-in (OIDC), whose tokens the API accepts.
 * Stacks are wired by references, which CDKTF turns into outputs and remote state.
 */
export function buildLivora(app: App, deployment: Deployment, platform: Platform): Map<StackName, TerraformStack> {
  const stacks = new Map<StackName, TerraformStack>();
  const stack = (name: StackName) => {
    const created = new TerraformStack(app, `livora-${deployment.client}-${deployment.env}-${name}`);
    platform.configure(created, name);
    stacks.set(name, created);
    return created;
  };

  const core = stack('core');
  const key = platform.encryptionKey(core);
  const network = platform.network(core);
  const secrets = platform.secrets(core, key, SECRETS);
  platform.auditTrail(core, key);
  const alerts = platform.alertChannel(core, key);
  const database = platform.database(core, network, key);
  const cache = platform.cache(core, network, key);

  const data = stack('data');
  const stream = platform.eventStream(data, key);
  const lake = platform.lake(data, key);
  const warehouse = platform.warehouse(data, network, key, lake);

  // Pattern A: the console and its users' sign-in, before the API, which accepts that issuer's tokens.
  let signIn: SignIn | undefined;
  if (deployment.pattern === 'A') {
    const frontend = stack('frontend');
    const site = platform.staticSite(frontend, key);
    new TerraformOutput(frontend, 'console-url', { value: site.url });
    const crm = stack('crm');
    signIn = platform.signIn(crm, site);
    new TerraformOutput(crm, 'oidc-issuer', { value: signIn.issuer });
    new TerraformOutput(crm, 'oidc-client-id', { value: signIn.clientId });
  }

  const analytics = stack('analytics');
  const campaigns = stack('campaigns');
  const imageOf = (scope: TerraformStack) => {
    const variable = new TerraformVariable(scope, 'image', {
      type: 'string',
      description: 'The Livora runtime image (registry/livora:tag); every role runs it',
    });
    variable.overrideLogicalId('container_image');
    return variable.stringValue;
  };
  const image = imageOf(analytics);
  const temporal = new TerraformVariable(campaigns, 'temporal', {
    type: 'string',
    description: 'Temporal frontend address (Temporal Cloud: <namespace>.<account>.tmprl.cloud:7233)',
  });
  temporal.overrideLogicalId('temporal_address');
  const namespace = new TerraformVariable(campaigns, 'temporal-namespace', {
    type: 'string',
    description: 'Temporal namespace',
  });
  namespace.overrideLogicalId('temporal_namespace');
  const temporalTls = new TerraformVariable(campaigns, 'temporal-tls', {
    type: 'bool',
    default: true,
    description: 'TLS to Temporal (Temporal Cloud: true; a self-hosted cluster without TLS: false)',
  });
  temporalTls.overrideLogicalId('temporal_tls');

  const settings = (): Record<string, string> => ({
    LIVORA_HOST: '0.0.0.0',
    // TLS as libpq's `require` means it (encrypted; the server's certificate not checked against a CA).
    DATABASE_URL: `postgres://livora@${database.host}:${database.port}/livora?sslmode=require&uselibpqcompat=true`,
    ...(cache.urlSecret ? {} : { REDIS_URL: `rediss://${cache.host}:${cache.port}` }),
    ...(cache.ca ? { LIVORA_REDIS_CA: cache.ca } : {}),
    ...platformSettings(platform, stream.name, lake, warehouse),
  });
  const runtimeSecrets = (extra: Record<string, SecretRef> = {}): Record<string, SecretRef> => ({
    LIVORA_DATABASE_PASSWORD: { name: 'database-password', id: database.credentialsSecretId },
    LIVORA_JWT_SECRET: secrets['jwt-secret'] as SecretRef,
    ...(stream.connectionSecret ? { LIVORA_EVENT_HUBS_CONNECTION_STRING: stream.connectionSecret } : {}),
    ...(lake.connectionSecret ? { AZURE_STORAGE_CONNECTION_STRING: lake.connectionSecret } : {}),
    ...(cache.urlSecret ? { REDIS_URL: cache.urlSecret } : {}),
    ...extra,
  });
  /** A role of the runtime image, with the settings and secrets every role has (and `extra`). */
  const role = (
    scope: TerraformStack,
    spec: Pick<ServiceSpec, 'role' | 'access' | 'public'> & {
      environment?: Record<string, string>;
      secrets?: Record<string, SecretRef>;
    },
  ): Service =>
    platform.service(scope, {
      ...spec,
      network,
      key,
      image: scope === analytics ? image : imageOf(scope),
      environment: { ...settings(), ...spec.environment },
      secrets: runtimeSecrets(spec.secrets),
    });
  const api = role(analytics, {
    role: 'api',
    access: { stream, lake, warehouse },
    public: true,
    environment: signIn
      ? {
          LIVORA_OIDC_ISSUER: signIn.issuer,
          LIVORA_OIDC_AUDIENCE: signIn.clientId,
          LIVORA_OIDC_TENANT_CLAIM: signIn.claims.tenant,
          LIVORA_OIDC_ROLE_CLAIM: signIn.claims.role,
        }
      : {},
  });
  const pipeline = role(analytics, { role: 'pipeline', access: { stream, lake }, public: false });
  platform.monitoring(analytics, { alerts, api, pipeline, stream });
  role(campaigns, {
    role: 'worker',
    access: { lake, warehouse },
    public: false,
    environment: {
      TEMPORAL_ADDRESS: temporal.stringValue,
      TEMPORAL_NAMESPACE: namespace.stringValue,
      TEMPORAL_TLS: temporalTls.stringValue,
    },
    secrets: { TEMPORAL_API_KEY: secrets['temporal-api-key'] as SecretRef },
  });
  new TerraformOutput(analytics, 'api-url', { value: api.url ?? '' });
  return stacks;
}

/** The engine's settings that pick the cloud's adapters (see the runtime's configuration). */
function platformSettings(
  platform: Platform,
  stream: string,
  lake: Lake,
  warehouse: WarehouseResource,
): Record<string, string> {
  const { region } = platform.deployment;
  const bucket = lake.bucket;
  switch (platform.cloud) {
    case 'aws':
      return {
        AWS_REGION: region,
        LIVORA_STREAM: 'aws',
        LIVORA_KINESIS_STREAM: stream,
        LIVORA_LAKE_STORE: 'aws',
        LIVORA_LAKE_BUCKET: bucket,
        LIVORA_WAREHOUSE: 'redshift',
        LIVORA_REDSHIFT_REGION: region,
        LIVORA_REDSHIFT_WORKGROUP: warehouse.name,
        LIVORA_REDSHIFT_DATABASE: 'livora',
        ...(warehouse.credentialsSecretId ? { LIVORA_REDSHIFT_SECRET_ARN: warehouse.credentialsSecretId } : {}),
      };
    case 'gcp':
      return {
        GOOGLE_CLOUD_PROJECT: gcpProject(platform.deployment),
        LIVORA_WAREHOUSE: 'bigquery',
        LIVORA_BIGQUERY_PROJECT: gcpProject(platform.deployment),
        LIVORA_BIGQUERY_DATASET: warehouse.name,
        LIVORA_BIGQUERY_LOCATION: region,
        LIVORA_STREAM: 'gcp',
        LIVORA_PUBSUB_TOPIC: stream,
        LIVORA_STREAM_PARTITIONS: String(PUBSUB_PARTITIONS),
        LIVORA_LAKE_STORE: 'gcp',
        LIVORA_LAKE_BUCKET: bucket,
      };
    case 'azure':
      return {
        LIVORA_STREAM: 'azure',
        LIVORA_EVENT_HUB: stream,
        LIVORA_LAKE_STORE: 'azure',
        LIVORA_LAKE_BUCKET: bucket,
        LIVORA_WAREHOUSE: 'synapse',
        LIVORA_SYNAPSE_SERVER: warehouse.endpoint ?? '',
        LIVORA_SYNAPSE_DATABASE: warehouse.name,
        LIVORA_SYNAPSE_LAKE_ACCOUNT: lake.account ?? '',
      };
  }
}
