import {
  type EventHubConsumerClient,
  earliestEventPosition,
  type ReceivedEventData,
  type Subscription,
} from '@azure/event-hubs';
import { type ReadRecord, StreamUnavailableError } from '../ports/event-stream.ts';
import { createArrivalSignal } from '../shared/arrival-signal.ts';

/**
 * One open receiver on a partition, from a sequence number on. The SDK only pushes events
 * (`subscribe`), so they wait here until `read` takes them; reading on from where the last
 * read ended reuses the receiver, reading from anywhere else opens a new one.
 */
export interface PartitionCursor {
  /** The sequence number the next read must continue after to reuse this receiver. */
  readonly position: bigint | null;
  take(limit: number, waitMs: number): Promise<ReadRecord[]>;
  close(): Promise<void>;
}

// Events held for a reader past which the receiver waits (the SDK awaits the handler).
const MAX_WAITING = 5000;

export function openPartitionCursor(
  consumer: EventHubConsumerClient,
  partition: string,
  after: bigint | null,
): PartitionCursor {
  const waiting: ReceivedEventData[] = [];
  let position = after;
  let failure: Error | null = null;
  const arrival = createArrivalSignal();
  let drained: (() => void) | null = null;

  const subscription: Subscription = consumer.subscribe(
    partition,
    {
      async processEvents(events) {
        waiting.push(...events);
        arrival.notify();
        if (waiting.length >= MAX_WAITING) await new Promise<void>((resolve) => (drained = resolve));
      },
      async processError(error) {
        failure = error;
        arrival.notify();
      },
    },
    {
      startPosition: after === null ? earliestEventPosition : { sequenceNumber: Number(after), isInclusive: false },
      maxBatchSize: 1000,
      maxWaitTimeInSeconds: 1,
      skipParsingBodyAsJson: true,
    },
  );

  return {
    get position() {
      return position;
    },
    async take(limit, waitMs) {
      if (waiting.length === 0 && !failure) await arrival.wait(waitMs);
      if (failure && waiting.length === 0) {
        throw new StreamUnavailableError(`Event Hubs partition ${partition} failed: ${failure.message}`, {
          cause: failure,
        });
      }
      const events = waiting.splice(0, limit);
      if (waiting.length < MAX_WAITING) {
        drained?.();
        drained = null;
      }
      const last = events.at(-1);
      if (last) position = BigInt(last.sequenceNumber);
      return events.map((event) => ({
        partition,
        offset: String(event.sequenceNumber),
        payload: Buffer.from(event.body as Uint8Array).toString('utf8'),
        appendedAt: event.enqueuedTimeUtc,
      }));
    },
    async close() {
      drained?.();
      await subscription.close();
    },
  };
}
