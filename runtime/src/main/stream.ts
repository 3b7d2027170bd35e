import { createPostgresCheckpointStore, openPostgresEventStream } from '@livora/adapters/local';
import type { EventStream } from '@livora/adapters/ports';
import type pg from 'pg';
import type { Config } from '../config/schema.ts';
import { CONSUMER_GROUP } from '../pipeline/consumer/partition-worker.ts';

/** The event log chosen by configuration: the local log in PostgreSQL, Kinesis, Pub/Sub or Event Hubs. */
export async function openEventStream(config: Config, pool: pg.Pool): Promise<EventStream> {
  const checkpoints = createPostgresCheckpointStore(pool);
  switch (config.stream.kind) {
    case 'aws': {
      // Loaded only when chosen: the AWS SDK costs start-up time and memory.
      const { openKinesisEventStream } = await import('@livora/adapters/aws');
      return openKinesisEventStream({
        streamName: config.stream.kinesisStream,
        region: config.stream.awsRegion,
        ...(config.stream.kinesisEndpoint ? { endpoint: config.stream.kinesisEndpoint } : {}),
        checkpoints,
      });
    }
    case 'gcp': {
      const { createPubSubTopology, openPubSubEventStream } = await import('@livora/adapters/gcp');
      const options = {
        projectId: config.stream.gcpProject ?? 'livora-local', // set unless an emulator is (loadConfig checks)
        topic: config.stream.pubsubTopic,
        partitions: config.stream.partitions,
        consumerGroup: CONSUMER_GROUP,
        ...(config.stream.pubsubEmulatorHost ? { emulatorHost: config.stream.pubsubEmulatorHost } : {}),
      };
      // An emulator starts empty; in Google Cloud the stacks create the topic and subscriptions.
      if (options.emulatorHost) await createPubSubTopology(options);
      return openPubSubEventStream({ ...options, checkpoints });
    }
    case 'azure': {
      const { openEventHubsEventStream } = await import('@livora/adapters/azure');
      return openEventHubsEventStream({
        connectionString: config.stream.eventHubsConnectionString as string, // loadConfig checks it is set
        eventHubName: config.stream.eventHubName,
        checkpoints,
      });
    }
    case 'local':
      return openPostgresEventStream({ pool, checkpoints, partitions: config.stream.partitions });
  }
}

/** The event log in a few words, for the start-up banner. */
export function describeStream(config: Config): string {
  const { stream } = config;
  switch (stream.kind) {
    case 'aws':
      return `Kinesis stream ${stream.kinesisStream}`;
    case 'gcp':
      return `Pub/Sub topic ${stream.pubsubTopic}, ${stream.partitions} partitions${stream.pubsubEmulatorHost ? ` (emulator ${stream.pubsubEmulatorHost})` : ''}`;
    case 'azure':
      return `Event Hubs hub ${stream.eventHubName}`;
    case 'local':
      return `PostgreSQL, ${stream.partitions} partitions`;
  }
}
