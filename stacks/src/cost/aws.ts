import type { SynthesizedResource } from '../synthesize.ts';
import { AWS_PRICES } from './aws-prices.ts';
import { type CostLine, pricer, referencedBy } from './lines.ts';
import { HOURS_PER_MONTH, type Usage } from './usage.ts';

/** AWS resource types with no fixed monthly cost (free, or billed only by requests too small to count). */
const FREE = new Set([
  'aws_cognito_user_group',
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
  'aws_vpc_endpoint',
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
  'aws_cloudtrail',
]);

/** Monthly cost lines of an AWS deployment's resources. */
export function awsLines(resources: readonly SynthesizedResource[], usage: Usage): CostLine[] {
  const p = AWS_PRICES;
  const hours = HOURS_PER_MONTH;
  const { lines, add, free } = pricer(FREE, 'AWS');
  const buckets = resources.filter((r) => r.type === 'aws_s3_bucket').length;
  for (const r of resources) {
    const a = r.attributes;
    switch (r.type) {
      case 'aws_ecs_service': {
        const task = referencedBy(resources, a.task_definition, 'aws_ecs_task_definition')?.attributes;
        const cpu = Number(task?.cpu ?? 0) / 1024;
        const gb = Number(task?.memory ?? 0) / 1024;
        const count = Number(a.desired_count ?? 1);
        const monthly = count * (cpu * p.fargate.vcpuHour + gb * p.fargate.gbHour) * hours;
        add(r, monthly, `${count} × Fargate ${cpu} vCPU / ${gb} GB, always on (autoscaling adds more)`);
        break;
      }
      case 'aws_rds_cluster_instance':
        add(
          r,
          (p.auroraInstanceHour[String(a.instance_class)] ?? Number.NaN) * hours,
          `${a.instance_class}, always on`,
        );
        break;
      case 'aws_rds_cluster':
        add(r, usage.databaseGb * p.auroraStorageGbMonth, `${usage.databaseGb} GB stored`);
        break;
      case 'aws_elasticache_replication_group': {
        const nodes = Number(a.num_cache_clusters ?? 1);
        add(r, nodes * (p.cacheNodeHour[String(a.node_type)] ?? Number.NaN) * hours, `${nodes} × ${a.node_type}`);
        break;
      }
      case 'aws_redshiftserverless_workgroup': {
        const rpu = Number(a.base_capacity ?? 8);
        add(
          r,
          rpu * p.redshiftRpuHour * usage.warehouseHoursPerMonth,
          `${rpu} RPU × ${usage.warehouseHoursPerMonth} busy hours`,
        );
        break;
      }
      case 'aws_nat_gateway':
        add(r, p.natGatewayHour * hours + p.natGatewayGb * usage.natGb, `always on, ${usage.natGb} GB`);
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
        const gb = String(a.bucket).endsWith('-lake') ? usage.lakeGb : usage.lakeGb / 20 / Math.max(buckets - 1, 1);
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
        free(r);
    }
  }
  return lines;
}

export const AWS_SOURCE = `AWS list prices of ${AWS_PRICES.asOf} (${AWS_PRICES.region}, on-demand, ${AWS_PRICES.currency})`;
