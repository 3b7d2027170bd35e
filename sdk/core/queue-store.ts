import type { LivoraEvent } from './event.ts';

/** Where queued events wait: memory (Node), IndexedDB (browsers). Oldest first. */
export interface QueueStore {
  /** Adds an event; returns the oldest events evicted to stay within the store's cap. */
  push(event: LivoraEvent): Promise<LivoraEvent[]>;
  /** The oldest `count` events. */
  peek(count: number): Promise<LivoraEvent[]>;
  remove(eventIds: readonly string[]): Promise<void>;
  size(): Promise<number>;
  /** Keeps events out of `peek` until `untilMs` (handed to a beacon: sent again only if it never arrived). */
  hold?(eventIds: readonly string[], untilMs: number): Promise<void>;
}

/** A queue in memory, holding at most `maxEvents` (the oldest go first). */
export function createMemoryQueueStore(maxEvents: number): QueueStore {
  let events: LivoraEvent[] = [];
  return {
    async push(event) {
      events.push(event);
      return events.length > maxEvents ? events.splice(0, events.length - maxEvents) : [];
    },
    async peek(count) {
      return events.slice(0, count);
    },
    async remove(eventIds) {
      const gone = new Set(eventIds);
      events = events.filter((e) => !gone.has(e.event_id));
    },
    async size() {
      return events.length;
    },
  };
}
