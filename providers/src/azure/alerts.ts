import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group/index.js';
import { Fn, Op, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import type { AlertChannel } from '../platform.ts';
import type { AzureGroup } from './resource-group.ts';

/**
 * Where alerts go: an action group calling PagerDuty's webhook (`pagerduty_endpoint`, a
 * sensitive variable); disabled while the variable is empty.
 */
export class AzureAlertChannel extends Construct implements AlertChannel {
  readonly ids: string[];

  constructor(scope: Construct, id: string, deployment: Deployment, group: AzureGroup) {
    super(scope, id);
    const endpoint = new TerraformVariable(this, 'pagerduty_endpoint', {
      type: 'string',
      default: '',
      sensitive: true,
      description: 'PagerDuty integration URL for alerts (an Azure Monitor integration); empty: alerts notify no one',
    });
    endpoint.overrideLogicalId('pagerduty_endpoint');
    const none = Op.eq(endpoint.stringValue, '');
    const actions = new MonitorActionGroup(this, 'group', {
      name: `livora-${deployment.client}-${deployment.env}`,
      shortName: 'livora',
      resourceGroupName: group.name,
      enabled: Op.not(none),
      webhookReceiver: [
        {
          name: 'pagerduty',
          serviceUri: Token.asString(Fn.conditional(none, 'https://events.pagerduty.com/', endpoint.stringValue)),
          useCommonAlertSchema: true,
        },
      ],
    });
    this.ids = [actions.id];
  }
}
