import { type BackoffOptions, DEFAULT_BACKOFF, retryDelay } from './backoff.ts';
import { byteLength, type Dropped, type LivoraEvent } from './event.ts';
import type { QueueStore } from './queue-store.ts';
import type { Transport } from './transport.ts';

export interface QueueOptions {
  /** Send as soon as this many events wait. */
  readonly flushAt: number;
  /** …or this long after the first one came. */
  readonly flushIntervalMs: number;
  /** Per request: at most the API's 100 events and this many bytes of JSON. */
  readonly maxBatchEvents: number;
  readonly maxBatchBytes: number;
  readonly backoff: BackoffOptions;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  flushAt: 20,
  flushIntervalMs: 5_000,
  maxBatchEvents: 100,
  maxBatchBytes: 450 * 1024,
  backoff: DEFAULT_BACKOFF,
};

/** Serialises flushes across everything sharing the store (browser tabs); in one process, a plain call. */
export type FlushLock = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * The batching and retry loop over a queue store. Events leave the store only when the
 * API has read them (accepted, or rejected with a reason: reported to `onDropped`), when
 * the API refuses the whole request for good (4xx), or when the store evicts the oldest to
 * stay within its cap (reported too). Network errors, 429 and 5xx keep the events and
 * retry with exponential backoff and jitter (Retry-After first); a new event while backing
 * off waits for the retry.
 */
export function createEventQueue(deps: {
  readonly store: QueueStore;
  readonly send: Transport;
  readonly options?: Partial<QueueOptions>;
  readonly onDropped?: (dropped: Dropped) => void;
  readonly lock?: FlushLock;
  readonly random?: () => number;
}) {
  const options = { ...DEFAULT_QUEUE_OPTIONS, ...deps.options };
  const lock: FlushLock = deps.lock ?? ((work) => work());
  let timer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let flushing: Promise<void> | null = null;

  const dropped = (event: Dropped) => {
    if (event.reason !== 'evicted' || event.events.length > 0) deps.onDropped?.(event);
  };

  /** The oldest events that fit one request. */
  async function nextBatch(): Promise<LivoraEvent[]> {
    const candidates = await deps.store.peek(options.maxBatchEvents);
    const batch: LivoraEvent[] = [];
    let bytes = 0;
    for (const event of candidates) {
      const size = byteLength(JSON.stringify(event)) + 1;
      if (batch.length > 0 && bytes + size > options.maxBatchBytes) break;
      batch.push(event);
      bytes += size;
    }
    return batch;
  }

  /** Sends batches until the store is empty or a retry is due. */
  async function drain(): Promise<void> {
    for (;;) {
      const batch = await nextBatch();
      if (batch.length === 0) return;
      const outcome = await deps.send(batch);
      if (outcome.kind === 'retry') {
        attempt += 1;
        const delay = retryDelay(attempt, outcome.retryAfterMs, options.backoff, deps.random);
        retryTimer = setTimeout(() => {
          retryTimer = null;
          void flush();
        }, delay);
        return;
      }
      attempt = 0;
      await deps.store.remove(batch.map((e) => e.event_id));
      if (outcome.kind === 'refused') {
        console.warn(`livora: the API refused ${batch.length} events (${outcome.reason}); they are dropped`);
        dropped({ events: batch, reason: 'rejected', detail: outcome.reason });
        continue;
      }
      for (const rejection of outcome.rejected) {
        const event = batch[rejection.index];
        if (!event) continue;
        console.warn(`livora: event ${event.event_id} rejected (${rejection.code}: ${rejection.message})`);
        dropped({ events: [event], reason: 'rejected', detail: `${rejection.code}: ${rejection.message}` });
      }
    }
  }

  /** Sends what waits now (a retry that was due later is tried now). */
  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    flushing ??= lock(drain).finally(async () => {
      flushing = null;
      // Events that came while the last batch was out wait for the next round.
      if (!retryTimer && (await deps.store.size()) > 0) later();
    });
    return flushing;
  }

  function later(): void {
    timer ??= setTimeout(() => {
      timer = null;
      void flush();
    }, options.flushIntervalMs);
  }

  return {
    async enqueue(event: LivoraEvent): Promise<void> {
      dropped({ events: await deps.store.push(event), reason: 'evicted' });
      if (retryTimer || flushing) return; // the retry, or the flush under way, takes it along
      if ((await deps.store.size()) >= options.flushAt) void flush();
      else later();
    },
    flush,
    /** Events waiting to be sent. */
    pending: () => deps.store.size(),
    /** Whether a retry is scheduled (the API or the network failed last time). */
    backingOff: () => retryTimer !== null,
    /** Stops the timers (the events stay in the store). */
    stop(): void {
      if (timer) clearTimeout(timer);
      if (retryTimer) clearTimeout(retryTimer);
      timer = retryTimer = null;
    },
  };
}

export type EventQueue = ReturnType<typeof createEventQueue>;
