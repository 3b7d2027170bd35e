import { DataAzurermSubscription } from '@cdktf/provider-azurerm/lib/data-azurerm-subscription/index.js';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { AzurePlace } from './resource-group.ts';

/** The Activity Log's categories exported: who changed what, security, policy and service health. */
const CATEGORIES = ['Administrative', 'Security', 'Policy', 'Alert', 'ServiceHealth', 'ResourceHealth'];

/**
 * The audit trail: the subscription's Activity Log exported to a Log Analytics workspace
 * kept for the profile's log retention (the containers' logs go there too).
 */
export class AzureAuditTrail extends Construct {
  readonly workspaceId: string;

  constructor(scope: Construct, id: string, at: AzurePlace) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const workspace = new LogAnalyticsWorkspace(this, 'logs', {
      name: resourceName(deployment, 'logs', { max: 63 }),
      location: group.location,
      resourceGroupName: group.name,
      sku: 'PerGB2018',
      retentionInDays: Math.max(30, Math.min(profile.logRetentionDays, 730)),
    });
    const subscription = new DataAzurermSubscription(this, 'subscription');
    new MonitorDiagnosticSetting(this, 'activity-log', {
      name: resourceName(deployment, 'activity-log', { max: 64 }),
      targetResourceId: subscription.id,
      logAnalyticsWorkspaceId: workspace.id,
      enabledLog: CATEGORIES.map((category) => ({ category })),
    });
    this.workspaceId = workspace.id;
  }
}
