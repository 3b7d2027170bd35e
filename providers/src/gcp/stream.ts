import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription/index.js';
import { PubsubSubscriptionIamMember } from '@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic/index.js';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey, EventStreamResource } from '../platform.ts';

/** Partitions of the log on Pub/Sub: the engine's LIVORA_STREAM_PARTITIONS must say the same. */
export const PUBSUB_PARTITIONS = 8;

/**
 * The event log: a Pub/Sub topic (24 hours of retention, the deployment's key) and, as the
 * engine's Pub/Sub adapter reads it, one ordered subscription per partition for the
 * pipeline (`<topic>-pipeline-<n>`, filtered on the `partition` attribute), each sending
 * messages delivered 10 times without acknowledgement to a dead-letter topic. Pub/Sub's
 * own service agent forwards them: it may publish to that topic and acknowledge on the
 * subscriptions, or nothing is ever dead-lettered.
 */
export class GcpEventStream extends Construct implements EventStreamResource {
  readonly name: string;
  /** The pipeline's subscriptions' common prefix. */
  readonly subscriptionPrefix: string;
  readonly subscriptions: string[];
  readonly deadLetters: string;

  constructor(scope: Construct, id: string, deployment: Deployment, key: EncryptionKey) {
    super(scope, id);
    const day = `${24 * 3600}s`;
    const topic = new PubsubTopic(this, 'events', {
      name: resourceName(deployment, 'events', { max: 255 }),
      kmsKeyName: key.id,
      messageRetentionDuration: day,
    });
    const dead = new PubsubTopic(this, 'dead-letters', {
      name: resourceName(deployment, 'events-dead-letters', { max: 255 }),
      kmsKeyName: key.id,
      messageRetentionDuration: `${7 * 24 * 3600}s`,
    });
    const project = new DataGoogleProject(this, 'project');
    const agent = `serviceAccount:service-${project.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    new PubsubTopicIamMember(this, 'dead-letters-publisher', {
      topic: dead.id,
      role: 'roles/pubsub.publisher',
      member: agent,
    });
    this.name = resourceName(deployment, 'events', { max: 255 });
    this.subscriptionPrefix = `${this.name}-pipeline-`;
    this.subscriptions = Array.from({ length: PUBSUB_PARTITIONS }, (_, partition) => {
      const subscription = new PubsubSubscription(this, `pipeline-${partition}`, {
        name: `${this.subscriptionPrefix}${partition}`,
        topic: topic.id,
        filter: `attributes.partition = "${partition}"`,
        enableMessageOrdering: true,
        ackDeadlineSeconds: 60,
        messageRetentionDuration: day,
        deadLetterPolicy: { deadLetterTopic: dead.id, maxDeliveryAttempts: 10 },
        retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
        expirationPolicy: { ttl: '' },
      });
      new PubsubSubscriptionIamMember(this, `pipeline-${partition}-forwarder`, {
        subscription: subscription.id,
        role: 'roles/pubsub.subscriber',
        member: agent,
      });
      return subscription.name;
    });
    this.deadLetters = dead.name;
  }
}
