import {
  createEventQueue,
  createFetchTransport,
  createMemoryQueueStore,
  type Dropped,
  type EventQueue,
  type LivoraEvent,
  newEvent,
  type Plugin,
  type Properties,
  randomId,
  runPlugins,
} from '../core/index.ts';

export interface NodeOptions {
  readonly writeKey: string;
  readonly host: string;
  /** Send when this many events wait (20)… */
  readonly flushAt?: number;
  /** …or this many milliseconds after the first (5,000). */
  readonly flushInterval?: number;
  /** Events kept in memory while the API cannot be reached (10,000); past it the oldest go, reported. */
  readonly maxQueueSize?: number;
  readonly plugins?: readonly Plugin[];
  readonly onDropped?: (dropped: Dropped) => void;
}

/** Who a server-side call is about: a user id, an anonymous id, or both. */
export interface Identity {
  readonly userId?: string;
  readonly anonymousId?: string;
  /** The event's own id (Segment's messageId), to make a retry of your own harmless. */
  readonly messageId?: string;
  readonly timestamp?: Date | string;
  readonly context?: Properties;
}

/**
 * The Node client, shaped like Segment's `@segment/analytics-node` (`new Analytics({ writeKey
 * })`, `analytics.track({ userId, event, properties })`), so a server switches by changing
 * its import. Events wait in memory, go in batches, and are retried like the browser's;
 * `shutdown()` (or Segment's `closeAndFlush()`) sends everything before the process ends.
 */
export class Analytics {
  readonly #queue: EventQueue;
  readonly #plugins: Plugin[];
  #closed = false;

  constructor(options: NodeOptions) {
    if (!options.writeKey) throw new TypeError('livora: writeKey is required');
    this.#plugins = [...(options.plugins ?? [])];
    this.#queue = createEventQueue({
      store: createMemoryQueueStore(options.maxQueueSize ?? 10_000),
      send: createFetchTransport({ host: options.host, writeKey: options.writeKey }),
      ...(options.onDropped ? { onDropped: options.onDropped } : {}),
      options: {
        ...(options.flushAt ? { flushAt: options.flushAt } : {}),
        ...(options.flushInterval ? { flushIntervalMs: options.flushInterval } : {}),
      },
    });
  }

  track(call: Identity & { event: string; properties?: Properties }): Promise<LivoraEvent | null> {
    return this.#record('track', call, { event: call.event, properties: call.properties ?? {} });
  }

  identify(call: Identity & { traits?: Properties }): Promise<LivoraEvent | null> {
    return this.#record('identify', call, { traits: call.traits ?? {} });
  }

  page(call: Identity & { name?: string; category?: string; properties?: Properties }): Promise<LivoraEvent | null> {
    return this.#record('page', call, {
      ...(call.name ? { name: call.name } : {}),
      ...(call.category ? { category: call.category } : {}),
      properties: call.properties ?? {},
    });
  }

  screen(call: Identity & { name?: string; properties?: Properties }): Promise<LivoraEvent | null> {
    return this.#record('screen', call, {
      ...(call.name ? { name: call.name } : {}),
      properties: call.properties ?? {},
    });
  }

  group(call: Identity & { groupId: string; traits?: Properties }): Promise<LivoraEvent | null> {
    return this.#record('group', call, { group_id: call.groupId, traits: call.traits ?? {} });
  }

  alias(call: Identity & { userId: string; previousId: string }): Promise<LivoraEvent | null> {
    return this.#record('alias', call, { previous_id: call.previousId });
  }

  use(plugin: Plugin): this {
    this.#plugins.push(plugin);
    return this;
  }

  /** Sends what waits now. */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /**
   * Takes no more events and sends every waiting one, retrying as usual, for up to
   * `timeoutMs` (10 s); resolves with how many could not be sent in that time.
   */
  async shutdown(timeoutMs = 10_000): Promise<{ unsent: number }> {
    this.#closed = true;
    const deadline = Date.now() + timeoutMs;
    while ((await this.#queue.pending()) > 0 && Date.now() < deadline) {
      if (this.#queue.backingOff()) await new Promise((resolve) => setTimeout(resolve, 50));
      else await this.#queue.flush();
    }
    this.#queue.stop();
    return { unsent: await this.#queue.pending() };
  }

  /** Segment's name for `shutdown()`. */
  async closeAndFlush(options: { timeout?: number } = {}): Promise<void> {
    await this.shutdown(options.timeout);
  }

  /**
   * Queues an event. A call that cannot be taken (after shutdown, or naming nobody) warns and
   * resolves with null: a call nobody awaits must not crash the process.
   */
  async #record(type: LivoraEvent['type'], call: Identity, fields: Partial<LivoraEvent>): Promise<LivoraEvent | null> {
    const refusal = this.#closed
      ? 'the client is shut down'
      : !call.userId && !call.anonymousId
        ? 'every call needs a userId or an anonymousId'
        : null;
    if (refusal) {
      console.warn(`livora: ${type} not sent: ${refusal}`);
      return null;
    }
    const event = newEvent(
      type,
      {
        ...(call.userId ? { user_id: call.userId } : {}),
        ...(call.anonymousId ? { anonymous_id: call.anonymousId } : {}),
        ...(call.timestamp
          ? { timestamp: call.timestamp instanceof Date ? call.timestamp.toISOString() : call.timestamp }
          : {}),
        ...fields,
        context: { ...call.context },
      },
      () => call.messageId ?? randomId(),
    );
    const kept = await runPlugins(this.#plugins, event);
    if (kept) await this.#queue.enqueue(kept);
    return kept;
  }
}
