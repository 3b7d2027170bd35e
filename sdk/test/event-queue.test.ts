import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createEventQueue,
  createMemoryQueueStore,
  type Dropped,
  type LivoraEvent,
  newEvent,
  type SendOutcome,
} from '../core/index.ts';

let n = 0;
const event = (extra: Partial<LivoraEvent> = {}): LivoraEvent =>
  newEvent('track', { event: 'Clicked', anonymous_id: 'a', ...extra }, () => `e${++n}`);

/** A transport that answers from a script (then `sent`), recording each batch's ids. */
function scriptedTransport(script: SendOutcome[] = []) {
  const batches: string[][] = [];
  return {
    batches,
    send: vi.fn(async (events: readonly LivoraEvent[]) => {
      batches.push(events.map((e) => e.event_id));
      return script.shift() ?? ({ kind: 'sent', rejected: [] } as SendOutcome);
    }),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  n = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('batching', () => {
  it('sends as soon as 20 events wait, and what is left 5 s after the first', async () => {
    const transport = scriptedTransport();
    const queue = createEventQueue({ store: createMemoryQueueStore(1000), send: transport.send });
    for (let i = 0; i < 23; i++) await queue.enqueue(event());
    await vi.advanceTimersByTimeAsync(0);
    // The 20th starts a flush; those that come while it is out go in its next rounds.
    expect(transport.batches[0]).toHaveLength(20);
    expect(transport.batches.flat()).toHaveLength(23);
    const sent = transport.batches.length;
    await queue.enqueue(event());
    await vi.advanceTimersByTimeAsync(4_999);
    expect(transport.batches).toHaveLength(sent);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.batches.at(-1)).toEqual(['e24']);
    expect(await queue.pending()).toBe(0);
  });

  it('never puts more than 100 events or the byte cap in one request', async () => {
    const transport = scriptedTransport();
    const queue = createEventQueue({
      store: createMemoryQueueStore(1000),
      send: transport.send,
      options: { flushAt: 1000 },
    });
    for (let i = 0; i < 250; i++) await queue.enqueue(event());
    await queue.flush();
    expect(transport.batches.map((b) => b.length)).toEqual([100, 100, 50]);
    const small = scriptedTransport();
    const capped = createEventQueue({
      store: createMemoryQueueStore(1000),
      send: small.send,
      options: { flushAt: 1000, maxBatchBytes: 10_000 },
    });
    const big = { blob: 'x'.repeat(4_000) };
    for (let i = 0; i < 5; i++) await capped.enqueue(event({ properties: big }));
    await capped.flush();
    expect(small.batches.map((b) => b.length)).toEqual([2, 2, 1]);
    // Bytes, not characters: 2,000 euro signs are 6,000 bytes of UTF-8.
    const euros = scriptedTransport();
    const counted = createEventQueue({
      store: createMemoryQueueStore(1000),
      send: euros.send,
      options: { flushAt: 1000, maxBatchBytes: 10_000 },
    });
    for (let i = 0; i < 3; i++) await counted.enqueue(event({ properties: { note: '€'.repeat(2_000) } }));
    await counted.flush();
    expect(euros.batches.map((b) => b.length)).toEqual([1, 1, 1]);
  });
});

describe('retries', () => {
  it('keep the events through network errors and 5xx, backing off exponentially with jitter', async () => {
    const transport = scriptedTransport([
      { kind: 'retry', retryAfterMs: null, reason: 'offline' },
      { kind: 'retry', retryAfterMs: null, reason: 'HTTP 503' },
      { kind: 'retry', retryAfterMs: null, reason: 'HTTP 502' },
    ]);
    const queue = createEventQueue({ store: createMemoryQueueStore(1000), send: transport.send, random: () => 1 });
    await queue.enqueue(event());
    await queue.flush();
    expect(queue.backingOff()).toBe(true);
    // Delays of 1 s, 2 s, 4 s (random() = 1: the top of each jittered range).
    await vi.advanceTimersByTimeAsync(999);
    expect(transport.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(transport.batches).toHaveLength(3);
    // A new event while backing off waits for the retry, and goes with it.
    await queue.enqueue(event());
    await vi.advanceTimersByTimeAsync(3_999);
    expect(transport.batches).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.batches[3]).toEqual(['e1', 'e2']);
    expect(await queue.pending()).toBe(0);
    expect(queue.backingOff()).toBe(false);
  });

  it('wait as long as a 429’s Retry-After says', async () => {
    const transport = scriptedTransport([{ kind: 'retry', retryAfterMs: 30_000, reason: 'HTTP 429' }]);
    const queue = createEventQueue({ store: createMemoryQueueStore(1000), send: transport.send });
    await queue.enqueue(event());
    await queue.flush();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(transport.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.batches).toHaveLength(2);
  });

  it('never retry a request the API refused (4xx): its events are dropped and reported', async () => {
    const dropped: Dropped[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const transport = scriptedTransport([
      { kind: 'refused', status: 401, reason: 'LIVORA_AUTH_UNKNOWN_KEY: unknown key' },
      { kind: 'sent', rejected: [{ index: 1, code: 'LIVORA_EVENT_INVALID', message: '/event: too long' }] },
    ]);
    const queue = createEventQueue({
      store: createMemoryQueueStore(1000),
      send: transport.send,
      onDropped: (d) => dropped.push(d),
    });
    await queue.enqueue(event());
    await queue.flush();
    for (let i = 0; i < 3; i++) await queue.enqueue(event());
    await queue.flush();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(transport.batches).toEqual([['e1'], ['e2', 'e3', 'e4']]);
    expect(dropped.map((d) => [d.reason, d.events.map((e) => e.event_id), d.detail])).toEqual([
      ['rejected', ['e1'], 'LIVORA_AUTH_UNKNOWN_KEY: unknown key'],
      ['rejected', ['e3'], 'LIVORA_EVENT_INVALID: /event: too long'],
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(await queue.pending()).toBe(0);
  });
});

describe('a full queue', () => {
  it('evicts the oldest events and reports them', async () => {
    const dropped: Dropped[] = [];
    const transport = scriptedTransport([{ kind: 'retry', retryAfterMs: null, reason: 'offline' }]);
    const queue = createEventQueue({
      store: createMemoryQueueStore(3),
      send: transport.send,
      onDropped: (d) => dropped.push(d),
    });
    for (let i = 0; i < 5; i++) await queue.enqueue(event());
    expect(dropped.map((d) => [d.reason, d.events.map((e) => e.event_id)])).toEqual([
      ['evicted', ['e1']],
      ['evicted', ['e2']],
    ]);
    await queue.flush();
    expect(transport.batches.at(-1)).toEqual(['e3', 'e4', 'e5']);
  });
});
