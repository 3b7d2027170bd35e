import { describe, expect, it } from 'vitest';
import { ConfigError, listSettings, loadConfig } from './load.ts';
import { ConfigSchema } from './schema.ts';

/** The problems a refused environment reports (fails the test when the environment is accepted). */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

/** Every leaf of a schema (a node without `properties`), walked independently of listSettings. */
function leaves(node: unknown, path: string[] = []): { path: string[]; env: unknown }[] {
  const { properties, env } = node as { properties?: Record<string, unknown>; env?: unknown };
  if (!properties) return [{ path, env }];
  return Object.entries(properties).flatMap(([key, child]) => leaves(child, [...path, key]));
}

describe('loadConfig', () => {
  it('gives every default when the environment is empty', () => {
    expect(loadConfig({})).toEqual({
      server: { host: '127.0.0.1', port: 8080, shutdownTimeoutMs: 15_000 },
      data: { dir: '.livora' },
      database: { embeddedPort: 5488, poolSize: 10 },
      stream: {
        kind: 'local',
        partitions: 8,
        retentionHours: 168,
        kinesisStream: 'livora-events',
        awsRegion: 'us-east-1',
        pubsubTopic: 'livora-events',
        eventHubName: 'livora-events',
      },
      auth: {
        accessTokenSeconds: 900,
        refreshTokenDays: 30,
        oidcTenantClaim: 'livora_tenant',
        oidcRoleClaim: 'livora_role',
        oidcScopes: 'openid email profile',
      },
      rateLimit: { keyEventsPerSecond: 20_000, keyBurst: 40_000, tenantEventsPerSecond: 50_000, tenantBurst: 100_000 },
      temporal: {
        mode: 'auto',
        namespace: 'default',
        tls: false,
        devServerPort: 7233,
        devServerUiPort: 8233,
        taskQueue: 'livora',
      },
      pipeline: {
        mode: 'on',
        batchSize: 2000,
        pollMs: 200,
        leaseSeconds: 30,
        dedupeWindowHours: 168,
        sessionTimeoutMinutes: 30,
        sessionTtlDays: 90,
        sharedAnonymousUsers: 3,
      },
      lake: { store: 'local', rollSeconds: 60, rollMegabytes: 8, compression: 'zstd' },
      warehouse: {
        engine: 'duckdb',
        synapse: {},
        bigquery: { dataset: 'livora' },
        redshift: { database: 'dev', copyRole: 'default' },
        memoryLimit: '1GB',
        cacheSeconds: 300,
      },
      log: { level: 'info' },
    });
  });

  it('leaves optional settings without a default out', () => {
    const config = loadConfig({});
    expect('url' in config.database).toBe(false);
    expect('jwtSecret' in config.auth).toBe(false);
    expect('redisUrl' in config.rateLimit).toBe(false);
  });

  it('lets the deployment app’s settings be (LIVORA_CLOUD, LIVORA_ENV…), and still refuses unknown ones', () => {
    expect(loadConfig({ LIVORA_CLOUD: 'aws', LIVORA_ENV: 'prod', LIVORA_PATTERN: 'B' }).server.port).toBe(8080);
    expect(problemsOf({ LIVORA_CLOUD: 'aws', LIVORA_ENVIRONMENT: 'prod' })[0]).toMatch(
      /^LIVORA_ENVIRONMENT is not a Livora setting/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ LIVORA_PORT: '', LIVORA_STREAM: '' }).server.port).toBe(8080);
    expect(loadConfig({ LIVORA_PORT: '', LIVORA_STREAM: '' }).stream.kind).toBe('local');
  });

  it('ignores variables that are not LIVORA_*', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'test' }).server.port).toBe(8080);
  });

  it('reads strings, enums and URLs as given', () => {
    const config = loadConfig({
      LIVORA_HOST: '0.0.0.0',
      LIVORA_STREAM: 'aws',
      DATABASE_URL: 'postgresql://u:p@db:5432/livora',
      REDIS_URL: 'rediss://cache:6380',
      LIVORA_LOG_LEVEL: 'debug',
    });
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.stream.kind).toBe('aws');
    expect(config.database.url).toBe('postgresql://u:p@db:5432/livora');
    expect(config.rateLimit.redisUrl).toBe('rediss://cache:6380');
    expect(config.log.level).toBe('debug');
  });

  describe('numbers', () => {
    it('coerces numeric text to numbers', () => {
      const config = loadConfig({ LIVORA_PORT: '9090', LIVORA_STREAM_PARTITIONS: '64', LIVORA_PG_POOL_SIZE: '20' });
      expect(config.server.port).toBe(9090);
      expect(config.stream.partitions).toBe(64);
      expect(config.database.poolSize).toBe(20);
    });

    it('accepts surrounding spaces and digit separators', () => {
      expect(loadConfig({ LIVORA_PORT: ' 8_081 ' }).server.port).toBe(8081);
      expect(loadConfig({ LIVORA_RATE_KEY_BURST: '1_000_000' }).rateLimit.keyBurst).toBe(1_000_000);
    });

    it('accepts port 0 (any free port) for the API but not for the embedded PostgreSQL', () => {
      expect(loadConfig({ LIVORA_PORT: '0' }).server.port).toBe(0);
      expect(problemsOf({ LIVORA_PG_PORT: '0' })).toEqual([expect.stringMatching(/^LIVORA_PG_PORT="0": /)]);
    });
  });

  describe('unknown LIVORA_* variables', () => {
    it('refuses one, naming it, with a suggestion for a near miss', () => {
      expect(problemsOf({ LIVORA_PRT: '9090' })).toEqual([
        'LIVORA_PRT is not a Livora setting (did you mean LIVORA_PORT?)',
      ]);
    });

    it('suggests the closest setting', () => {
      expect(problemsOf({ LIVORA_LOGLEVEL: 'debug' })).toEqual([
        'LIVORA_LOGLEVEL is not a Livora setting (did you mean LIVORA_LOG_LEVEL?)',
      ]);
    });

    it('suggests nothing when no setting is close', () => {
      expect(problemsOf({ LIVORA_SOMETHING_ELSE_ENTIRELY: '1' })).toEqual([
        'LIVORA_SOMETHING_ELSE_ENTIRELY is not a Livora setting',
      ]);
    });
  });

  describe('invalid values', () => {
    it.each([
      ['LIVORA_PORT', 'abc', /integer/],
      ['LIVORA_PORT', '1.5', /integer/],
      ['LIVORA_PORT', '70000', /65535/],
      ['LIVORA_PG_POOL_SIZE', '1', /2/],
      ['LIVORA_STREAM', 'kafka', /\(one of: local, aws, gcp, azure\)$/],
      ['LIVORA_LOG_LEVEL', 'verbose', /one of: fatal, error, warn, info, debug, trace, silent/],
      ['DATABASE_URL', 'mysql://x', /pattern/],
      ['REDIS_URL', 'http://cache', /pattern/],
      ['LIVORA_OIDC_ISSUER', 'issuer.example.com', /pattern/],
      ['LIVORA_OIDC_ROLE_MAP', 'admins=root', /pattern/],
      ['LIVORA_JWT_SECRET', 'too-short', /32/],
    ])('refuses %s=%s, naming the variable and the value (secrets: their length)', (name, value, reason) => {
      const problems = problemsOf({ [name]: value });
      expect(problems).toHaveLength(1);
      const secret = ['DATABASE_URL', 'REDIS_URL', 'LIVORA_JWT_SECRET'].includes(name);
      const shown = secret ? `\\(secret, ${value.length} characters\\)` : JSON.stringify(value);
      expect(problems[0]).toMatch(new RegExp(`^${name}=${shown}: `));
      expect(problems[0]).toMatch(reason);
    });

    it('asks for what a cloud stream needs to be reached', () => {
      expect(problemsOf({ LIVORA_STREAM: 'gcp' })).toEqual([
        'LIVORA_STREAM=gcp needs GOOGLE_CLOUD_PROJECT (the Pub/Sub topic’s project)',
      ]);
      expect(loadConfig({ LIVORA_STREAM: 'gcp', GOOGLE_CLOUD_PROJECT: 'shop' }).stream.gcpProject).toBe('shop');
      expect(loadConfig({ LIVORA_STREAM: 'gcp', PUBSUB_EMULATOR_HOST: '127.0.0.1:8085' }).stream.kind).toBe('gcp');
      expect(problemsOf({ LIVORA_STREAM: 'azure' })).toEqual([
        'LIVORA_STREAM=azure needs LIVORA_EVENT_HUBS_CONNECTION_STRING (the Event Hubs namespace’s)',
      ]);
      expect(problemsOf({ LIVORA_STREAM: 'azure', LIVORA_EVENT_HUBS_CONNECTION_STRING: 'sb://nope' })[0]).toMatch(
        /^LIVORA_EVENT_HUBS_CONNECTION_STRING=\(secret, 9 characters\): .*pattern/,
      );
    });

    it('asks for what a cloud lake needs to be reached', () => {
      expect(problemsOf({ LIVORA_LAKE_STORE: 'aws' })).toEqual([
        'LIVORA_LAKE_STORE=aws needs LIVORA_LAKE_BUCKET (the bucket or container)',
      ]);
      expect(problemsOf({ LIVORA_LAKE_STORE: 'azure', LIVORA_LAKE_BUCKET: 'lake' })).toEqual([
        'LIVORA_LAKE_STORE=azure needs AZURE_STORAGE_CONNECTION_STRING (the storage account’s)',
      ]);
      expect(loadConfig({ LIVORA_LAKE_STORE: 'gcp', LIVORA_LAKE_BUCKET: 'lake' }).lake).toMatchObject({
        store: 'gcp',
        bucket: 'lake',
      });
    });

    it('asks for what a Redshift warehouse needs: an S3 lake, its region, and one workgroup or cluster', () => {
      expect(problemsOf({ LIVORA_WAREHOUSE: 'redshift' })).toEqual([
        'LIVORA_WAREHOUSE=redshift needs LIVORA_LAKE_STORE=aws (COPY reads S3)',
        'LIVORA_WAREHOUSE=redshift needs LIVORA_REDSHIFT_REGION',
        'LIVORA_WAREHOUSE=redshift needs one of LIVORA_REDSHIFT_WORKGROUP and LIVORA_REDSHIFT_CLUSTER',
      ]);
      const s3 = { LIVORA_LAKE_STORE: 'aws', LIVORA_LAKE_BUCKET: 'lake', LIVORA_REDSHIFT_REGION: 'eu-west-1' };
      expect(
        problemsOf({
          ...s3,
          LIVORA_WAREHOUSE: 'redshift',
          LIVORA_REDSHIFT_WORKGROUP: 'w',
          LIVORA_REDSHIFT_CLUSTER: 'c',
        }),
      ).toEqual(['LIVORA_WAREHOUSE=redshift needs one of LIVORA_REDSHIFT_WORKGROUP and LIVORA_REDSHIFT_CLUSTER']);
      expect(
        loadConfig({ ...s3, LIVORA_WAREHOUSE: 'redshift', LIVORA_REDSHIFT_WORKGROUP: 'analytics' }).warehouse.redshift,
      ).toEqual({ region: 'eu-west-1', database: 'dev', workgroup: 'analytics', copyRole: 'default' });
    });

    it('asks for what a Synapse warehouse needs: an Azure lake, the server, pool and lake account', () => {
      expect(problemsOf({ LIVORA_WAREHOUSE: 'synapse' })).toEqual([
        'LIVORA_WAREHOUSE=synapse needs LIVORA_LAKE_STORE=azure (COPY INTO reads it)',
        'LIVORA_WAREHOUSE=synapse needs LIVORA_SYNAPSE_SERVER',
        'LIVORA_WAREHOUSE=synapse needs LIVORA_SYNAPSE_DATABASE',
        'LIVORA_WAREHOUSE=synapse needs LIVORA_SYNAPSE_LAKE_ACCOUNT',
      ]);
    });

    it('asks for what a BigQuery warehouse needs: a GCS lake and its project', () => {
      expect(problemsOf({ LIVORA_WAREHOUSE: 'bigquery' })).toEqual([
        'LIVORA_WAREHOUSE=bigquery needs LIVORA_LAKE_STORE=gcp (LOAD DATA reads GCS)',
        'LIVORA_WAREHOUSE=bigquery needs LIVORA_BIGQUERY_PROJECT',
      ]);
      const gcs = { LIVORA_LAKE_STORE: 'gcp', LIVORA_LAKE_BUCKET: 'lake', LIVORA_WAREHOUSE: 'bigquery' };
      expect(loadConfig({ ...gcs, LIVORA_BIGQUERY_PROJECT: 'shop' }).warehouse.bigquery).toEqual({
        project: 'shop',
        dataset: 'livora',
      });
    });

    it('reports every problem at once, in the error message too', () => {
      let error: unknown;
      try {
        loadConfig({ LIVORA_PRT: '1', LIVORA_PORT: 'abc', LIVORA_STREAM: 'kafka', DATABASE_URL: 'mysql://x' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message, name } = error as ConfigError;
      expect(name).toBe('ConfigError');
      expect(problems).toHaveLength(4);
      for (const variable of ['LIVORA_PRT', 'LIVORA_PORT=', 'LIVORA_STREAM=', 'DATABASE_URL=']) {
        expect(problems.some((p) => p.startsWith(variable))).toBe(true);
        expect(message).toContain(`  - ${variable}`);
      }
    });
  });
});

describe('listSettings', () => {
  const settings = listSettings();

  it('lists every leaf of the schema, in schema order, each with its variable', () => {
    const expected = leaves(ConfigSchema);
    expect(expected.length).toBeGreaterThan(20);
    expect(settings.map((s) => s.path)).toEqual(expected.map((l) => l.path));
    expect(settings.map((s) => s.env)).toEqual(expected.map((l) => l.env));
  });

  it('names each variable once', () => {
    const names = settings.map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers every section of the configuration', () => {
    const sections = new Set(settings.map((s) => s.path[0]));
    expect([...sections]).toEqual(Object.keys(ConfigSchema.properties));
  });

  it.each(
    listSettings()
      .filter((s) => s.schema.default !== undefined)
      .map((s) => [s.env, s] as const),
  )('%s round-trips its default through the environment', (env, setting) => {
    let target: unknown = loadConfig({ [env]: String(setting.schema.default) });
    for (const key of setting.path) target = (target as Record<string, unknown>)[key];
    expect(target).toEqual(setting.schema.default);
  });
});

describe('secret settings', () => {
  it.each([
    ['DATABASE_URL', 'postgresql+asyncpg://livora:S3cretPa55@db/livora'],
    ['LIVORA_JWT_SECRET', 'short-but-real'],
    ['REDIS_URL', 'redis-tls://:hunter2@cache:6379'],
  ])('never print the value of %s in an error', (env, value) => {
    let error: unknown;
    try {
      loadConfig({ [env]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${env}=(secret, ${value.length} characters)`);
    expect((error as Error).message).not.toContain(value);
  });

  it('are marked in the schema', () => {
    const secrets = listSettings()
      .filter((s) => s.schema.secret)
      .map((s) => s.env);
    expect(secrets.sort()).toEqual([
      'AZURE_STORAGE_CONNECTION_STRING',
      'DATABASE_URL',
      'LIVORA_DATABASE_PASSWORD',
      'LIVORA_EVENT_HUBS_CONNECTION_STRING',
      'LIVORA_JWT_SECRET',
      'LIVORA_OIDC_CLIENT_SECRET',
      'REDIS_URL',
      'TEMPORAL_API_KEY',
    ]);
  });
});
