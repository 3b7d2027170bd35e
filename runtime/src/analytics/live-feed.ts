import type { StoredEvent } from '../events/canonical-event.ts';

/** What the live feed shows of an event: enough to watch traffic, no properties or context. */
export interface LiveEvent {
  readonly event_id: string;
  readonly type: string;
  readonly name: string | null;
  readonly user_id: string | null;
  readonly anonymous_id: string | null;
  readonly timestamp: string;
  readonly received_at: string;
}

type Listener = (events: readonly LiveEvent[]) => void;

/**
 * Recent events per tenant, as this API process accepts them, for server-sent-event
 * listeners. In-process only: behind several API processes each listener sees the
 * events its own process took.
 */
export function createLiveFeed() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    publish(tenantId: string, events: readonly StoredEvent[]): void {
      const mine = listeners.get(tenantId);
      if (!mine || mine.size === 0 || events.length === 0) return;
      const live = events.map(
        (e): LiveEvent => ({
          event_id: e.event_id,
          type: e.type,
          name: ((e as { event?: string; name?: string }).event ?? (e as { name?: string }).name ?? null) as
            | string
            | null,
          user_id: e.user_id ?? null,
          anonymous_id: e.anonymous_id ?? null,
          timestamp: e.timestamp,
          received_at: e.received_at,
        }),
      );
      for (const listener of mine) listener(live);
    },
    subscribe(tenantId: string, listener: Listener): () => void {
      const mine = listeners.get(tenantId) ?? new Set<Listener>();
      mine.add(listener);
      listeners.set(tenantId, mine);
      return () => {
        mine.delete(listener);
        if (mine.size === 0) listeners.delete(tenantId);
      };
    },
  };
}

export type LiveFeed = ReturnType<typeof createLiveFeed>;
