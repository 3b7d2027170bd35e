import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel/index.js';
import { Fn, Op, propertyAccess, ref, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import type { AlertChannel, EncryptionKey } from '../platform.ts';

/**
 * Where alerts go: a PagerDuty notification channel, its service key a sensitive variable
 * (`pagerduty_service_key`, never in the Terraform); none while the variable is empty.
 */
export class GcpAlertChannel extends Construct implements AlertChannel {
  readonly ids: string[];

  constructor(scope: Construct, id: string, deployment: Deployment, _key: EncryptionKey) {
    super(scope, id);
    const serviceKey = new TerraformVariable(this, 'pagerduty_service_key', {
      type: 'string',
      default: '',
      sensitive: true,
      description: 'PagerDuty integration key for alerts (an Events API v2 integration); empty: none',
    });
    serviceKey.overrideLogicalId('pagerduty_service_key');
    const channel = new MonitoringNotificationChannel(this, 'pagerduty', {
      displayName: `Livora ${deployment.client} ${deployment.env}`,
      type: 'pagerduty',
      sensitiveLabels: { serviceKey: serviceKey.stringValue },
      count: Token.asNumber(Fn.conditional(Op.eq(serviceKey.stringValue, ''), 0, 1)),
    });
    // Every channel made (none while the key is empty).
    this.ids = Token.asList(propertyAccess(ref(channel.fqn), ['*', 'id']));
  }
}
