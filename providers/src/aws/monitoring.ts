import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter/index.js';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Watched } from '../platform.ts';

/** The namespace of metrics drawn from the engine's logs (dead letters), per deployment below it. */
export const LIVORA_METRICS_NAMESPACE = 'Livora';

interface Alarm {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Record<string, string>;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly threshold: number;
}

/**
 * A dashboard per environment and the alarms ops are paged for: API errors (target 5xx)
 * and latency (p99), the stream's lag (age of the oldest unread record) and dead letters
 * (the engine's `DeadLetters` metric). Alarms notify the alert channel when they fire and
 * when they clear.
 */
export class AwsMonitoring extends Construct {
  constructor(scope: Construct, id: string, deployment: Deployment, watch: Watched) {
    super(scope, id);
    // Dead letters, counted from the pipeline's `events dead-lettered` log lines.
    const namespace = `${LIVORA_METRICS_NAMESPACE}/${deployment.client}/${deployment.env}`;
    new CloudwatchLogMetricFilter(this, 'dead-letters-count', {
      name: resourceName(deployment, 'dead-letters', { max: 512 }),
      logGroupName: watch.pipeline.logs,
      pattern: '{ $.dead_letters > 0 }',
      metricTransformation: { name: 'DeadLetters', namespace, value: '$.dead_letters', unit: 'Count' },
    });
    const api = { LoadBalancer: watch.api.metricsId };
    const alarms: Alarm[] = [
      {
        id: 'api-errors',
        description: 'The API answered more than 10 server errors in 5 minutes',
        namespace: 'AWS/ApplicationELB',
        metric: 'HTTPCode_Target_5XX_Count',
        dimensions: api,
        statistic: 'Sum',
        threshold: 10,
      },
      {
        id: 'api-latency',
        description: 'The API’s p99 latency is over 1 s',
        namespace: 'AWS/ApplicationELB',
        metric: 'TargetResponseTime',
        dimensions: api,
        extendedStatistic: 'p99',
        threshold: 1,
      },
      {
        id: 'stream-lag',
        description: 'The pipeline is more than 5 minutes behind the event stream',
        namespace: 'AWS/Kinesis',
        metric: 'GetRecords.IteratorAgeMilliseconds',
        dimensions: { StreamName: watch.stream.name },
        statistic: 'Maximum',
        threshold: 300_000,
      },
      {
        id: 'dead-letters',
        description: 'Events were dead-lettered',
        namespace,
        metric: 'DeadLetters',
        dimensions: {},
        statistic: 'Sum',
        threshold: 0,
      },
    ];
    for (const alarm of alarms)
      new CloudwatchMetricAlarm(this, alarm.id, {
        alarmName: resourceName(deployment, alarm.id, { max: 255 }),
        alarmDescription: alarm.description,
        namespace: alarm.namespace,
        metricName: alarm.metric,
        dimensions: alarm.dimensions,
        ...(alarm.statistic ? { statistic: alarm.statistic } : {}),
        ...(alarm.extendedStatistic ? { extendedStatistic: alarm.extendedStatistic } : {}),
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: alarm.threshold,
        treatMissingData: 'notBreaching',
        alarmActions: watch.alerts.ids,
        okActions: watch.alerts.ids,
      });
    new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: resourceName(deployment, 'overview', { max: 255 }),
      dashboardBody: JSON.stringify({
        widgets: alarms.map((alarm, i) => ({
          type: 'metric',
          x: (i % 2) * 12,
          y: Math.floor(i / 2) * 6,
          width: 12,
          height: 6,
          properties: {
            title: alarm.description,
            region: deployment.region,
            stat: alarm.extendedStatistic ?? alarm.statistic,
            period: 300,
            metrics: [[alarm.namespace, alarm.metric, ...Object.entries(alarm.dimensions).flat()]],
          },
        })),
      }),
    });
  }
}
