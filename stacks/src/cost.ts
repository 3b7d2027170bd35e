import { parseArgs } from 'node:util';
import type { Deployment } from '@livora/providers';
import { deploymentFromEnv } from './main.ts';
import { AWS_PRICES, USAGE } from './prices/aws.ts';
import { resourcesOf, type SynthesizedResource, synthesize } from './synthesize.ts';

/** One resource's estimated monthly cost, and how it was reckoned. */
export interface CostLine {
  readonly address: string;
  readonly type: string;
  readonly monthly: number;
  readonly basis: string;
}

/** Resource types with no fixed monthly cost (free, or billed only by requests too small to count). */
const FREE = new Set([
  'aws_kms_alias',
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_internet_gateway',
  'aws_security_group',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_db_subnet_group',
  'aws_elasticache_subnet_group',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_policy',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_sns_topic',
  'aws_sns_topic_subscription',
  'aws_ecs_cluster',
  'aws_ecs_task_definition',
  'aws_appautoscaling_target',
  'aws_appautoscaling_policy',
  'aws_lb_target_group',
  'aws_lb_listener',
  'aws_cloudfront_origin_access_control',
  'aws_cognito_user_pool_client',
  'aws_cognito_user_pool_domain',
  'aws_redshiftserverless_namespace',
  'aws_rds_cluster',
  'aws_cloudtrail',
]);

/** The monthly estimate of every resource of a deployment (AWS for now), from the dated price table. */
export function estimate(deployment: Deployment): { lines: CostLine[]; total: number; assumptions: string } {
  if (deployment.cloud !== 'aws') throw new Error(`no price table for ${deployment.cloud} yet (aws has one)`);
  const resources = resourcesOf(synthesize(deployment));
  const p = AWS_PRICES;
  const usage = USAGE[deployment.env];
  const hours = p.hoursPerMonth;
  const byId = new Map(resources.map((r) => [`${r.type}.${r.id}`, r]));
  const referenced = (value: unknown, type: string) => {
    const match = new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(String(value));
    return match ? byId.get(`${type}.${match[1]}`) : undefined;
  };
  const lines: CostLine[] = [];
  const add = (r: SynthesizedResource, monthly: number, basis: string) =>
    lines.push({ address: `${r.stack}/${r.type}.${r.id}`, type: r.type, monthly, basis });
  const buckets = resources.filter((r) => r.type === 'aws_s3_bucket').length;

  for (const r of resources) {
    const a = r.attributes;
    switch (r.type) {
      case 'aws_ecs_service': {
        const task = referenced(a.task_definition, 'aws_ecs_task_definition')?.attributes;
        const cpu = Number(task?.cpu ?? 0) / 1024;
        const gb = Number(task?.memory ?? 0) / 1024;
        const count = Number(a.desired_count ?? 1);
        const monthly = count * (cpu * p.fargate.vcpuHour + gb * p.fargate.gbHour) * hours;
        add(r, monthly, `${count} × Fargate ${cpu} vCPU / ${gb} GB, always on (autoscaling adds more)`);
        break;
      }
      case 'aws_rds_cluster_instance': {
        const price = p.auroraInstanceHour[String(a.instance_class)] ?? Number.NaN;
        add(r, price * hours, `${a.instance_class}, always on`);
        break;
      }
      case 'aws_elasticache_replication_group': {
        const nodes = Number(a.num_cache_clusters ?? 1);
        const price = p.cacheNodeHour[String(a.node_type)] ?? Number.NaN;
        add(r, nodes * price * hours, `${nodes} × ${a.node_type}`);
        break;
      }
      case 'aws_redshiftserverless_workgroup': {
        const rpu = Number(a.base_capacity ?? 8);
        add(
          r,
          rpu * p.redshiftRpuHour * usage.redshiftHoursPerMonth,
          `${rpu} RPU × ${usage.redshiftHoursPerMonth} busy hours`,
        );
        break;
      }
      case 'aws_nat_gateway':
        add(r, (p.natGatewayHour + p.natGatewayGb * (usage.natGb / hours)) * hours, `always on, ${usage.natGb} GB`);
        break;
      case 'aws_eip':
        add(r, p.publicIpv4Hour * hours, 'public IPv4 address');
        break;
      case 'aws_lb':
        add(r, (p.loadBalancerHour + p.loadBalancerLcuHour) * hours, 'always on, 1 LCU');
        break;
      case 'aws_kinesis_stream':
        add(
          r,
          p.kinesisOnDemandStreamHour * hours + p.kinesisOnDemandIngestGb * usage.streamGb,
          `on-demand, ${usage.streamGb} GB in`,
        );
        break;
      case 'aws_s3_bucket': {
        const lake = String(a.bucket).endsWith('-lake');
        const gb = lake ? usage.lakeGb : usage.lakeGb / 20 / Math.max(buckets - 1, 1);
        add(r, gb * p.s3StandardGbMonth, `${Math.round(gb)} GB stored`);
        break;
      }
      case 'aws_cloudfront_distribution':
        add(r, usage.cdnGb * p.cloudfrontGb, `${usage.cdnGb} GB served`);
        break;
      case 'aws_cloudwatch_log_group':
        add(r, (usage.logsGb / 3) * p.logsIngestGb, `${Math.round(usage.logsGb / 3)} GB of logs`);
        break;
      case 'aws_kms_key':
        add(r, p.kmsKeyMonth, 'one key');
        break;
      case 'aws_secretsmanager_secret':
        add(r, p.secretMonth, 'one secret');
        break;
      case 'aws_cloudwatch_metric_alarm':
        add(r, p.alarmMonth, 'one alarm');
        break;
      case 'aws_cloudwatch_log_metric_filter':
        add(r, p.customMetricMonth, 'one custom metric');
        break;
      case 'aws_cloudwatch_dashboard':
        add(r, p.dashboardMonth, 'one dashboard');
        break;
      case 'aws_cognito_user_pool':
        add(r, 0, 'free up to 10,000 monthly active users');
        break;
      default:
        if (!FREE.has(r.type)) throw new Error(`no price rule for ${r.type}: add one (or list it as free) in cost.ts`);
    }
  }
  // Aurora storage is billed per cluster.
  for (const r of resources.filter((x) => x.type === 'aws_rds_cluster'))
    add(r, usage.databaseGb * p.auroraStorageGbMonth, `${usage.databaseGb} GB stored`);
  lines.sort((x, y) => y.monthly - x.monthly);
  const total = lines.reduce((sum, line) => sum + line.monthly, 0);
  const assumptions = `AWS list prices of ${p.asOf} (${p.region}, on-demand, ${p.currency}); usage assumed for ${deployment.env}: ${JSON.stringify(usage)}`;
  return { lines, total, assumptions };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      cloud: { type: 'string' },
      env: { type: 'string' },
      pattern: { type: 'string' },
      client: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const deployment = deploymentFromEnv({
    LIVORA_CLOUD: values.cloud,
    LIVORA_ENV: values.env,
    LIVORA_PATTERN: values.pattern,
    LIVORA_CLIENT: values.client,
  });
  const { lines, total, assumptions } = estimate(deployment);
  if (values.json) console.log(JSON.stringify({ deployment, lines, total, assumptions }, null, 2));
  else {
    const money = (n: number) => `$${n.toFixed(2)}`.padStart(10);
    console.log(`Livora ${deployment.cloud} ${deployment.env}, pattern ${deployment.pattern}: monthly estimate\n`);
    for (const line of lines.filter((l) => l.monthly > 0))
      console.log(`${money(line.monthly)}  ${line.address}  (${line.basis})`);
    console.log(`\n${money(total)}  total per month`);
    console.log(`\n${assumptions}`);
  }
}
