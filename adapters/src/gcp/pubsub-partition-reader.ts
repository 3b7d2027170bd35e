import type { Message, Subscription } from '@google-cloud/pubsub';
import { type ReadRecord, StreamUnavailableError } from '../ports/event-stream.ts';
import { createArrivalSignal } from '../shared/arrival-signal.ts';

/**
 * The reading side of one logical partition: the messages its subscription delivered and
 * nobody has checkpointed yet, numbered in delivery order from the group's checkpoint + 1.
 * Pub/Sub redelivers whatever was not acknowledged, so a reader opened again (after a
 * crash, or by another process) numbers the same records again from the same checkpoint.
 */
export interface PartitionReader {
  read(afterOffset: string | null, limit: number, waitMs: number): Promise<ReadRecord[]>;
  /** Acknowledges every held message numbered up to `offset`: Pub/Sub forgets them. */
  acknowledge(offset: string): void;
  readonly lastReadAt: number;
  /** Stops receiving; held messages are given back (nacked) for the next reader. */
  close(): Promise<void>;
}

interface Held {
  readonly offset: bigint;
  message: Message;
}

export function openPartitionReader(
  partition: string,
  subscription: Subscription,
  checkpoint: string | null,
): PartitionReader {
  const held: Held[] = [];
  const heldById = new Map<string, Held>();
  const base = checkpoint === null ? 0n : BigInt(checkpoint) + 1n;
  let next = base;
  let failure: Error | null = null;
  const arrival = createArrivalSignal();
  let lastReadAt = Date.now();

  subscription.on('message', (message: Message) => {
    // Pub/Sub filters by attribute on the server; its emulator keeps the filter but ignores
    // it, so a message of another partition is acknowledged here: it is not this one's.
    if (message.attributes.partition !== partition) {
      message.ack();
      return;
    }
    const known = heldById.get(message.id);
    if (known) {
      // A redelivery of a message still held: keep its number, take the newer lease.
      known.message = message;
      return;
    }
    const entry = { offset: next, message };
    next += 1n;
    held.push(entry);
    heldById.set(message.id, entry);
    arrival.notify();
  });
  subscription.on('error', (error: Error) => {
    failure = error;
    arrival.notify();
  });

  return {
    get lastReadAt() {
      return lastReadAt;
    },
    async read(afterOffset, limit, waitMs) {
      lastReadAt = Date.now();
      const after = afterOffset === null ? base - 1n : BigInt(afterOffset);
      if (after >= next) {
        throw new StreamUnavailableError(
          `Pub/Sub partition ${partition} never numbered offset ${afterOffset} in this reader (it numbers from ${base}): read from the group's checkpoint`,
        );
      }
      // Offsets before the first held one were checkpointed and acknowledged: no longer retained.
      const first = held[0]?.offset ?? next;
      const from = after < first ? first : after + 1n;
      if (from === next && !failure) await arrival.wait(waitMs);
      if (failure) {
        throw new StreamUnavailableError(`Pub/Sub subscription of partition ${partition} failed: ${failure.message}`, {
          cause: failure,
        });
      }
      // Counted again: the wait may have brought the first message, or a commit acknowledged some.
      const start = Math.max(0, Number(from - (held[0]?.offset ?? next)));
      return held.slice(start, start + limit).map(({ offset, message }) => ({
        partition,
        offset: String(offset),
        payload: message.data.toString('utf8'),
        appendedAt: new Date(message.publishTime.getTime()),
      }));
    },
    acknowledge(offset) {
      const upTo = BigInt(offset);
      while (held[0] && held[0].offset <= upTo) {
        const { message } = held.shift() as Held;
        heldById.delete(message.id);
        message.ack();
      }
    },
    async close() {
      await subscription.close();
    },
  };
}
