import { CreateStreamCommand, KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe } from 'vitest';
import { openKinesisEventStream } from '../../src/aws/kinesis-event-stream.ts';
import { localAdapterMigrations } from '../../src/local/migrations.ts';
import { createPostgresCheckpointStore } from '../../src/local/postgres-checkpoint-store.ts';
import { openPostgresEventStream } from '../../src/local/postgres-event-stream.ts';
import { startKinesisEmulator } from '../support/kinesis-emulator.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { eventStreamContract } from './event-stream.contract.ts';

// The same contract, against the real local log and against Kinesis (its emulator).
describe('local: PostgreSQL event log', () => {
  eventStreamContract(async () => {
    const db = await createTestDatabase(localAdapterMigrations);
    const stream = await openPostgresEventStream({
      pool: db.pool,
      checkpoints: createPostgresCheckpointStore(db.pool),
      partitions: 4,
    });
    return {
      stream,
      async close() {
        await stream.close();
        await db.drop();
      },
    };
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
    const stream = openKinesisEventStream({
      streamName: 'contract',
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      checkpoints: createPostgresCheckpointStore(db.pool),
    });
    return {
      stream,
      async close() {
        await stream.close();
        await db.drop();
        await emulator.stop();
      },
    };
  });
});
