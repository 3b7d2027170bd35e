import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert/index.js';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Watched } from '../platform.ts';
import { azureDashboard, type MetricChart } from './dashboard.ts';
import type { AzureGroup } from './resource-group.ts';
import type { AzureEventStream } from './stream.ts';

/**
 * Alerts ops are paged for: API server errors and average response time (Container Apps
 * metrics), the pipeline not reading while events arrive (Event Hubs has no consumer-lag
 * metric: incoming messages with none outgoing for 15 minutes), and dead letters (the
 * pipeline's `events dead-lettered` log lines, queried in the workspace); and a portal
 * dashboard charting the same.
 */
export class AzureMonitoring extends Construct {
  constructor(
    scope: Construct,
    id: string,
    deployment: Deployment,
    group: AzureGroup,
    watch: Watched & { workspaceId: string },
  ) {
    super(scope, id);
    const stream = watch.stream as AzureEventStream;
    const actions = watch.alerts.ids.map((actionGroupId) => ({ actionGroupId }));
    const alert = (
      name: string,
      description: string,
      resourceId: string,
      criteria: {
        metricNamespace: string;
        metricName: string;
        aggregation: MetricChart['metrics'][number]['aggregation'];
        operator: string;
        threshold: number;
        dimension?: { name: string; operator: string; values: string[] }[];
      }[],
      window = 'PT5M',
    ): MetricChart => {
      new MonitorMetricAlert(this, name, {
        name: resourceName(deployment, name, { max: 260 }),
        resourceGroupName: group.name,
        scopes: [resourceId],
        description,
        frequency: 'PT1M',
        windowSize: window,
        severity: 2,
        criteria,
        action: actions,
      });
      // Charted as alerted: the alert's resource and metrics.
      return {
        title: description,
        resourceId,
        namespace: criteria[0]?.metricNamespace ?? '',
        metrics: criteria.map((c) => ({ name: c.metricName, aggregation: c.aggregation })),
      };
    };
    const app = 'Microsoft.App/containerApps';
    const hubs = 'Microsoft.EventHub/namespaces';
    const charts = [
      alert('api-errors', 'The API answered more than 10 server errors in 5 minutes', watch.api.metricsId, [
        {
          metricNamespace: app,
          metricName: 'Requests',
          aggregation: 'Total',
          operator: 'GreaterThan',
          threshold: 10,
          dimension: [{ name: 'statusCodeCategory', operator: 'Include', values: ['5xx'] }],
        },
      ]),
      alert('api-latency', 'The API’s average response time is over 1 s', watch.api.metricsId, [
        {
          metricNamespace: app,
          metricName: 'ResponseTime',
          aggregation: 'Average',
          operator: 'GreaterThan',
          threshold: 1000,
        },
      ]),
      alert(
        'stream-lag',
        'Events arrive but the pipeline has read none for 15 minutes',
        stream.namespaceId,
        [
          {
            metricNamespace: hubs,
            metricName: 'IncomingMessages',
            aggregation: 'Total',
            operator: 'GreaterThan',
            threshold: 0,
          },
          {
            metricNamespace: hubs,
            metricName: 'OutgoingMessages',
            aggregation: 'Total',
            operator: 'LessThan',
            threshold: 1,
          },
        ],
        'PT15M',
      ),
    ];
    const deadLetters = `ContainerAppConsoleLogs_CL | where ContainerAppName_s == '${watch.pipeline.logs}' and Log_s has 'dead_letters'`;
    new MonitorScheduledQueryRulesAlertV2(this, 'dead-letters', {
      name: resourceName(deployment, 'dead-letters', { max: 260 }),
      resourceGroupName: group.name,
      location: group.location,
      scopes: [watch.workspaceId],
      description: 'Events were dead-lettered',
      severity: 2,
      evaluationFrequency: 'PT5M',
      windowDuration: 'PT5M',
      criteria: [
        {
          query: deadLetters,
          timeAggregationMethod: 'Count',
          operator: 'GreaterThan',
          threshold: 0,
        },
      ],
      action: { actionGroups: watch.alerts.ids },
    });
    azureDashboard(this, deployment, group, {
      metrics: charts,
      logs: [
        {
          title: 'Dead-lettered events',
          workspaceId: watch.workspaceId,
          query: `${deadLetters} | summarize batches = count() by bin(TimeGenerated, 5m) | render timechart`,
        },
      ],
    });
  }
}
