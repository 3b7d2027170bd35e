/**
 * EventStream: an ordered, partitioned, durable log of events (the local PostgreSQL log,
 * Kinesis, Pub/Sub, Event Hubs). Offsets are opaque decimal strings, increasing within a
 * partition; records with the same partition key always land in the same partition.
 */

export interface StreamRecord {
  /** Records sharing a key land in one partition, in append order (Kinesis: see its adapter). */
  readonly partitionKey: string;
  /** The record body: UTF-8 text (Livora writes one JSON event per record). */
  readonly payload: string;
}

export interface AppendedRecord {
  readonly partition: string;
  readonly offset: string;
}

export interface ReadRecord extends AppendedRecord {
  readonly payload: string;
  readonly appendedAt: Date;
}

/**
 * What a stream can promise beyond the port's core (Kysely-style: the adapter says so,
 * the contract suite tests what it says). Absent: every promise holds.
 */
export interface EventStreamCapabilities {
  /** `append` answers the offsets `read` will answer (false: a receipt, such as a Pub/Sub message id). */
  readonly offsetsOnAppend: boolean;
  /** `latestOffset` answers the partition's last offset (false: always null). */
  readonly latestOffset: boolean;
  /**
   * A record read again (after a crash, or once `release`d) has the offset it had before
   * (false: Pub/Sub, which numbers records in the order it redelivers them).
   */
  readonly stableOffsets: boolean;
}

export interface EventStream {
  /** Which implementation this is (`local`, `aws`…), for logs and /readyz. */
  readonly kind: string;
  readonly capabilities?: EventStreamCapabilities;
  /**
   * Appends records; resolves, in input order, only once every record is durable.
   * Rejects with StreamUnavailableError when the log cannot take writes.
   */
  append(records: readonly StreamRecord[]): Promise<AppendedRecord[]>;
  listPartitions(): Promise<string[]>;
  /** Records of one partition after `afterOffset` (from the oldest retained when null), in order. */
  read(partition: string, afterOffset: string | null, limit: number): Promise<ReadRecord[]>;
  /** The last offset appended to a partition (null: empty, or a stream that cannot say cheaply: see capabilities). */
  latestOffset(partition: string): Promise<string | null>;
  /**
   * Gives back what this process holds for a partition it stops reading, or reads again from
   * the checkpoint (Pub/Sub: unacknowledged messages; Event Hubs: the receiver). Absent: nothing held.
   */
  release?(partition: string): Promise<void>;
  /** Reads the consumer group's checkpoint for a partition (null when none). */
  getCheckpoint(group: string, partition: string): Promise<string | null>;
  /** Records that the group has processed the partition up to and including `offset`. */
  commitCheckpoint(group: string, partition: string, offset: string): Promise<void>;
  /** Drops records appended before `before` where the log keeps them itself; returns how many. */
  trim(before: Date): Promise<number>;
  /** Throws when the log is not reachable (used by /readyz). */
  check(): Promise<void>;
  /** Finishes pending appends, then releases connections. */
  close(): Promise<void>;
}

export class StreamUnavailableError extends Error {
  override readonly name = 'StreamUnavailableError';
}

/** Orders two offsets of the same partition (offsets may exceed 2^53). */
export function compareOffsets(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
