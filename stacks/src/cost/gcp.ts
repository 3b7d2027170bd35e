import type { SynthesizedResource } from '../synthesize.ts';
import { GCP_PRICES } from './gcp-prices.ts';
import { type CostLine, pricer } from './lines.ts';
import { HOURS_PER_MONTH, type Usage } from './usage.ts';

/** GCP resource types with no fixed monthly cost. */
const FREE = new Set([
  'google_bigquery_dataset_iam_member',
  'google_cloud_run_v2_service_iam_member',
  'google_compute_backend_bucket',
  'google_compute_firewall',
  'google_compute_global_address',
  'google_compute_managed_ssl_certificate',
  'google_compute_network',
  'google_compute_router',
  'google_compute_subnetwork',
  'google_compute_target_https_proxy',
  'google_compute_url_map',
  'google_kms_crypto_key_iam_member',
  'google_kms_key_ring',
  'google_logging_metric',
  'google_logging_project_bucket_config',
  'google_logging_project_sink',
  'google_monitoring_dashboard',
  'google_monitoring_notification_channel',
  'google_project_iam_audit_config',
  'google_project_iam_member',
  'google_pubsub_subscription',
  'google_pubsub_subscription_iam_member',
  'google_pubsub_topic_iam_member',
  'google_secret_manager_secret_iam_member',
  'google_secret_manager_secret_version',
  'google_service_account',
  'google_service_networking_connection',
  'google_sql_database',
  'google_sql_user',
  'google_storage_bucket_iam_member',
  'random_password',
]);

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Monthly cost lines of a GCP deployment's resources. */
export function gcpLines(resources: readonly SynthesizedResource[], usage: Usage): CostLine[] {
  const p = GCP_PRICES;
  const hours = HOURS_PER_MONTH;
  const { lines, add, free } = pricer(FREE, 'GCP');
  const field = (r: SynthesizedResource, name: string) => r.attributes[name] as Record<string, unknown> | undefined;
  for (const r of resources) {
    const a = r.attributes;
    switch (r.type) {
      case 'google_cloud_run_v2_worker_pool': {
        const template = field(r, 'template') ?? {};
        // Priced at its floor (the instances always running): a manual count, or the autoscaler's minimum.
        const scaling = field(r, 'scaling') as
          | { manual_instance_count?: number; min_instance_count?: number }
          | undefined;
        const count = Number(scaling?.manual_instance_count ?? scaling?.min_instance_count ?? 1);
        const { cpu, gib, monthly } = cloudRunInstance(template);
        add(r, count * monthly, `${count} × ${cpu} vCPU / ${gib} GiB worker pool`);
        break;
      }
      case 'google_cloud_run_v2_service': {
        const template = field(r, 'template') ?? {};
        const min = Number((template.scaling as { min_instance_count?: number })?.min_instance_count ?? 1);
        const { cpu, gib, monthly } = cloudRunInstance(template);
        add(r, min * monthly, `${min} × ${cpu} vCPU / ${gib} GiB, always on`);
        break;
      }
      case 'google_sql_database_instance': {
        const settings = field(r, 'settings') ?? {};
        const [, vcpu = '1', mb = '3840'] = /^db-custom-(\d+)-(\d+)$/.exec(String(settings.tier)) ?? [];
        const regional = settings.availability_type === 'REGIONAL' ? 2 : 1;
        const compute = (Number(vcpu) * p.sqlVcpuHour + (Number(mb) / 1024) * p.sqlMemoryGbHour) * hours * regional;
        add(
          r,
          compute + usage.databaseGb * p.sqlSsdGbMonth * regional,
          `${settings.tier}${regional === 2 ? ', regional (HA)' : ''}, ${usage.databaseGb} GB SSD`,
        );
        break;
      }
      case 'google_redis_instance': {
        const gb = Number(a.memory_size_gb ?? 1);
        const rate = a.tier === 'STANDARD_HA' ? p.redisStandardGbHour : p.redisBasicGbHour;
        add(r, gb * rate * hours, `${a.tier}, ${gb} GB`);
        break;
      }
      case 'google_pubsub_topic':
        add(
          r,
          String(a.name).endsWith('-dead-letters') ? 0 : (usage.streamGb / 1024) * p.pubsubTib,
          `${usage.streamGb} GB published`,
        );
        break;
      case 'google_storage_bucket': {
        const lake = String(a.name).endsWith('-lake');
        const gb = lake ? usage.lakeGb : usage.lakeGb / 40;
        add(r, gb * p.gcsStandardGbMonth, `${Math.round(gb)} GB stored`);
        break;
      }
      case 'google_bigquery_dataset': {
        const tib = usage.warehouseHoursPerMonth / 40;
        add(
          r,
          usage.lakeGb * p.bigqueryActiveStorageGbMonth + tib * p.bigqueryTibScanned,
          `${usage.lakeGb} GB stored, ${tib} TiB scanned`,
        );
        break;
      }
      case 'google_compute_router_nat':
        add(r, p.natGatewayHour * hours + p.natGb * usage.natGb, `${usage.natGb} GB through NAT`);
        break;
      case 'google_compute_global_forwarding_rule':
        add(r, p.forwardingRuleHour * hours + p.cdnGb * usage.cdnGb, `one rule, ${usage.cdnGb} GB served by the CDN`);
        break;
      case 'google_kms_crypto_key':
        add(r, p.kmsKeyVersionMonth * 4, 'one key, its versions over a year of rotation');
        break;
      case 'google_secret_manager_secret':
        add(r, p.secretVersionMonth, 'one secret');
        break;
      case 'google_monitoring_alert_policy':
        add(r, p.alertConditionMonth, 'one condition');
        break;
      case 'google_identity_platform_config':
        add(r, 0, 'free up to 50,000 monthly active users');
        break;
      default:
        free(r);
    }
  }
  // Logs: the services' logs land in Cloud Logging, billed per GiB.
  if (resources.some((r) => r.type.startsWith('google_cloud_run_v2_')))
    lines.push({
      address: 'logs',
      type: 'cloud_logging',
      monthly: usage.logsGb * p.loggingGib,
      basis: `${usage.logsGb} GiB of logs`,
    });
  return lines;
}

export const GCP_SOURCE = `Google Cloud list prices of ${GCP_PRICES.asOf} (${GCP_PRICES.region}, on-demand, ${GCP_PRICES.currency})`;

/** A Cloud Run instance's size (its first container's limits) and what it costs a month always on. */
function cloudRunInstance(template: Record<string, unknown>): { cpu: number; gib: number; monthly: number } {
  const limits = (template.containers as { resources: { limits: { cpu: string; memory: string } } }[])[0]?.resources
    .limits;
  const cpu = Number(limits?.cpu ?? 1);
  const gib = Number.parseInt(limits?.memory ?? '512', 10) / 1024;
  return { cpu, gib, monthly: (cpu * GCP_PRICES.runVcpuSecond + gib * GCP_PRICES.runGibSecond) * SECONDS_PER_MONTH };
}
