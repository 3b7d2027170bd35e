import { deploymentLabels, PUBSUB_PARTITIONS } from '@livora/providers';
import { describe, expect, it } from 'vitest';
import { type SynthesizedResource as Resource, resourcesOf, synthesize } from '../src/synthesize.ts';
import {
  attr,
  combinationsOf,
  expectEverythingTagged,
  expectNamesWithin,
  expectStacksOfPattern,
  inventoryOf,
  ofType,
} from './policy-support.ts';

const combinations = combinationsOf('gcp', 'europe-west1');
/** A reference to the deployment's Cloud KMS key, in its stack or through core's outputs. */
const KEY = /google_kms_crypto_key\.key_[A-F0-9]+\.id|google_kms_crypto_keykey_[A-F0-9]+id/;
type Fields = Record<string, unknown> | undefined;
/** A nested block of a resource's attributes, or of another block. */
const block = (r: Resource | Fields, name: string): Fields =>
  (r && 'attributes' in r && 'type' in r ? (r as Resource).attributes : (r as Fields))?.[name] as Fields;

describe.each(combinations)('GCP $env, pattern $pattern', (deployment) => {
  const stacks = synthesize(deployment);
  const resources = resourcesOf(stacks);
  const prod = deployment.env === 'prod';

  it('has the stacks of its pattern', () => expectStacksOfPattern(stacks, deployment));

  it('labels every labelable resource, Cloud SQL’s settings included', () => {
    expect(expectEverythingTagged(stacks, deployment, 'labels')).toBeGreaterThan(5);
    for (const sql of ofType(resources, 'google_sql_database_instance'))
      expect(block(sql, 'settings')?.user_labels).toEqual(deploymentLabels(deployment, sql.stack));
  });

  it('encrypts every store with the customer-managed key', () => {
    const keyed: [string, (r: Resource) => unknown][] = [
      ['google_storage_bucket', (r) => block(r, 'encryption')?.default_kms_key_name],
      ['google_pubsub_topic', (r) => attr(r, 'kms_key_name')],
      ['google_sql_database_instance', (r) => attr(r, 'encryption_key_name')],
      ['google_redis_instance', (r) => attr(r, 'customer_managed_key')],
      ['google_bigquery_dataset', (r) => block(r, 'default_encryption_configuration')?.kms_key_name],
      [
        'google_secret_manager_secret',
        (r) =>
          (
            (block(block(r, 'replication'), 'user_managed')?.replicas ?? []) as {
              customer_managed_encryption: { kms_key_name: string };
            }[]
          )[0]?.customer_managed_encryption.kms_key_name,
      ],
      ['google_cloud_run_v2_service', (r) => block(r, 'template')?.encryption_key],
      ['google_logging_project_bucket_config', (r) => block(r, 'cmek_settings')?.kms_key_name],
    ];
    for (const [type, key] of keyed) {
      const found = ofType(resources, type);
      expect(found.length, type).toBeGreaterThan(0);
      for (const r of found) expect(key(r), `${type}.${r.id}`).toMatch(KEY);
    }
  });

  it('leaves no bucket or database public', () => {
    for (const b of ofType(resources, 'google_storage_bucket')) {
      expect(attr(b, 'public_access_prevention'), b.id).toBe('enforced');
      expect(attr(b, 'uniform_bucket_level_access'), b.id).toBe(true);
    }
    for (const m of [...ofType(resources, 'google_storage_bucket_iam_member')])
      expect(String(attr(m, 'member'))).not.toMatch(/^all(Authenticated)?Users$/);
    for (const sql of ofType(resources, 'google_sql_database_instance'))
      expect(block(block(sql, 'settings'), 'ip_configuration')).toMatchObject({
        ipv4_enabled: false,
        ssl_mode: 'ENCRYPTED_ONLY',
      });
    for (const redis of ofType(resources, 'google_redis_instance'))
      expect(attr(redis, 'connect_mode')).toBe('PRIVATE_SERVICE_ACCESS');
    // Ingress: denied, but for Google's health checks.
    for (const rule of ofType(resources, 'google_compute_firewall'))
      if (attr(rule, 'allow')) expect(attr(rule, 'source_ranges')).toEqual(['35.191.0.0/16', '130.211.0.0/22']);
    // Only the API takes calls from anyone (it authenticates them itself).
    const open = ofType(resources, 'google_cloud_run_v2_service_iam_member').filter(
      (m) => attr(m, 'member') === 'allUsers',
    );
    expect(open.map((m) => m.id)).toEqual([expect.stringMatching(/^service-api_public/)]);
    // The API is the one service; the pipeline and the worker take no traffic at all (worker pools).
    expect(ofType(resources, 'google_cloud_run_v2_service').map((r) => r.id)).toEqual([
      expect.stringMatching(/^service-api_service/),
    ]);
    expect(
      ofType(resources, 'google_cloud_run_v2_worker_pool')
        .map((r) => r.id)
        .sort(),
    ).toEqual([expect.stringMatching(/^service-pipeline_pool/), expect.stringMatching(/^service-worker_pool/)]);
  });

  it(prod ? 'is highly available and protected from deletion' : 'is not protected from deletion', () => {
    const [primary, replica] = ofType(resources, 'google_sql_database_instance');
    expect(block(primary, 'settings')?.availability_type).toBe(deployment.env === 'dev' ? 'ZONAL' : 'REGIONAL');
    expect(attr(primary, 'deletion_protection')).toBe(prod);
    expect(block(primary, 'settings')?.deletion_protection_enabled).toBe(prod);
    expect(block(block(primary, 'settings'), 'backup_configuration')).toMatchObject({
      enabled: true,
      point_in_time_recovery_enabled: true,
    });
    if (deployment.env === 'dev') expect(replica).toBeUndefined();
    else expect(attr(replica, 'master_instance_name')).toMatch(/google_sql_database_instance\.database_primary/);
    expect(attr(ofType(resources, 'google_redis_instance')[0], 'tier')).toBe(
      deployment.env === 'dev' ? 'BASIC' : 'STANDARD_HA',
    );
    for (const b of ofType(resources, 'google_storage_bucket')) expect(attr(b, 'force_destroy')).toBe(!prod);
    for (const run of [
      ...ofType(resources, 'google_cloud_run_v2_service'),
      ...ofType(resources, 'google_cloud_run_v2_worker_pool'),
    ])
      expect(attr(run, 'deletion_protection'), run.id).toBe(prod);
  });

  it(deployment.pattern === 'B' ? 'has no console or CRM resources' : 'has the console and its sign-in', () => {
    const consoleOrCrm = resources.filter((r) =>
      ['google_compute_backend_bucket', 'google_identity_platform_config'].includes(r.type),
    );
    expect(consoleOrCrm).toHaveLength(deployment.pattern === 'B' ? 0 : 2);
  });

  it('holds no secret value in plain text', () => {
    for (const v of ofType(resources, 'google_secret_manager_secret_version'))
      expect(attr(v, 'secret_data')).toMatch(/^\$\{random_password\./);
    for (const u of ofType(resources, 'google_sql_user')) expect(attr(u, 'password')).toMatch(/^\$\{random_password\./);
    for (const c of ofType(resources, 'google_monitoring_notification_channel'))
      expect(block(c, 'sensitive_labels')?.service_key).toBe(`\${var.pagerduty_service_key}`);
    for (const run of ofType(resources, 'google_cloud_run_v2_service')) {
      const [container] = (block(run, 'template')?.containers ?? []) as { env: { name: string; value?: string }[] }[];
      const plain = (container?.env ?? []).filter((e) => e.value !== undefined).map((e) => e.name);
      expect(
        plain.filter((n) => /PASSWORD|SECRET|API_KEY/.test(n)),
        run.id,
      ).toEqual([]);
    }
  });

  it('scales every role: the API as a service, the pipeline and the worker as worker pools, between the profile’s bounds', () => {
    for (const pool of ofType(resources, 'google_cloud_run_v2_worker_pool')) {
      const scaling = attr(pool, 'scaling') as {
        scaling_mode: string;
        min_instance_count: number;
        max_instance_count: number;
      };
      expect(scaling.scaling_mode).toBe('AUTOMATIC');
      expect(scaling.max_instance_count).toBeGreaterThan(scaling.min_instance_count);
    }
    const [api] = ofType(resources, 'google_cloud_run_v2_service');
    const scaling = (attr(api, 'template') as { scaling: { max_instance_count: number } }).scaling;
    expect(scaling.max_instance_count).toBeGreaterThan(1);
  });

  it('keeps names within Google Cloud limits', () => {
    const compute = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
    expectNamesWithin(resources, [
      ['google_storage_bucket', 'name', 63, /^[a-z0-9][a-z0-9_.-]*[a-z0-9]$/],
      ['google_service_account', 'account_id', 30, /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/],
      ['google_cloud_run_v2_service', 'name', 49, compute],
      ['google_sql_database_instance', 'name', 84, compute],
      ['google_redis_instance', 'name', 40, compute],
      ['google_kms_key_ring', 'name', 63, /^[a-zA-Z0-9_-]+$/],
      ['google_pubsub_topic', 'name', 255, /^[a-zA-Z][a-zA-Z0-9._~+%-]{2,}$/],
      ['google_bigquery_dataset', 'dataset_id', 1024, /^[A-Za-z0-9_]+$/],
      ['google_compute_network', 'name', 63, compute],
      ['google_compute_firewall', 'name', 63, compute],
      ['google_compute_backend_bucket', 'name', 63, compute],
      ['google_secret_manager_secret', 'secret_id', 255, /^[A-Za-z0-9_-]+$/],
    ]);
    for (const r of resources)
      for (const [key, value] of Object.entries((attr(r, 'labels') as Record<string, string>) ?? {})) {
        expect(key, `${r.id} label`).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
        expect(value, `${r.id} label ${key}`).toMatch(/^[a-z0-9_-]{0,63}$/);
      }
  });

  it('matches its snapshot: every resource and a digest of its settings', () => {
    expect(inventoryOf(resources)).toMatchSnapshot();
  });
});

describe('the Pub/Sub subscriptions the stacks make', () => {
  it('are the ones the engine’s Pub/Sub adapter reads: one per partition, ordered, filtered on the partition', async () => {
    const { pubSubSubscriptions } = await import('@livora/adapters/gcp');
    const stacks = synthesize({ client: 'acme', cloud: 'gcp', env: 'dev', pattern: 'B', region: 'europe-west1' });
    const made = ofType(resourcesOf(stacks), 'google_pubsub_subscription').map((s) => ({
      name: attr(s, 'name'),
      filter: attr(s, 'filter'),
      enableMessageOrdering: attr(s, 'enable_message_ordering'),
    }));
    const topic = attr(
      ofType(resourcesOf(stacks), 'google_pubsub_topic').find((t) => t.id.startsWith('stream_events')),
      'name',
    );
    expect(made).toEqual(pubSubSubscriptions(String(topic), 'pipeline', PUBSUB_PARTITIONS));
  });

  it('dead-letter through Pub/Sub’s own agent: it may publish to the dead-letter topic and acknowledge on each subscription', () => {
    const resources = resourcesOf(
      synthesize({ client: 'acme', cloud: 'gcp', env: 'dev', pattern: 'B', region: 'europe-west1' }),
    );
    const agent =
      /^serviceAccount:service-\$\{data\.google_project\..+\.number\}@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/;
    const subscriptions = ofType(resources, 'google_pubsub_subscription');
    const deadTopic = String(
      (attr(subscriptions[0], 'dead_letter_policy') as { dead_letter_topic: string }).dead_letter_topic,
    );
    const publishers = ofType(resources, 'google_pubsub_topic_iam_member').filter(
      (m) => attr(m, 'role') === 'roles/pubsub.publisher' && agent.test(String(attr(m, 'member'))),
    );
    expect(publishers.map((m) => attr(m, 'topic'))).toEqual([deadTopic]);
    const subscribers = ofType(resources, 'google_pubsub_subscription_iam_member').filter(
      (m) => attr(m, 'role') === 'roles/pubsub.subscriber' && agent.test(String(attr(m, 'member'))),
    );
    expect(subscribers.map((m) => attr(m, 'subscription')).sort()).toEqual(
      subscriptions.map((s) => `\${google_pubsub_subscription.${s.id}.id}`).sort(),
    );
  });
});
