import { PortalDashboard } from '@cdktf/provider-azurerm/lib/portal-dashboard/index.js';
import type { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { AzureGroup } from './resource-group.ts';

/** A metric chart: one or more metrics of a resource. */
export interface MetricChart {
  readonly title: string;
  readonly resourceId: string;
  readonly namespace: string;
  readonly metrics: readonly { name: string; aggregation: 'Total' | 'Average' | 'Maximum' }[];
}

/** A chart of a Log Analytics query over the workspace. */
export interface LogChart {
  readonly title: string;
  readonly workspaceId: string;
  readonly query: string;
}

// The portal's numbering of aggregations in a chart part.
const AGGREGATION = { Total: 1, Maximum: 3, Average: 4 } as const;
const WIDTH = 6;
const HEIGHT = 4;

/**
 * One Azure portal dashboard (Microsoft's dashboard JSON: a lens of parts, two per row):
 * metric charts (MonitorChartPart) and Log Analytics query charts (LogsDashboardPart),
 * over the last 24 hours.
 */
export function azureDashboard(
  scope: Construct,
  deployment: Deployment,
  group: AzureGroup,
  charts: { metrics: readonly MetricChart[]; logs: readonly LogChart[] },
): PortalDashboard {
  const parts = [...charts.metrics.map(metricPart), ...charts.logs.map(logPart)];
  const lens = Object.fromEntries(
    parts.map((metadata, i) => [
      String(i),
      { position: { x: (i % 2) * WIDTH, y: Math.floor(i / 2) * HEIGHT, colSpan: WIDTH, rowSpan: HEIGHT }, metadata },
    ]),
  );
  return new PortalDashboard(scope, 'dashboard', {
    name: resourceName(deployment, 'dashboard', { max: 160 }),
    resourceGroupName: group.name,
    location: group.location,
    dashboardProperties: JSON.stringify({
      lenses: { '0': { order: 0, parts: lens } },
      metadata: {
        model: {
          timeRange: {
            value: { relative: { duration: 24, timeUnit: 1 } },
            type: 'MsPortalFx.Composition.Configuration.ValueTypes.TimeRange',
          },
        },
      },
    }),
  });
}

function metricPart(chart: MetricChart) {
  return {
    type: 'Extension/HubsExtension/PartType/MonitorChartPart',
    inputs: [
      {
        name: 'options',
        value: {
          chart: {
            title: chart.title,
            titleKind: 2,
            visualization: { chartType: 2 },
            metrics: chart.metrics.map((m) => ({
              resourceMetadata: { id: chart.resourceId },
              name: m.name,
              aggregationType: AGGREGATION[m.aggregation],
              namespace: chart.namespace.toLowerCase(),
              metricVisualization: { displayName: m.name },
            })),
          },
        },
      },
      { name: 'sharedTimeRange', isOptional: true },
    ],
    settings: {},
  };
}

function logPart(chart: LogChart) {
  return {
    type: 'Extension/Microsoft_OperationsManagementSuite_Workspace/PartType/LogsDashboardPart',
    inputs: [
      { name: 'resourceTypeMode', value: 'workspace' },
      { name: 'ComponentId', value: chart.workspaceId },
      { name: 'Scope', value: { resourceIds: [chart.workspaceId] } },
      { name: 'Query', value: chart.query },
      { name: 'TimeRange', value: 'P1D' },
      { name: 'PartTitle', value: chart.title },
      { name: 'Version', value: '2.0' },
    ],
    settings: {},
  };
}
