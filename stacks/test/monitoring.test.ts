import type { Deployment } from '@livora/providers';
import { describe, expect, it } from 'vitest';
import { resourcesOf, synthesize } from '../src/synthesize.ts';
import { attr, ofType } from './policy-support.ts';

const deployment = (cloud: Deployment['cloud'], region: string): Deployment => ({
  client: 'acme',
  cloud,
  env: 'staging',
  pattern: 'B',
  region,
});
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

// What ops watch on every cloud: API errors and latency, stream lag, dead letters; each
// alert goes to the PagerDuty-ready channel, and one dashboard charts them.
describe('monitoring, on each cloud', () => {
  it('AWS: CloudWatch alarms on the four signals, to the alert topic when they fire and clear, and a dashboard of them', () => {
    const resources = resourcesOf(synthesize(deployment('aws', 'eu-west-1')));
    const alarms = ofType(resources, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => attr(a, 'metric_name')).sort()).toEqual([
      'DeadLetters',
      'GetRecords.IteratorAgeMilliseconds',
      'HTTPCode_Target_5XX_Count',
      'TargetResponseTime',
    ]);
    for (const alarm of alarms) {
      expect(text(attr(alarm, 'alarm_actions')), String(attr(alarm, 'metric_name'))).toMatch(/sns_topic/);
      expect(text(attr(alarm, 'ok_actions'))).toMatch(/sns_topic/);
    }
    const [filter] = ofType(resources, 'aws_cloudwatch_log_metric_filter');
    expect(attr(filter, 'pattern')).toBe('{ $.dead_letters > 0 }');
    const [dashboard] = ofType(resources, 'aws_cloudwatch_dashboard');
    for (const metric of ['DeadLetters', 'IteratorAgeMilliseconds', 'HTTPCode_Target_5XX_Count', 'TargetResponseTime'])
      expect(text(attr(dashboard, 'dashboard_body'))).toContain(metric);
  });

  it('GCP: alert policies on the four signals, to the PagerDuty channel, and a dashboard of them', () => {
    const resources = resourcesOf(synthesize({ ...deployment('gcp', 'europe-west1'), account: 'acme-livora' }));
    const policies = ofType(resources, 'google_monitoring_alert_policy');
    expect(policies).toHaveLength(5); // and Pub/Sub giving up on deliveries (its dead-letter topic)
    const conditions = policies.map((p) => text(attr(p, 'conditions'))).join('\n');
    for (const metric of [
      'run.googleapis.com/request_count',
      'run.googleapis.com/request_latencies',
      'oldest_unacked_message_age',
      'dead-letters',
      'send_message_operation_count',
    ])
      expect(conditions).toContain(metric);
    for (const policy of policies) expect(text(attr(policy, 'notification_channels'))).toMatch(/notification_channel/);
    expect(ofType(resources, 'google_logging_metric')).toHaveLength(1);
    const [dashboard] = ofType(resources, 'google_monitoring_dashboard');
    expect(JSON.parse(String(attr(dashboard, 'dashboard_json'))).gridLayout.widgets).toHaveLength(5);
  });

  it('Azure: alerts on the four signals, to the action group, and a portal dashboard charting them', () => {
    const resources = resourcesOf(synthesize({ ...deployment('azure', 'westeurope'), account: 'subscription-id' }));
    const metricAlerts = ofType(resources, 'azurerm_monitor_metric_alert');
    const metrics = metricAlerts.flatMap((a) =>
      (attr(a, 'criteria') as { metric_name: string }[]).map((c) => c.metric_name),
    );
    expect(metrics.sort()).toEqual(['IncomingMessages', 'OutgoingMessages', 'Requests', 'ResponseTime']);
    const [deadLetters] = ofType(resources, 'azurerm_monitor_scheduled_query_rules_alert_v2');
    const query = (attr(deadLetters, 'criteria') as { query: string }[])[0]?.query;
    expect(query).toContain("Log_s has 'dead_letters'");
    for (const alert of metricAlerts) expect(text(attr(alert, 'action'))).toMatch(/monitor_action_group/);
    expect(text(attr(deadLetters, 'action'))).toMatch(/monitor_action_group/);

    const [dashboard] = ofType(resources, 'azurerm_portal_dashboard');
    const properties = JSON.parse(String(attr(dashboard, 'dashboard_properties')));
    const parts = Object.values(properties.lenses['0'].parts) as { metadata: { type: string; inputs: unknown[] } }[];
    const charted = parts.flatMap((part) => {
      const options = part.metadata.inputs.find((i) => (i as { name: string }).name === 'options') as
        | { value: { chart: { metrics: { name: string; resourceMetadata: { id: string } }[] } } }
        | undefined;
      return options?.value.chart.metrics ?? [];
    });
    expect(charted.map((m) => m.name).sort()).toEqual([
      'IncomingMessages',
      'OutgoingMessages',
      'Requests',
      'ResponseTime',
    ]);
    for (const metric of charted) expect(metric.resourceMetadata.id).toMatch(/^\$\{.+\}$/); // the resources' ids, by reference
    const logs = parts.filter((p) => p.metadata.type.endsWith('LogsDashboardPart'));
    expect(text(logs[0]?.metadata.inputs)).toContain(query);
  });
});
