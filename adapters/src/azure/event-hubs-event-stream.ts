import { randomInt } from 'node:crypto';
import { type EventData, EventHubConsumerClient, EventHubProducerClient } from '@azure/event-hubs';
import type { CheckpointStore } from '../ports/checkpoint-store.ts';
import {
  type AppendedRecord,
  type EventStream,
  type StreamRecord,
  StreamUnavailableError,
} from '../ports/event-stream.ts';
import { hashPartitionKey } from '../shared/partition-key.ts';
import { openPartitionCursor, type PartitionCursor } from './event-hubs-partition-cursor.ts';

export interface EventHubsEventStreamOptions {
  /** The namespace's connection string (`Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…`). */
  readonly connectionString: string;
  readonly eventHubName: string;
  /** The Event Hubs consumer group receivers open (default `$Default`); Livora's groups keep positions in `checkpoints`. */
  readonly consumerGroup?: string;
  /** Where consumer groups keep positions (Event Hubs leaves that to its clients). */
  readonly checkpoints: CheckpointStore;
  /** How long a caught-up `read` waits for an event before answering none (default 500 ms). */
  readonly readWaitMs?: number;
}

/**
 * Azure Event Hubs. Partitions are the hub's partition ids and offsets are Event Hubs
 * sequence numbers: per partition, from 0, one more per event, so `read` can start after
 * any of them (a receiver filter) and `latestOffset` is the partition's last enqueued one.
 *
 * A record's partition is hash(key) mod the partition count (the local log's hash), sent
 * as a batch addressed to that partition, so `append` knows where each record went. It
 * cannot know the sequence number: the service does not answer it for a send (idempotent
 * publishing, which would, is not public in SDK v6), and other processes send to the same
 * partition at the same time. So `append` answers a receipt, also set as the event's
 * message id, and says so in `capabilities`. A hub whose partition count grows sends a key
 * to another partition from then on; its old records stay where they were.
 */
export function openEventHubsEventStream(options: EventHubsEventStreamOptions): EventStream {
  const { connectionString, eventHubName, checkpoints } = options;
  const readWaitMs = options.readWaitMs ?? 500;
  const producer = new EventHubProducerClient(connectionString, eventHubName);
  const consumer = new EventHubConsumerClient(options.consumerGroup ?? '$Default', connectionString, eventHubName);
  const streamKey = `event-hubs:${eventHubName}`;
  const cursors = new Map<string, PartitionCursor>();
  let partitionIds: Promise<string[]> | null = null;
  // Receipts: unique per process (random high bits), increasing within it.
  let nextReceipt = BigInt(randomInt(2 ** 40)) << 20n;

  function partitionsOnce(): Promise<string[]> {
    partitionIds ??= producer.getPartitionIds().catch((error) => {
      partitionIds = null;
      throw error;
    });
    return partitionIds;
  }

  async function sendToPartition(partitionId: string, events: readonly EventData[]): Promise<void> {
    let batch = await producer.createBatch({ partitionId });
    for (const event of events) {
      if (batch.tryAdd(event)) continue;
      if (batch.count === 0)
        throw new StreamUnavailableError(`an event is larger than Event Hubs takes (${batch.maxSizeInBytes} bytes)`);
      await producer.sendBatch(batch);
      batch = await producer.createBatch({ partitionId });
      if (!batch.tryAdd(event))
        throw new StreamUnavailableError(`an event is larger than Event Hubs takes (${batch.maxSizeInBytes} bytes)`);
    }
    if (batch.count > 0) await producer.sendBatch(batch);
  }

  async function append(records: readonly StreamRecord[]): Promise<AppendedRecord[]> {
    let ids: string[];
    try {
      ids = await partitionsOnce();
    } catch (error) {
      throw new StreamUnavailableError(`Event Hubs did not answer its partitions: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const positions: AppendedRecord[] = [];
    const byPartition = new Map<string, EventData[]>();
    for (const record of records) {
      const partition = ids[hashPartitionKey(record.partitionKey) % ids.length] as string;
      const receipt = String(nextReceipt++);
      positions.push({ partition, offset: receipt });
      const events = byPartition.get(partition) ?? [];
      events.push({ body: Buffer.from(record.payload, 'utf8'), messageId: receipt });
      byPartition.set(partition, events);
    }
    try {
      await Promise.all([...byPartition].map(([partition, events]) => sendToPartition(partition, events)));
    } catch (error) {
      if (error instanceof StreamUnavailableError) throw error;
      throw new StreamUnavailableError(`Event Hubs did not take the write: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return positions;
  }

  return {
    kind: 'azure',
    capabilities: { offsetsOnAppend: false, latestOffset: true, stableOffsets: true },
    append,
    listPartitions: () => consumer.getPartitionIds(),
    async read(partition, afterOffset, limit) {
      const after = afterOffset === null ? null : BigInt(afterOffset);
      let cursor = cursors.get(partition);
      if (!cursor || cursor.position !== after) {
        await cursor?.close();
        cursor = openPartitionCursor(consumer, partition, after);
        cursors.set(partition, cursor);
      }
      return cursor.take(limit, readWaitMs);
    },
    async release(partition) {
      const cursor = cursors.get(partition);
      cursors.delete(partition);
      await cursor?.close();
    },
    async latestOffset(partition) {
      const properties = await consumer.getPartitionProperties(partition);
      return properties.isEmpty ? null : String(properties.lastEnqueuedSequenceNumber);
    },
    getCheckpoint: (group, partition) => checkpoints.get(streamKey, group, partition),
    commitCheckpoint: (group, partition, offset) => checkpoints.commit(streamKey, group, partition, offset),
    // Event Hubs drops events itself after the hub's retention.
    trim: async () => 0,
    async check() {
      await consumer.getEventHubProperties();
    },
    async close() {
      await Promise.all([...cursors.values()].map((cursor) => cursor.close()));
      cursors.clear();
      await Promise.all([producer.close(), consumer.close()]);
    },
  };
}
