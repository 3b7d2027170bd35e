/**
 * AWS list prices Livora's estimates use: on-demand, USD, region eu-west-1 (Ireland), as
 * read from AWS's public pricing pages on the date below. Prices change: update the table
 * and its date together, and check a quote against the AWS Pricing Calculator.
 */
export const AWS_PRICES = {
  asOf: '2026-11-01',
  region: 'eu-west-1',
  currency: 'USD',
  fargate: { vcpuHour: 0.04048, gbHour: 0.004445 },
  auroraInstanceHour: { 'db.t4g.medium': 0.088, 'db.r7g.large': 0.294, 'db.r7g.xlarge': 0.588 } as Record<
    string,
    number
  >,
  auroraStorageGbMonth: 0.11,
  cacheNodeHour: { 'cache.t4g.micro': 0.018, 'cache.t4g.medium': 0.073, 'cache.r7g.large': 0.241 } as Record<
    string,
    number
  >,
  redshiftRpuHour: 0.375,
  natGatewayHour: 0.048,
  natGatewayGb: 0.048,
  loadBalancerHour: 0.0252,
  loadBalancerLcuHour: 0.008,
  publicIpv4Hour: 0.005,
  kinesisOnDemandStreamHour: 0.04,
  kinesisOnDemandIngestGb: 0.08,
  s3StandardGbMonth: 0.023,
  cloudfrontGb: 0.085,
  logsIngestGb: 0.57,
  kmsKeyMonth: 1,
  secretMonth: 0.4,
  alarmMonth: 0.1,
  customMetricMonth: 0.3,
  dashboardMonth: 3,
} as const;
