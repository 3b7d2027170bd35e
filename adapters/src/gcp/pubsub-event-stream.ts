import { createHash } from 'node:crypto';
import { PubSub } from '@google-cloud/pubsub';
import type { CheckpointStore } from '../ports/checkpoint-store.ts';
import { type AppendedRecord, type EventStream, StreamUnavailableError } from '../ports/event-stream.ts';
import { hashPartitionKey } from '../shared/partition-key.ts';
import { openPartitionReader, type PartitionReader } from './pubsub-partition-reader.ts';

export interface PubSubEventStreamOptions {
  readonly projectId: string;
  /** The topic; it and the subscriptions (pubSubSubscriptions) exist before the first append. */
  readonly topic: string;
  /** Logical partitions, fixed for the topic's life: a key's partition is its hash modulo this. */
  readonly partitions: number;
  /** The consumer group `read` consumes as (the pipeline's); other groups only keep checkpoints. */
  readonly consumerGroup: string;
  /** Where consumer groups keep positions: Pub/Sub keeps none that can be read back. */
  readonly checkpoints: CheckpointStore;
  /** `host:port` of the Pub/Sub emulator (plain text, no credentials). */
  readonly emulatorHost?: string;
  /** How long a caught-up `read` waits for a message before answering none (default 500 ms). */
  readonly readWaitMs?: number;
  /** A partition not read for this long gives its held messages back, for whoever holds its lease now (default 5 min). */
  readonly idleReleaseMs?: number;
  /** Messages a partition holds unacknowledged: at least what the consumer buffers before it checkpoints (default 50,000). */
  readonly maxHeldPerPartition?: number;
}

// Pub/Sub takes ordering keys up to 1 KiB.
const MAX_ORDERING_KEY_BYTES = 1024;

/**
 * Google Cloud Pub/Sub. Pub/Sub has neither partitions nor offsets, so this maps them:
 *
 * - Partitions are logical: `partitions` of them, a record going to hash(key) mod N (the
 *   local log's hash), carried in the `partition` attribute. Each (consumer group,
 *   partition) has its own subscription filtered on that attribute, with message ordering,
 *   so a pipeline process pulls only the partitions it holds leases on.
 * - Order: the ordering key is the partition key, so one key's records arrive in the order
 *   Pub/Sub received them (across publishers too); keys of one partition interleave freely.
 * - Offsets are numbered by the reader, in delivery order, from the group's checkpoint + 1.
 *   Messages are acknowledged only once a checkpoint covering them is committed, so after a
 *   crash Pub/Sub redelivers exactly the records after the checkpoint, numbered from it
 *   again: at-least-once, nothing lost. A crash between commit and acknowledgement
 *   redelivers records already committed, under new numbers (dedupe by event id absorbs it).
 * - What this cannot give (see `capabilities`): `append` cannot know a record's offset, as
 *   several processes publish at once and message ids are not ordered, so it answers the
 *   message id as a receipt; and `latestOffset` is always null (the backlog is only in
 *   Cloud Monitoring). Reading before the checkpoint is impossible: acknowledged is gone.
 */
export function openPubSubEventStream(options: PubSubEventStreamOptions): EventStream {
  const { projectId, partitions, consumerGroup, checkpoints } = options;
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
  const readWaitMs = options.readWaitMs ?? 500;
  const idleReleaseMs = options.idleReleaseMs ?? 300_000;
  const maxHeld = options.maxHeldPerPartition ?? 50_000;
  const pubsub = new PubSub({
    projectId,
    ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, emulatorMode: true } : {}),
  });
  const topic = pubsub.topic(options.topic, {
    messageOrdering: true,
    batching: { maxMessages: 1000, maxMilliseconds: 5 },
  });
  const streamKey = `pubsub:${options.topic}`;
  const readers = new Map<string, Promise<PartitionReader>>();

  async function publish(partitionKey: string, payload: string): Promise<AppendedRecord> {
    const partition = String(hashPartitionKey(partitionKey) % partitions);
    const orderingKey = pubSubOrderingKey(partitionKey);
    try {
      const messageId = await topic.publishMessage({
        data: Buffer.from(payload),
        attributes: { partition },
        orderingKey,
      });
      return { partition, offset: messageId };
    } catch (error) {
      // A failed key stays paused so later records cannot overtake it; the caller retries.
      topic.resumePublishing(orderingKey);
      throw new StreamUnavailableError(`Pub/Sub did not take the write: ${(error as Error).message}`, { cause: error });
    }
  }

  function readerOf(partition: string): Promise<PartitionReader> {
    let reader = readers.get(partition);
    if (!reader) {
      reader = checkpoints.get(streamKey, consumerGroup, partition).then((checkpoint) =>
        openPartitionReader(
          partition,
          topic.subscription(pubSubSubscriptionName(options.topic, consumerGroup, partition), {
            flowControl: { maxMessages: maxHeld, allowExcessMessages: false },
          }),
          checkpoint,
        ),
      );
      reader.catch(() => readers.delete(partition));
      readers.set(partition, reader);
    }
    return reader;
  }

  async function release(partition: string): Promise<void> {
    const reader = readers.get(partition);
    readers.delete(partition);
    await (await reader?.catch(() => null))?.close();
  }

  const idleSweep = setInterval(
    async () => {
      for (const [partition, pending] of readers) {
        const reader = await pending.catch(() => null);
        // A failed close must not escape a timer (an unhandled rejection ends the process).
        if (reader && Date.now() - reader.lastReadAt > idleReleaseMs) await release(partition).catch(() => undefined);
      }
    },
    Math.max(1000, idleReleaseMs / 4),
  );
  idleSweep.unref();

  return {
    kind: 'gcp',
    capabilities: { offsetsOnAppend: false, latestOffset: false, stableOffsets: false },
    append: (records) => Promise.all(records.map((r) => publish(r.partitionKey, r.payload))),
    listPartitions: async () => Array.from({ length: partitions }, (_, i) => String(i)),
    async read(partition, afterOffset, limit) {
      return (await readerOf(partition)).read(afterOffset, limit, readWaitMs);
    },
    latestOffset: async () => null,
    release,
    getCheckpoint: (group, partition) => checkpoints.get(streamKey, group, partition),
    async commitCheckpoint(group, partition, offset) {
      await checkpoints.commit(streamKey, group, partition, offset);
      // Acknowledged only now: until the checkpoint is durable, a crash must redeliver them.
      if (group === consumerGroup) (await readers.get(partition)?.catch(() => null))?.acknowledge(offset);
    },
    // Pub/Sub drops messages itself after the subscription's retention.
    trim: async () => 0,
    async check() {
      const [exists] = await topic.exists();
      if (!exists) throw new StreamUnavailableError(`Pub/Sub topic ${options.topic} does not exist`);
    },
    async close() {
      clearInterval(idleSweep);
      await topic.flush();
      await Promise.all([...readers.keys()].map(release));
      await pubsub.close();
    },
  };
}

/** The subscription a consumer group reads one partition through. */
export function pubSubSubscriptionName(topic: string, group: string, partition: string): string {
  return `${topic}-${group}-${partition}`;
}

/** What infrastructure creates for a consumer group: one ordered, filtered subscription per partition. */
export function pubSubSubscriptions(topic: string, group: string, partitions: number) {
  return Array.from({ length: partitions }, (_, i) => ({
    name: pubSubSubscriptionName(topic, group, String(i)),
    filter: `attributes.partition = "${i}"`,
    enableMessageOrdering: true,
  }));
}

/** Ordering keys longer than Pub/Sub takes become their SHA-256 (still one key, one order). */
export function pubSubOrderingKey(key: string): string {
  return Buffer.byteLength(key) <= MAX_ORDERING_KEY_BYTES
    ? key
    : `sha256:${createHash('sha256').update(key).digest('base64url')}`;
}
