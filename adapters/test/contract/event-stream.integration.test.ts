import { CreateStreamCommand, KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe } from 'vitest';
import { openKinesisEventStream } from '../../src/aws/kinesis-event-stream.ts';
import { openEventHubsEventStream } from '../../src/azure/event-hubs-event-stream.ts';
import { openPubSubEventStream } from '../../src/gcp/pubsub-event-stream.ts';
import { createPubSubTopology } from '../../src/gcp/pubsub-topology.ts';
import { localAdapterMigrations } from '../../src/local/migrations.ts';
import { createPostgresCheckpointStore } from '../../src/local/postgres-checkpoint-store.ts';
import { openPostgresEventStream } from '../../src/local/postgres-event-stream.ts';
import type { EventStream } from '../../src/ports/event-stream.ts';
import { startFakeEventHubs } from '../support/fake-event-hubs.ts';
import { startKinesisEmulator } from '../support/kinesis-emulator.ts';
import { findPubSubEmulator, startPubSubEmulator } from '../support/pubsub-emulator.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { CONTRACT_READER_GROUP, eventStreamContract, type OpenedStream } from './event-stream.contract.ts';

// The same contract, against the real local log and against each cloud's stream: an
// emulator where one runs here, else (Event Hubs) a stand-in peer speaking its AMQP.

/** The contract's handle on a stream that `openStream` opens again on the same log. */
async function reopenable(
  openStream: () => EventStream | Promise<EventStream>,
  release: () => Promise<void>,
): Promise<OpenedStream> {
  let stream = await openStream();
  return {
    stream,
    async reopen() {
      await stream.close();
      stream = await openStream();
      return stream;
    },
    async close() {
      await stream.close();
      await release();
    },
  };
}

describe('local: PostgreSQL event log', () => {
  eventStreamContract(async () => {
    const db = await createTestDatabase(localAdapterMigrations);
    const checkpoints = createPostgresCheckpointStore(db.pool);
    return reopenable(
      () => openPostgresEventStream({ pool: db.pool, checkpoints, partitions: 4 }),
      () => db.drop(),
    );
  });
});

describe('aws: Kinesis (kinesis-local emulator)', () => {
  eventStreamContract(async () => {
    const emulator = await startKinesisEmulator();
    const db = await createTestDatabase(localAdapterMigrations);
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    process.env.AWS_ACCESS_KEY_ID ??= credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY ??= credentials.secretAccessKey;
    const admin = new KinesisClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    await admin.send(new CreateStreamCommand({ StreamName: 'contract', ShardCount: 4 }));
    await waitUntilStreamExists({ client: admin, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'contract' });
    admin.destroy();
    const checkpoints = createPostgresCheckpointStore(db.pool);
    return reopenable(
      () =>
        openKinesisEventStream({
          streamName: 'contract',
          region: 'us-east-1',
          endpoint: emulator.endpoint,
          checkpoints,
        }),
      async () => {
        await db.drop();
        await emulator.stop();
      },
    );
  });
});

const pubSubLauncher = findPubSubEmulator();
describe.skipIf(!pubSubLauncher)(
  `gcp: Pub/Sub (Google's emulator${pubSubLauncher ? '' : ': SKIPPED, no cloud-pubsub-emulator with Java on this machine'})`,
  () => {
    eventStreamContract(async () => {
      const emulator = await startPubSubEmulator(pubSubLauncher as string);
      const db = await createTestDatabase(localAdapterMigrations);
      const options = {
        projectId: 'livora-contract',
        topic: 'contract',
        partitions: 4,
        consumerGroup: CONTRACT_READER_GROUP,
        checkpoints: createPostgresCheckpointStore(db.pool),
        emulatorHost: emulator.host,
        readWaitMs: 200,
      };
      await createPubSubTopology({ ...options, emulatorHost: emulator.host });
      return reopenable(
        () => openPubSubEventStream(options),
        async () => {
          await db.drop();
          await emulator.stop();
        },
      );
    });
  },
);

// Microsoft's Event Hubs emulator needs Docker: the SDK talks to a stand-in AMQP 1.0 peer instead.
describe('azure: Event Hubs (stand-in AMQP peer, not the service)', () => {
  eventStreamContract(async () => {
    const fake = await startFakeEventHubs('contract', 4);
    const db = await createTestDatabase(localAdapterMigrations);
    const checkpoints = createPostgresCheckpointStore(db.pool);
    return reopenable(
      () =>
        openEventHubsEventStream({
          connectionString: fake.connectionString,
          eventHubName: 'contract',
          checkpoints,
          readWaitMs: 200,
        }),
      async () => {
        await db.drop();
        await fake.stop();
      },
    );
  });
});
