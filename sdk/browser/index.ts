import {
  type AnalyticsOptions,
  createAnalytics,
  createFetchTransport,
  createMemoryQueueStore,
  type LivoraEvent,
  type QueueStore,
} from '../core/index.ts';
import { sendOnExit } from './beacon.ts';
import { anonymousIdStore, localValues } from './identity.ts';
import { openIndexedDbStore } from './indexeddb-store.ts';
import { pageContext } from './page-context.ts';

const BEACON_HOLD_MS = 10 * 60_000;

export type { AnalyticsOptions, Dropped, LivoraEvent, Plugin, Properties } from '../core/index.ts';

/**
 * The browser client. Events wait in IndexedDB (shared by the site's tabs, kept across
 * reloads and restarts) and go in batches; when the page is hidden or closed, what this
 * tab queued goes by beacon. Calls made before IndexedDB opens wait for it.
 */
export function init(options: AnalyticsOptions) {
  if (!options.writeKey) throw new TypeError('livora: writeKey is required');
  const host = options.host.replace(/\/+$/, '');
  const maxEvents = options.maxQueueSize ?? 10_000;
  const opened: Promise<QueueStore> = openIndexedDbStore(`livora:${options.writeKey}`, maxEvents).catch((error) => {
    console.warn('livora: IndexedDB is not available; events wait in memory only', error);
    return createMemoryQueueStore(maxEvents);
  });
  // Events this tab queued and has not seen leave the store: the beacon's load on page hide.
  const unsent = new Map<string, LivoraEvent>();
  // Another tab may send what this one queued (the queue is shared): it says so here.
  const tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`livora:${options.writeKey}`) : null;
  const forget = (ids: readonly string[]) => {
    for (const id of ids) unsent.delete(id);
  };
  if (tabs) tabs.onmessage = (message) => forget((message.data as { sent?: string[] }).sent ?? []);
  const store: QueueStore = {
    hold: async (ids, until) => (await opened).hold?.(ids, until),
    push: async (event) => (await opened).push(event),
    peek: async (count) => (await opened).peek(count),
    async remove(eventIds) {
      forget(eventIds);
      tabs?.postMessage({ sent: eventIds });
      await (await opened).remove(eventIds);
    },
    size: async () => (await opened).size(),
  };
  const values = localValues();
  const transport = createFetchTransport({ host, writeKey: options.writeKey });
  /** Events a request carries right now (with keepalive, it finishes even if the page goes). */
  const inFlight = new Set<string>();
  const analytics = createAnalytics(
    {
      store,
      async send(events) {
        for (const e of events) inFlight.add(e.event_id);
        try {
          return await transport(events);
        } finally {
          for (const e of events) inFlight.delete(e.event_id);
        }
      },
      values,
      anonymousId: anonymousIdStore(values),
      context: pageContext,
      onQueued: (event) => void unsent.set(event.event_id, event),
      ...(navigator.locks
        ? {
            lock: <T>(work: () => Promise<T>) =>
              navigator.locks.request(`livora:${options.writeKey}`, work) as Promise<T>,
          }
        : {}),
    },
    options,
  );

  // As the page goes away, what this tab queued and no request carries goes by beacon. A
  // beacon's arrival cannot be known: those events stay in the queue, held for ten minutes,
  // then go again with the next flush (the server keeps one event per id, within its
  // dedupe window). When the network or the API is failing, no beacon: the queue keeps them.
  const leave = () => {
    if (!navigator.onLine || analytics.queue.backingOff()) return;
    const events = [...unsent.values()].filter((e) => !inFlight.has(e.event_id));
    if (events.length === 0) return;
    const handed = sendOnExit(`${host}/v1/events`, options.writeKey, events, (failed) => {
      void store.hold?.(failed, 0).catch(() => undefined);
    });
    forget(handed);
    void store.hold?.(handed, Date.now() + BEACON_HOLD_MS).catch(() => undefined);
  };
  addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') leave();
  });
  addEventListener('online', () => void analytics.flush());
  // What earlier pages left (offline, closed too soon) goes now.
  void opened.then(async (queue) => {
    if ((await queue.size()) > 0) await analytics.flush();
  });
  return analytics;
}

export type BrowserAnalytics = ReturnType<typeof init>;

/** Segment's analytics-next entry point: `AnalyticsBrowser.load({ writeKey, cdnURL })`, with Livora's host. */
export const AnalyticsBrowser = {
  load(settings: { writeKey: string; host?: string; cdnURL?: string }, options: Partial<AnalyticsOptions> = {}) {
    const host = settings.host ?? settings.cdnURL;
    if (!host) throw new TypeError('livora: give the Livora API as `host`');
    return init({ ...options, writeKey: settings.writeKey, host });
  },
};
