import { type Static, Type } from 'typebox';

/**
 * The engine's whole configuration, read from the environment. Every setting names its
 * variable (`env`), so the loader, its error messages and `livora config` share one source;
 * `secret: true` settings are never printed.
 */

const Port = (env: string, value: number, description: string, minimum = 1) =>
  Type.Integer({ env, default: value, minimum, maximum: 65535, description });

export const ConfigSchema = Type.Object(
  {
    server: Type.Object(
      {
        host: Type.String({ env: 'LIVORA_HOST', default: '127.0.0.1', description: 'Address the HTTP API binds to.' }),
        port: Port('LIVORA_PORT', 8080, 'Port of the HTTP API (0: any free port).', 0),
        shutdownTimeoutMs: Type.Integer({
          env: 'LIVORA_SHUTDOWN_TIMEOUT_MS',
          default: 15_000,
          minimum: 0,
          description: 'How long a graceful shutdown waits for in-flight requests.',
        }),
      },
      { additionalProperties: false },
    ),
    data: Type.Object(
      {
        dir: Type.String({
          env: 'LIVORA_DATA_DIR',
          default: '.livora',
          minLength: 1,
          description: 'Where the local engine keeps its data (embedded PostgreSQL, Temporal, secrets).',
        }),
      },
      { additionalProperties: false },
    ),
    database: Type.Object(
      {
        url: Type.Optional(
          Type.String({
            env: 'DATABASE_URL',
            secret: true,
            pattern: '^postgres(ql)?://',
            description: 'An external PostgreSQL (Aurora, Cloud SQL, Azure Database); embedded PostgreSQL when unset.',
          }),
        ),
        password: Type.Optional(
          Type.String({
            env: 'LIVORA_DATABASE_PASSWORD',
            secret: true,
            minLength: 1,
            description:
              'The password for DATABASE_URL, when the URL leaves it out (a container platform fills it from a secret).',
          }),
        ),
        embeddedPort: Port('LIVORA_PG_PORT', 5488, 'Port of the embedded PostgreSQL (127.0.0.1 only).'),
        poolSize: Type.Integer({
          env: 'LIVORA_PG_POOL_SIZE',
          default: 10,
          minimum: 2,
          maximum: 200,
          description:
            'Connections per process, in each of its two pools (the engine’s, and the CRM’s tenant-scoped one).',
        }),
      },
      { additionalProperties: false },
    ),
    stream: Type.Object(
      {
        kind: Type.Enum(['local', 'aws', 'gcp', 'azure'], {
          env: 'LIVORA_STREAM',
          default: 'local',
          description:
            'The event log: `local` (a log in PostgreSQL), `aws` (Kinesis), `gcp` (Pub/Sub) or `azure` (Event Hubs).',
        }),
        partitions: Type.Integer({
          env: 'LIVORA_STREAM_PARTITIONS',
          default: 8,
          minimum: 1,
          maximum: 1024,
          description: 'Partitions of the local log, and the logical partitions of Pub/Sub (fixed for a topic’s life).',
        }),
        retentionHours: Type.Integer({
          env: 'LIVORA_STREAM_RETENTION_HOURS',
          default: 168,
          minimum: 1,
          description: 'How long the local log keeps events (Kinesis keeps its own retention).',
        }),
        kinesisStream: Type.String({
          env: 'LIVORA_KINESIS_STREAM',
          default: 'livora-events',
          description: 'Kinesis stream name.',
        }),
        kinesisEndpoint: Type.Optional(
          Type.String({
            env: 'LIVORA_KINESIS_ENDPOINT',
            description: 'Kinesis endpoint other than AWS (an emulator).',
          }),
        ),
        awsRegion: Type.String({ env: 'AWS_REGION', default: 'us-east-1', description: 'AWS region.' }),
        pubsubTopic: Type.String({
          env: 'LIVORA_PUBSUB_TOPIC',
          default: 'livora-events',
          description: 'Pub/Sub topic; its per-partition subscriptions are made by the stacks (or `livora` tests).',
        }),
        gcpProject: Type.Optional(
          Type.String({ env: 'GOOGLE_CLOUD_PROJECT', minLength: 1, description: 'Google Cloud project of the topic.' }),
        ),
        pubsubEmulatorHost: Type.Optional(
          Type.String({
            env: 'PUBSUB_EMULATOR_HOST',
            minLength: 1,
            description: '`host:port` of a Pub/Sub emulator instead of Google Cloud.',
          }),
        ),
        eventHubName: Type.String({
          env: 'LIVORA_EVENT_HUB',
          default: 'livora-events',
          description: 'Event Hubs hub name.',
        }),
        eventHubsConnectionString: Type.Optional(
          Type.String({
            env: 'LIVORA_EVENT_HUBS_CONNECTION_STRING',
            secret: true,
            pattern: '^Endpoint=sb://',
            description: 'Connection string of the Event Hubs namespace (`Endpoint=sb://…`).',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    auth: Type.Object(
      {
        jwtSecret: Type.Optional(
          Type.String({
            env: 'LIVORA_JWT_SECRET',
            secret: true,
            minLength: 32,
            description: 'HS256 secret of local tokens; generated into the data directory when unset.',
          }),
        ),
        accessTokenSeconds: Type.Integer({
          env: 'LIVORA_ACCESS_TOKEN_SECONDS',
          default: 900,
          minimum: 60,
          maximum: 86_400,
          description: 'Lifetime of the access tokens a login gives.',
        }),
        refreshTokenDays: Type.Integer({
          env: 'LIVORA_REFRESH_TOKEN_DAYS',
          default: 30,
          minimum: 1,
          maximum: 365,
          description: 'Lifetime of a login’s refresh tokens (each refresh gives a new one).',
        }),
        oidcIssuer: Type.Optional(
          Type.String({
            env: 'LIVORA_OIDC_ISSUER',
            pattern: '^https?://',
            description: 'An OIDC issuer whose RS256 tokens are accepted (Cognito, Google, Entra ID…).',
          }),
        ),
        oidcAudience: Type.Optional(
          Type.String({ env: 'LIVORA_OIDC_AUDIENCE', description: 'The audience OIDC tokens must carry.' }),
        ),
        oidcTenantClaim: Type.String({
          env: 'LIVORA_OIDC_TENANT_CLAIM',
          default: 'livora_tenant',
          description: 'The OIDC claim holding the tenant id.',
        }),
        oidcRoleClaim: Type.String({
          env: 'LIVORA_OIDC_ROLE_CLAIM',
          default: 'livora_role',
          description: 'The OIDC claim holding the role, or groups that map to one (LIVORA_OIDC_ROLE_MAP).',
        }),
        oidcRoleMap: Type.Optional(
          Type.String({
            env: 'LIVORA_OIDC_ROLE_MAP',
            pattern:
              '^[^=,]+=(admin|manager|sales|marketer|analyst|viewer)(,[^=,]+=(admin|manager|sales|marketer|analyst|viewer))*$',
            description:
              'Values of the role claim (e.g. Cognito groups, Entra ID app roles) and the role each gives: `livora-admins=admin,sales-team=sales`. Role names themselves always count.',
          }),
        ),
        oidcClientId: Type.Optional(
          Type.String({
            env: 'LIVORA_OIDC_CLIENT_ID',
            description:
              'Livora’s client id at the issuer: with LIVORA_OIDC_REDIRECT_URI, turns on console login by authorization code + PKCE.',
          }),
        ),
        oidcClientSecret: Type.Optional(
          Type.String({
            env: 'LIVORA_OIDC_CLIENT_SECRET',
            secret: true,
            description: 'The client’s secret, for issuers that give one (a public client uses PKCE alone).',
          }),
        ),
        oidcRedirectUri: Type.Optional(
          Type.String({
            env: 'LIVORA_OIDC_REDIRECT_URI',
            pattern: '^https?://',
            description:
              'This API’s /v1/auth/oidc/callback as the issuer knows it (e.g. https://livora.example.com/v1/auth/oidc/callback).',
          }),
        ),
        oidcScopes: Type.String({
          env: 'LIVORA_OIDC_SCOPES',
          default: 'openid email profile',
          description: 'Scopes the console login asks for.',
        }),
      },
      { additionalProperties: false },
    ),
    rateLimit: Type.Object(
      {
        keyEventsPerSecond: Type.Integer({
          env: 'LIVORA_RATE_KEY_EVENTS_PER_SECOND',
          default: 20_000,
          minimum: 1,
          description: 'Default sustained events/s per write key (a key may set its own).',
        }),
        keyBurst: Type.Integer({
          env: 'LIVORA_RATE_KEY_BURST',
          default: 40_000,
          minimum: 100,
          description: 'Default burst per write key, in events (at least one full batch).',
        }),
        tenantEventsPerSecond: Type.Integer({
          env: 'LIVORA_RATE_TENANT_EVENTS_PER_SECOND',
          default: 50_000,
          minimum: 1,
          description: 'Sustained events/s per tenant, all keys together.',
        }),
        tenantBurst: Type.Integer({
          env: 'LIVORA_RATE_TENANT_BURST',
          default: 100_000,
          minimum: 100,
          description: 'Burst per tenant, in events.',
        }),
        redisCa: Type.Optional(
          Type.String({
            env: 'LIVORA_REDIS_CA',
            minLength: 1,
            description:
              'PEM of the authority that signed Redis’s TLS certificate, when not a public one (Memorystore’s server CA).',
          }),
        ),
        redisUrl: Type.Optional(
          Type.String({
            env: 'REDIS_URL',
            secret: true,
            pattern: '^rediss?://',
            description: 'Redis shared by all API processes (rate limits, analytics cache); in-process when unset.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    temporal: Type.Object(
      {
        mode: Type.Enum(['auto', 'off'], {
          env: 'LIVORA_TEMPORAL',
          default: 'auto',
          description: '`off` runs without Temporal (ingestion only).',
        }),
        address: Type.Optional(
          Type.String({
            env: 'TEMPORAL_ADDRESS',
            description: 'A Temporal cluster (host:port); a dev server is started when unset.',
          }),
        ),
        namespace: Type.String({ env: 'TEMPORAL_NAMESPACE', default: 'default', description: 'Temporal namespace.' }),
        apiKey: Type.Optional(
          Type.String({
            env: 'TEMPORAL_API_KEY',
            secret: true,
            minLength: 1,
            description: 'API key for Temporal Cloud (implies TLS).',
          }),
        ),
        tls: Type.Boolean({
          env: 'TEMPORAL_TLS',
          default: false,
          description: 'Connect to TEMPORAL_ADDRESS over TLS.',
        }),
        cli: Type.Optional(
          Type.String({ env: 'LIVORA_TEMPORAL_CLI', description: 'Path of the `temporal` CLI (else found on PATH).' }),
        ),
        devServerPort: Port('LIVORA_TEMPORAL_PORT', 7233, 'Port of the Temporal dev server started by `livora start`.'),
        devServerUiPort: Port('LIVORA_TEMPORAL_UI_PORT', 8233, 'Port of the dev server web UI.'),
        taskQueue: Type.String({
          env: 'LIVORA_TEMPORAL_TASK_QUEUE',
          default: 'livora',
          description: 'Task queue of the worker.',
        }),
      },
      { additionalProperties: false },
    ),
    pipeline: Type.Object(
      {
        mode: Type.Enum(['on', 'off'], {
          env: 'LIVORA_PIPELINE',
          default: 'on',
          description: '`off` keeps `livora start` from consuming the event log (another process does).',
        }),
        batchSize: Type.Integer({
          env: 'LIVORA_PIPELINE_BATCH_SIZE',
          default: 2000,
          minimum: 1,
          maximum: 100_000,
          description: 'Events read and processed per batch.',
        }),
        pollMs: Type.Integer({
          env: 'LIVORA_PIPELINE_POLL_MS',
          default: 200,
          minimum: 10,
          description: 'Wait between reads of a caught-up partition.',
        }),
        leaseSeconds: Type.Integer({
          env: 'LIVORA_PIPELINE_LEASE_SECONDS',
          default: 30,
          minimum: 3,
          description: 'Partition lease lifetime: a crashed process loses its partitions after this.',
        }),
        dedupeWindowHours: Type.Integer({
          env: 'LIVORA_DEDUPE_WINDOW_HOURS',
          default: 168,
          minimum: 1,
          description: 'How long an event_id is remembered for dedupe.',
        }),
        sessionTimeoutMinutes: Type.Integer({
          env: 'LIVORA_SESSION_TIMEOUT_MINUTES',
          default: 30,
          minimum: 1,
          description: 'Inactivity that ends a session.',
        }),
        sessionTtlDays: Type.Integer({
          env: 'LIVORA_SESSION_TTL_DAYS',
          default: 90,
          minimum: 1,
          description: 'Session rows older than this are purged.',
        }),
        sharedAnonymousUsers: Type.Integer({
          env: 'LIVORA_SHARED_ANONYMOUS_USERS',
          default: 3,
          minimum: 1,
          description: 'An anonymous id seen with more users than this is a shared device (never merged).',
        }),
        geoDatabase: Type.Optional(
          Type.String({
            env: 'LIVORA_GEO_DATABASE',
            minLength: 1,
            description: 'A MaxMind-format .mmdb city database; DB-IP City Lite (bundled) when unset.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    lake: Type.Object(
      {
        store: Type.Enum(['local', 'aws', 'gcp', 'azure'], {
          env: 'LIVORA_LAKE_STORE',
          default: 'local',
          description:
            'Where the lake lives: `local` (a directory), `aws` (S3), `gcp` (GCS) or `azure` (Blob storage).',
        }),
        bucket: Type.Optional(
          Type.String({
            env: 'LIVORA_LAKE_BUCKET',
            minLength: 1,
            description: 'The S3 or GCS bucket, or the Azure container, of a cloud lake.',
          }),
        ),
        prefix: Type.Optional(
          Type.String({
            env: 'LIVORA_LAKE_PREFIX',
            minLength: 1,
            description: 'A key prefix inside the bucket (`livora` → `livora/events/…`).',
          }),
        ),
        endpoint: Type.Optional(
          Type.String({
            env: 'LIVORA_LAKE_ENDPOINT',
            pattern: '^https?://',
            description: 'An S3-compatible endpoint or a GCS emulator instead of the cloud’s own.',
          }),
        ),
        azureConnectionString: Type.Optional(
          Type.String({
            env: 'AZURE_STORAGE_CONNECTION_STRING',
            secret: true,
            minLength: 1,
            description: 'Connection string of the storage account of an Azure lake.',
          }),
        ),
        dir: Type.Optional(
          Type.String({
            env: 'LIVORA_LAKE_DIR',
            minLength: 1,
            description: 'Directory of the local lake; <data dir>/lake when unset.',
          }),
        ),
        rollSeconds: Type.Integer({
          env: 'LIVORA_LAKE_ROLL_SECONDS',
          default: 60,
          minimum: 1,
          description: 'A partition’s buffered events are written at least this often.',
        }),
        rollMegabytes: Type.Integer({
          env: 'LIVORA_LAKE_ROLL_MB',
          default: 8,
          minimum: 1,
          description: '…or once they hold this many megabytes of events.',
        }),
        compression: Type.Enum(['zstd', 'snappy'], {
          env: 'LIVORA_LAKE_COMPRESSION',
          default: 'zstd',
          description: 'Parquet compression.',
        }),
      },
      { additionalProperties: false },
    ),
    warehouse: Type.Object(
      {
        engine: Type.Enum(['duckdb', 'redshift', 'bigquery', 'synapse'], {
          env: 'LIVORA_WAREHOUSE',
          default: 'duckdb',
          description:
            'The warehouse analytics run on: `duckdb` (embedded, in the engine’s process), `redshift` (through the Redshift Data API, loaded from an S3 lake with COPY) `bigquery` (loaded from a GCS lake with LOAD DATA) or `synapse` (a dedicated SQL pool, loaded from an Azure lake with COPY INTO).',
        }),
        synapse: Type.Object(
          {
            server: Type.Optional(
              Type.String({
                env: 'LIVORA_SYNAPSE_SERVER',
                minLength: 1,
                description: 'The workspace’s SQL endpoint (`<workspace>.sql.azuresynapse.net`).',
              }),
            ),
            database: Type.Optional(
              Type.String({ env: 'LIVORA_SYNAPSE_DATABASE', minLength: 1, description: 'The dedicated SQL pool.' }),
            ),
            storageAccount: Type.Optional(
              Type.String({
                env: 'LIVORA_SYNAPSE_LAKE_ACCOUNT',
                minLength: 3,
                description: 'The lake’s storage account, whose files COPY INTO reads (as the workspace’s identity).',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        bigquery: Type.Object(
          {
            project: Type.Optional(
              Type.String({
                env: 'LIVORA_BIGQUERY_PROJECT',
                minLength: 1,
                description: 'The project of the dataset (and where queries run).',
              }),
            ),
            dataset: Type.String({
              env: 'LIVORA_BIGQUERY_DATASET',
              default: 'livora',
              minLength: 1,
              description: 'The dataset holding the curated tables.',
            }),
            location: Type.Optional(
              Type.String({ env: 'LIVORA_BIGQUERY_LOCATION', minLength: 1, description: 'The dataset’s location.' }),
            ),
            endpoint: Type.Optional(
              Type.String({
                env: 'LIVORA_BIGQUERY_ENDPOINT',
                pattern: '^https?://',
                description: 'Another BigQuery API endpoint (a stand-in) instead of Google’s own.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        redshift: Type.Object(
          {
            region: Type.Optional(
              Type.String({ env: 'LIVORA_REDSHIFT_REGION', minLength: 1, description: 'The Redshift’s AWS region.' }),
            ),
            database: Type.String({
              env: 'LIVORA_REDSHIFT_DATABASE',
              default: 'dev',
              minLength: 1,
              description: 'The Redshift database holding the curated tables.',
            }),
            workgroup: Type.Optional(
              Type.String({
                env: 'LIVORA_REDSHIFT_WORKGROUP',
                minLength: 1,
                description: 'A Redshift Serverless workgroup (or give LIVORA_REDSHIFT_CLUSTER).',
              }),
            ),
            cluster: Type.Optional(
              Type.String({
                env: 'LIVORA_REDSHIFT_CLUSTER',
                minLength: 1,
                description: 'A provisioned Redshift cluster’s identifier.',
              }),
            ),
            secretArn: Type.Optional(
              Type.String({
                env: 'LIVORA_REDSHIFT_SECRET_ARN',
                minLength: 1,
                description: 'Secrets Manager secret with the database credentials (else IAM).',
              }),
            ),
            dbUser: Type.Optional(
              Type.String({
                env: 'LIVORA_REDSHIFT_DB_USER',
                minLength: 1,
                description: 'Database user for IAM credentials on a provisioned cluster.',
              }),
            ),
            copyRole: Type.String({
              env: 'LIVORA_REDSHIFT_COPY_ROLE',
              default: 'default',
              minLength: 1,
              description:
                'IAM role ARN Redshift assumes for COPY from the lake (`default`: the one set as the cluster’s default).',
            }),
            endpoint: Type.Optional(
              Type.String({
                env: 'LIVORA_REDSHIFT_ENDPOINT',
                pattern: '^https?://',
                description: 'Another Redshift Data API endpoint (a stand-in) instead of AWS’s own.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        path: Type.Optional(
          Type.String({
            env: 'LIVORA_WAREHOUSE_PATH',
            minLength: 1,
            description: 'The DuckDB database file; <data dir>/warehouse.duckdb when unset.',
          }),
        ),
        memoryLimit: Type.String({
          env: 'LIVORA_WAREHOUSE_MEMORY',
          default: '1GB',
          pattern: '^\\d+(\\.\\d+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$',
          description: 'DuckDB’s memory limit (e.g. `2GB`).',
        }),
        cacheSeconds: Type.Integer({
          env: 'LIVORA_ANALYTICS_CACHE_SECONDS',
          default: 300,
          minimum: 1,
          description: 'How long an analytics answer is cached (new data for its days replaces it sooner).',
        }),
      },
      { additionalProperties: false },
    ),
    log: Type.Object(
      {
        level: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          env: 'LIVORA_LOG_LEVEL',
          default: 'info',
          description: 'Log level (JSON lines on stdout).',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
