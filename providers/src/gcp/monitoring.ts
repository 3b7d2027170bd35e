import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import type { Watched } from '../platform.ts';
import type { GcpEventStream } from './stream.ts';

interface Alert {
  readonly id: string;
  readonly description: string;
  readonly filter: string;
  readonly aligner: string;
  readonly threshold: number;
}

/**
 * Alert policies ops are paged for (API server errors and p99 latency on Cloud Run, the
 * pipeline subscription's oldest unacknowledged message, dead-lettered messages) and one
 * dashboard with the same charts.
 */
export class GcpMonitoring extends Construct {
  constructor(scope: Construct, id: string, deployment: Deployment, watch: Watched) {
    super(scope, id);
    // Dead letters, counted from the pipeline's `events dead-lettered` log lines.
    const deadLettersMetric = `livora-${deployment.client}-${deployment.env}-dead-letters`;
    const deadLetters = new LoggingMetric(this, 'dead-letters-count', {
      name: deadLettersMetric,
      filter: `resource.type = "cloud_run_worker_pool" AND resource.labels.worker_pool_name = "${watch.pipeline.logs}" AND jsonPayload.dead_letters > 0`,
      valueExtractor: 'EXTRACT(jsonPayload.dead_letters)',
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
    });
    const stream = watch.stream as GcpEventStream;
    const run = `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${watch.api.metricsId}"`;
    const alerts: Alert[] = [
      {
        id: 'api-errors',
        description: 'The API answered more than 10 server errors in 5 minutes',
        filter: `${run} AND metric.type = "run.googleapis.com/request_count" AND metric.labels.response_code_class = "5xx"`,
        aligner: 'ALIGN_SUM',
        threshold: 10,
      },
      {
        id: 'api-latency',
        description: 'The API’s p99 latency is over 1 s',
        filter: `${run} AND metric.type = "run.googleapis.com/request_latencies"`,
        aligner: 'ALIGN_PERCENTILE_99',
        threshold: 1000,
      },
      {
        id: 'stream-lag',
        description: 'The pipeline is more than 5 minutes behind the event stream',
        filter: `resource.type = "pubsub_subscription" AND resource.labels.subscription_id = starts_with("${stream.subscriptionPrefix}") AND metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age"`,
        aligner: 'ALIGN_MAX',
        threshold: 300,
      },
      {
        id: 'dead-letters',
        description: 'Events were dead-lettered',
        filter: `resource.type = "cloud_run_worker_pool" AND metric.type = "logging.googleapis.com/user/${deadLettersMetric}"`,
        aligner: 'ALIGN_SUM',
        threshold: 0,
      },
      {
        id: 'undeliverable',
        description: 'Pub/Sub gave up delivering events to the pipeline (its dead-letter topic)',
        filter: `resource.type = "pubsub_topic" AND resource.labels.topic_id = "${stream.deadLetters}" AND metric.type = "pubsub.googleapis.com/topic/send_message_operation_count"`,
        aligner: 'ALIGN_SUM',
        threshold: 0,
      },
    ];
    for (const alert of alerts)
      new MonitoringAlertPolicy(this, alert.id, {
        displayName: `livora-${deployment.client}-${deployment.env}-${alert.id}`,
        combiner: 'OR',
        documentation: { content: alert.description, mimeType: 'text/markdown' },
        notificationChannels: watch.alerts.ids,
        dependsOn: [deadLetters],
        conditions: [
          {
            displayName: alert.description,
            conditionThreshold: {
              filter: alert.filter,
              comparison: 'COMPARISON_GT',
              thresholdValue: alert.threshold,
              duration: '0s',
              aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: alert.aligner }],
            },
          },
        ],
      });
    new MonitoringDashboard(this, 'dashboard', {
      dashboardJson: JSON.stringify({
        displayName: `Livora ${deployment.client} ${deployment.env}`,
        gridLayout: {
          columns: '2',
          widgets: alerts.map((alert) => ({
            title: alert.description,
            xyChart: {
              dataSets: [
                {
                  timeSeriesQuery: {
                    timeSeriesFilter: {
                      filter: alert.filter,
                      aggregation: { alignmentPeriod: '300s', perSeriesAligner: alert.aligner },
                    },
                  },
                },
              ],
            },
          })),
        },
      }),
    });
  }
}
