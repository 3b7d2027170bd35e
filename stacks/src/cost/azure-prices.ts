/**
 * Azure list prices Livora's estimates use: pay-as-you-go, USD, region westeurope, as
 * read from Azure's public pricing pages on the date below. Prices change: update the
 * table and its date together, and check a quote against the Azure pricing calculator.
 */
export const AZURE_PRICES = {
  asOf: '2026-11-01',
  region: 'westeurope',
  currency: 'USD',
  /** Container Apps consumption plan, active rates (replicas kept running). */
  appsVcpuSecond: 0.000024,
  appsGibSecond: 0.000003,
  postgresHour: { B_Standard_B2s: 0.068, GP_Standard_D2ds_v5: 0.178, GP_Standard_D4ds_v5: 0.356 } as Record<
    string,
    number
  >,
  postgresStorageGbMonth: 0.138,
  redisHour: { Balanced_B0: 0.049, Balanced_B1: 0.098, Balanced_B5: 0.43 } as Record<string, number>,
  eventHubsPremiumUnitHour: 1.003,
  storageGbMonth: { LRS: 0.0208, ZRS: 0.026, GZRS: 0.0468 } as Record<string, number>,
  synapseHour: { DW100c: 1.2, DW200c: 2.4, DW500c: 6 } as Record<string, number>,
  keyVaultHsmKeyMonth: 1,
  logAnalyticsGb: 2.76,
  frontDoorPremiumMonth: 330,
  frontDoorGb: 0.09,
  natGatewayHour: 0.045,
  natGb: 0.045,
  publicIpHour: 0.005,
  metricAlertMonth: 0.1,
  logAlertMonth: 1.5,
} as const;
