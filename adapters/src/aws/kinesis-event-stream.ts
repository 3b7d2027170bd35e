import { createHash } from 'node:crypto';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  type PutRecordsCommandOutput,
  type PutRecordsRequestEntry,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CheckpointStore } from '../ports/checkpoint-store.ts';
import {
  type AppendedRecord,
  type EventStream,
  type ReadRecord,
  type StreamRecord,
  StreamUnavailableError,
} from '../ports/event-stream.ts';
import { createGroupCommitter } from '../shared/group-commit.ts';

export interface KinesisEventStreamOptions {
  readonly streamName: string;
  readonly region: string;
  /** An endpoint other than AWS's own (an emulator, a VPC endpoint). */
  readonly endpoint?: string;
  /** Where consumer groups keep positions: Kinesis keeps none. */
  readonly checkpoints: CheckpointStore;
  /** Attempts for records that PutRecords reports as failed (throttled, internal error). */
  readonly maxAttempts?: number;
}

// PutRecords takes at most 500 records and 5 MiB per call.
const MAX_RECORDS_PER_CALL = 500;
const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Kinesis Data Streams. Partitions are shard ids, offsets are sequence numbers. As AWS
 * documents, PutRecords may fail a record and take a later one of the same key, so after a
 * retry one key's records can be out of append order: consumers order by event time.
 */
export function openKinesisEventStream(options: KinesisEventStreamOptions): EventStream {
  const { streamName, checkpoints } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const client = new KinesisClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    // HTTP/1.1 keep-alive: the SDK's default handler, spelled out so emulators work too.
    requestHandler: new NodeHttpHandler({
      httpAgent: { keepAlive: true },
      httpsAgent: { keepAlive: true },
      // A half-open socket must not hold every append of the process.
      connectionTimeout: 5_000,
      requestTimeout: 15_000,
    }),
  });
  const streamKey = `kinesis:${streamName}`;

  async function putWithRetry(records: readonly StreamRecord[]): Promise<AppendedRecord[]> {
    const results = new Array<AppendedRecord | undefined>(records.length);
    let pending = records.map((_, i) => i);
    let lastError = 'no attempt made';
    for (let attempt = 0; attempt < maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random()));
      const entries: PutRecordsRequestEntry[] = pending.map((i) => {
        const record = records[i] as StreamRecord;
        return { PartitionKey: kinesisPartitionKey(record.partitionKey), Data: encoder.encode(record.payload) };
      });
      let response: PutRecordsCommandOutput;
      try {
        response = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
      } catch (error) {
        if (!isRetryable(error)) {
          throw new StreamUnavailableError(`Kinesis refused the write: ${(error as Error).message}`, { cause: error });
        }
        lastError = (error as Error).message;
        continue;
      }
      const failed: number[] = [];
      (response.Records ?? []).forEach((entry, j) => {
        const index = pending[j] as number;
        if (entry.SequenceNumber && entry.ShardId) {
          results[index] = { partition: entry.ShardId, offset: entry.SequenceNumber };
        } else {
          failed.push(index);
          lastError = `${entry.ErrorCode ?? 'unknown error'}: ${entry.ErrorMessage ?? ''}`;
        }
      });
      pending = failed;
    }
    if (pending.length > 0) {
      throw new StreamUnavailableError(
        `Kinesis did not take ${pending.length} of ${records.length} records after ${maxAttempts} attempts (${lastError})`,
      );
    }
    return results as AppendedRecord[];
  }

  async function writeGroup(records: readonly StreamRecord[]): Promise<AppendedRecord[]> {
    const out: AppendedRecord[] = [];
    let start = 0;
    while (start < records.length) {
      let end = start;
      let bytes = 0;
      while (end < records.length && end - start < MAX_RECORDS_PER_CALL) {
        const record = records[end] as StreamRecord;
        const size = Buffer.byteLength(record.payload) + Buffer.byteLength(record.partitionKey);
        if (end > start && bytes + size > MAX_BYTES_PER_CALL) break;
        bytes += size;
        end++;
      }
      out.push(...(await putWithRetry(records.slice(start, end))));
      start = end;
    }
    return out;
  }

  const committer = createGroupCommitter(writeGroup, {
    maxItemsPerWrite: MAX_RECORDS_PER_CALL,
    maxQueuedItems: 100_000,
    overloaded: (queued) => new StreamUnavailableError(`Kinesis is behind: ${queued} records wait to be written`),
  });

  async function listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  return {
    kind: 'aws',
    capabilities: { offsetsOnAppend: true, latestOffset: false, stableOffsets: true },
    append: (records) => committer.submit(records),
    async listPartitions() {
      return (await listShards()).map((s) => s.ShardId as string);
    },
    async read(partition, afterOffset, limit): Promise<ReadRecord[]> {
      const iterator = await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: partition,
          ...(afterOffset
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: afterOffset }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      let shardIterator = iterator.ShardIterator;
      // GetRecords may answer empty while records lie further on: follow the iterator a few steps.
      for (let step = 0; step < 5 && shardIterator; step++) {
        const page = await client.send(
          new GetRecordsCommand({ ShardIterator: shardIterator, Limit: Math.min(limit, 10_000) }),
        );
        const records = page.Records ?? [];
        if (records.length > 0) {
          return records.map((r) => ({
            partition,
            offset: r.SequenceNumber as string,
            payload: decoder.decode(r.Data),
            appendedAt: r.ApproximateArrivalTimestamp ?? new Date(),
          }));
        }
        if (!page.MillisBehindLatest) break;
        shardIterator = page.NextShardIterator;
      }
      return [];
    },
    // Kinesis reports lag as time (MillisBehindLatest, IteratorAge in CloudWatch), not as a count.
    latestOffset: async () => null,
    getCheckpoint: (group, partition) => checkpoints.get(streamKey, group, partition),
    commitCheckpoint: (group, partition, offset) => checkpoints.commit(streamKey, group, partition, offset),
    // Kinesis drops records itself when they pass the stream's retention period.
    trim: async () => 0,
    async check() {
      await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    },
    async close() {
      await committer.drain();
      client.destroy();
    },
  };
}

/** Kinesis takes partition keys of 1–256 characters: longer ones become their SHA-256 (still one key, one shard). */
export function kinesisPartitionKey(key: string): string {
  return key.length <= 256 && key.length > 0 ? key : `sha256:${createHash('sha256').update(key).digest('base64url')}`;
}

// Throttling and server-side failures pass; anything else (validation, permissions, a
// missing stream) would fail the same way again.
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'InternalFailure',
  'ServiceUnavailable',
  'ThrottlingException',
  'TimeoutError',
]);

function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return true; // the network, not Kinesis
  return status >= 500 || RETRYABLE.has(e.name ?? '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
