import { PubSub } from '@google-cloud/pubsub';
import { pubSubSubscriptions } from './pubsub-event-stream.ts';

const ALREADY_EXISTS = 6; // gRPC status code

/**
 * Creates the topic and a consumer group's per-partition subscriptions where they are
 * missing. For the emulator and tests: in Google Cloud, the stacks create them (with IAM).
 */
export async function createPubSubTopology(options: {
  projectId: string;
  topic: string;
  consumerGroup: string;
  partitions: number;
  emulatorHost?: string;
}): Promise<void> {
  const admin = new PubSub({
    projectId: options.projectId,
    ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, emulatorMode: true } : {}),
  });
  const exists = (error: unknown) => (error as { code?: number }).code === ALREADY_EXISTS;
  try {
    await admin.createTopic(options.topic).catch((error) => {
      if (!exists(error)) throw error;
    });
    const topic = admin.topic(options.topic);
    for (const { name, ...settings } of pubSubSubscriptions(options.topic, options.consumerGroup, options.partitions)) {
      await topic.createSubscription(name, settings).catch((error) => {
        if (!exists(error)) throw error;
      });
    }
  } finally {
    await admin.close();
  }
}
