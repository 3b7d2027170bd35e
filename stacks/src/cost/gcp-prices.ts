/**
 * Google Cloud list prices Livora's estimates use: on-demand, USD, region europe-west1
 * (Belgium), as read from Google's public pricing pages on the date below. Prices change:
 * update the table and its date together, and check a quote against Google's calculator.
 */
export const GCP_PRICES = {
  asOf: '2026-11-01',
  region: 'europe-west1',
  currency: 'USD',
  /** Cloud Run, instance-based billing (CPU always allocated). */
  runVcpuSecond: 0.000018,
  runGibSecond: 0.000002,
  /** Cloud SQL Enterprise, per vCPU and GB of memory (doubled for regional HA). */
  sqlVcpuHour: 0.0413,
  sqlMemoryGbHour: 0.007,
  sqlSsdGbMonth: 0.17,
  /** Memorystore for Redis, per GB provisioned (M1 capacity tier). */
  redisBasicGbHour: 0.049,
  redisStandardGbHour: 0.064,
  pubsubTib: 40,
  gcsStandardGbMonth: 0.02,
  bigqueryActiveStorageGbMonth: 0.02,
  /** BigQuery on-demand analysis, per TiB scanned: warehouse hours stand in for how busy it is (1 TiB per 40 hours). */
  bigqueryTibScanned: 6.25,
  natGatewayHour: 0.0014,
  natGb: 0.045,
  forwardingRuleHour: 0.025,
  cdnGb: 0.08,
  kmsKeyVersionMonth: 0.06,
  secretVersionMonth: 0.06,
  alertConditionMonth: 0.1,
  loggingGib: 0.5,
} as const;
