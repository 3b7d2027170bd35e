import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Fn, Op, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { AlertChannel, EncryptionKey } from '../platform.ts';

/**
 * Where alarms go: an SNS topic encrypted with the deployment's key. PagerDuty-ready: give
 * the `pagerduty_endpoint` variable the integration URL of a PagerDuty "Amazon
 * CloudWatch" service and the topic delivers to it (no subscription without one).
 */
export class AwsAlertChannel extends Construct implements AlertChannel {
  readonly ids: string[];

  constructor(scope: Construct, id: string, deployment: Deployment, key: EncryptionKey) {
    super(scope, id);
    const topic = new SnsTopic(this, 'topic', {
      name: resourceName(deployment, 'alerts', { max: 256 }),
      kmsMasterKeyId: key.id,
    });
    const endpoint = new TerraformVariable(this, 'pagerduty_endpoint', {
      type: 'string',
      default: '',
      description: 'PagerDuty integration URL for alarms (an Amazon CloudWatch integration); empty: none',
    });
    endpoint.overrideLogicalId('pagerduty_endpoint');
    new SnsTopicSubscription(this, 'pagerduty', {
      topicArn: topic.arn,
      protocol: 'https',
      endpoint: endpoint.stringValue,
      endpointAutoConfirms: true,
      count: Token.asNumber(Fn.conditional(Op.eq(endpoint.stringValue, ''), 0, 1)),
    });
    this.ids = [topic.arn];
  }
}
