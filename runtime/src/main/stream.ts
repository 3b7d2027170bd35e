import { createPostgresCheckpointStore, openPostgresEventStream } from '@livora/adapters/local';
import type { EventStream } from '@livora/adapters/ports';
import type pg from 'pg';
import type { Config } from '../config/schema.ts';

/** The event log chosen by configuration: the local log in PostgreSQL, or Kinesis. */
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
    case 'local':
      return openPostgresEventStream({ pool, checkpoints, partitions: config.stream.partitions });
  }
}
