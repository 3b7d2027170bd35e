import type { SynthesizedResource } from '../synthesize.ts';
import { AZURE_PRICES } from './azure-prices.ts';
import { type CostLine, pricer } from './lines.ts';
import { HOURS_PER_MONTH, type Usage } from './usage.ts';

/** Azure resource types with no fixed monthly cost. */
const FREE = new Set([
  'azuread_application',
  'azurerm_cdn_frontdoor_endpoint',
  'azurerm_cdn_frontdoor_origin',
  'azurerm_cdn_frontdoor_origin_group',
  'azurerm_cdn_frontdoor_route',
  'azurerm_container_app_environment',
  'azurerm_eventhub',
  'azurerm_eventhub_namespace_customer_managed_key',
  'azurerm_key_vault',
  'azurerm_key_vault_secret',
  'azurerm_management_lock',
  'azurerm_monitor_action_group',
  'azurerm_monitor_diagnostic_setting',
  'azurerm_nat_gateway_public_ip_association',
  'azurerm_network_security_group',
  'azurerm_portal_dashboard',
  'azurerm_postgresql_flexible_server_database',
  'azurerm_private_dns_zone_virtual_network_link',
  'azurerm_resource_group',
  'azurerm_role_assignment',
  'azurerm_storage_container',
  'azurerm_storage_data_lake_gen2_filesystem',
  'azurerm_storage_management_policy',
  'azurerm_subnet',
  'azurerm_subnet_nat_gateway_association',
  'azurerm_subnet_network_security_group_association',
  'azurerm_synapse_workspace',
  'azurerm_synapse_workspace_aad_admin',
  'azurerm_user_assigned_identity',
  'azurerm_virtual_network',
  'random_password',
]);

/** Monthly cost lines of an Azure deployment's resources. */
export function azureLines(resources: readonly SynthesizedResource[], usage: Usage): CostLine[] {
  const p = AZURE_PRICES;
  const hours = HOURS_PER_MONTH;
  const { lines, add, free } = pricer(FREE, 'Azure');
  const field = (r: SynthesizedResource, name: string) => r.attributes[name] as Record<string, unknown> | undefined;
  const accounts = resources.filter((r) => r.type === 'azurerm_storage_account').length;
  for (const r of resources) {
    const a = r.attributes;
    switch (r.type) {
      case 'azurerm_container_app': {
        const template = field(r, 'template') ?? {};
        const min = Number(template.min_replicas ?? 1);
        const container = (template.container as { cpu: number; memory: string }[])[0];
        const cpu = Number(container?.cpu ?? 0.5);
        const gib = Number.parseFloat(container?.memory ?? '1');
        add(
          r,
          min * (cpu * p.appsVcpuSecond + gib * p.appsGibSecond) * hours * 3600,
          `${min} × ${cpu} vCPU / ${gib} GiB, always on`,
        );
        break;
      }
      case 'azurerm_postgresql_flexible_server': {
        const ha = field(r, 'high_availability') ? 2 : 1;
        const rate = p.postgresHour[String(a.sku_name)] ?? Number.NaN;
        add(
          r,
          rate * hours * ha + usage.databaseGb * p.postgresStorageGbMonth * ha,
          `${a.sku_name}${ha === 2 ? ', zone-redundant HA' : ''}`,
        );
        break;
      }
      case 'azurerm_managed_redis':
        add(r, (p.redisHour[String(a.sku_name)] ?? Number.NaN) * hours, String(a.sku_name));
        break;
      case 'azurerm_eventhub_namespace':
        add(r, Number(a.capacity ?? 1) * p.eventHubsPremiumUnitHour * hours, `Premium, ${a.capacity} processing unit`);
        break;
      case 'azurerm_storage_account': {
        const lake = Boolean(a.is_hns_enabled);
        const gb = lake ? usage.lakeGb : usage.lakeGb / 20 / Math.max(accounts - 1, 1);
        add(
          r,
          gb * (p.storageGbMonth[String(a.account_replication_type)] ?? Number.NaN),
          `${Math.round(gb)} GB ${a.account_replication_type}`,
        );
        break;
      }
      case 'azurerm_synapse_sql_pool':
        add(
          r,
          (p.synapseHour[String(a.sku_name)] ?? Number.NaN) * usage.warehouseHoursPerMonth,
          `${a.sku_name} × ${usage.warehouseHoursPerMonth} running hours (paused otherwise)`,
        );
        break;
      case 'azurerm_key_vault_key':
        add(r, p.keyVaultHsmKeyMonth, 'one HSM key');
        break;
      case 'azurerm_log_analytics_workspace':
        add(r, usage.logsGb * p.logAnalyticsGb, `${usage.logsGb} GB of logs`);
        break;
      case 'azurerm_cdn_frontdoor_profile':
        add(r, p.frontDoorPremiumMonth + usage.cdnGb * p.frontDoorGb, `Premium, ${usage.cdnGb} GB served`);
        break;
      case 'azurerm_nat_gateway':
        add(r, p.natGatewayHour * hours + p.natGb * usage.natGb, `always on, ${usage.natGb} GB`);
        break;
      case 'azurerm_public_ip':
        add(r, p.publicIpHour * hours, 'static public IP');
        break;
      case 'azurerm_monitor_metric_alert':
        add(r, p.metricAlertMonth * ((a.criteria as unknown[] | undefined)?.length ?? 1), 'metric alert');
        break;
      case 'azurerm_monitor_scheduled_query_rules_alert_v2':
        add(r, p.logAlertMonth, 'log alert, every 5 minutes');
        break;
      case 'azurerm_private_endpoint':
        add(r, 0.01 * hours, 'one private endpoint');
        break;
      case 'azurerm_private_dns_zone':
        add(r, 0.5, 'one private DNS zone');
        break;
      default:
        free(r);
    }
  }
  return lines;
}

export const AZURE_SOURCE = `Azure list prices of ${AZURE_PRICES.asOf} (${AZURE_PRICES.region}, pay-as-you-go, ${AZURE_PRICES.currency})`;
