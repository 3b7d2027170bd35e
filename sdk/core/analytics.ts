import { type Dropped, type EventType, type LivoraEvent, newEvent, type Properties } from './event.ts';
import { createEventQueue, type FlushLock, type QueueOptions } from './event-queue.ts';
import { randomId } from './ids.ts';
import { type Plugin, runPlugins } from './plugins.ts';
import type { QueueStore } from './queue-store.ts';
import { createSession } from './session.ts';
import type { KeyValue } from './storage.ts';
import type { Transport } from './transport.ts';

export interface AnalyticsOptions {
  readonly writeKey: string;
  /** The Livora API, e.g. `https://events.example.com`. */
  readonly host: string;
  /** Send when this many events wait (20)… */
  readonly flushAt?: number;
  /** …or this many milliseconds after the first (5,000). */
  readonly flushInterval?: number;
  /** Events kept while the API cannot be reached (10,000); past it the oldest go, reported. */
  readonly maxQueueSize?: number;
  /** A session ends after this long without an event (30 minutes, as on the server). */
  readonly sessionTimeout?: number;
  readonly plugins?: readonly Plugin[];
  /** Events that will never be sent, and why (rejected by the API, evicted from a full queue). */
  readonly onDropped?: (dropped: Dropped) => void;
  readonly queue?: Partial<QueueOptions>;
}

/** What a platform gives the client: where events wait, how they go, and where ids live. */
export interface Runtime {
  readonly store: QueueStore;
  readonly send: Transport;
  readonly values: KeyValue;
  readonly lock?: FlushLock;
  /** The context of an event made now (page, locale, user agent…). */
  context(): Properties;
  /** The device's anonymous id as stored, or null; and storing one. */
  readonly anonymousId: { get(): string | null; set(id: string): void };
  /** Called with each queued event (the browser keeps them for the beacon on page hide). */
  onQueued?(event: LivoraEvent): void;
}

const USER_ID = 'livora_user_id';
const TRAITS = 'livora_traits';
const OPTED_OUT = 'livora_opted_out';

/**
 * The client of one site or app: identity (anonymous id, user id, traits) kept across
 * loads, a session per 30 minutes of activity, plugins, consent, and the queue. The call
 * signatures are Segment's (analytics.js), so an app switches by changing its import.
 */
export function createAnalytics(runtime: Runtime, options: AnalyticsOptions) {
  const { values } = runtime;
  const plugins: Plugin[] = [...(options.plugins ?? [])];
  const queue = createEventQueue({
    store: runtime.store,
    send: runtime.send,
    ...(runtime.lock ? { lock: runtime.lock } : {}),
    ...(options.onDropped ? { onDropped: options.onDropped } : {}),
    options: {
      ...(options.flushAt ? { flushAt: options.flushAt } : {}),
      ...(options.flushInterval ? { flushIntervalMs: options.flushInterval } : {}),
      ...options.queue,
    },
  });
  const session = createSession(values, randomId, options.sessionTimeout ? { timeoutMs: options.sessionTimeout } : {});
  let anonymousId = runtime.anonymousId.get() ?? randomId();
  runtime.anonymousId.set(anonymousId);
  let userId = values.get(USER_ID);
  let traits = readJson(values.get(TRAITS));

  async function record(type: EventType, fields: Partial<LivoraEvent>): Promise<LivoraEvent | null> {
    if (values.get(OPTED_OUT) === '1') return null;
    const made = newEvent(
      type,
      {
        anonymous_id: anonymousId,
        ...(userId ? { user_id: userId } : {}),
        session_id: session.touch(),
        context: runtime.context(),
        ...fields,
      },
      randomId,
    );
    const event = await runPlugins(plugins, made);
    if (!event) return null;
    await queue.enqueue(event);
    runtime.onQueued?.(event);
    return event;
  }

  return {
    track: (event: string, properties: Properties = {}) => record('track', { event, properties }),

    /** `page()`, `page(name)`, `page(category, name)`, each with properties last. */
    page(...args: (string | Properties | undefined)[]) {
      const strings = args.filter((a): a is string => typeof a === 'string');
      const properties = args.find((a): a is Properties => typeof a === 'object' && a !== null) ?? {};
      const [category, name] = strings.length >= 2 ? strings : [undefined, strings[0]];
      const page = (runtime.context().page ?? {}) as Properties;
      return record('page', {
        ...(name ? { name } : {}),
        ...(category ? { category } : {}),
        properties: { ...page, ...properties },
      });
    },

    screen: (name: string, properties: Properties = {}) => record('screen', { name, properties }),

    /** `identify(userId, traits)` or `identify(traits)`: traits add to those known. */
    identify(id?: string | Properties | null, more: Properties = {}) {
      if (typeof id === 'string' && id !== '') {
        if (userId && userId !== id) traits = {}; // another person on this device
        userId = id;
        values.set(USER_ID, id);
      }
      traits = { ...traits, ...(typeof id === 'object' && id !== null ? id : more) };
      values.set(TRAITS, JSON.stringify(traits));
      return record('identify', { traits });
    },

    group: (groupId: string, groupTraits: Properties = {}) =>
      record('group', { group_id: groupId, traits: groupTraits }),

    /** The user is now `newId` (their previous id, or the anonymous one, merges into it). */
    alias(newId: string) {
      const previous = userId ?? anonymousId;
      userId = newId;
      values.set(USER_ID, newId);
      return record('alias', { previous_id: previous, user_id: newId });
    },

    /** Forgets the user (logout): a new anonymous id and session, no user id or traits. */
    reset(): void {
      userId = null;
      traits = {};
      values.remove(USER_ID);
      values.remove(TRAITS);
      anonymousId = randomId();
      runtime.anonymousId.set(anonymousId);
      session.reset();
    },

    flush: () => queue.flush(),

    /** No event is recorded until `optIn()` (remembered on this device); queued ones still go. */
    optOut: () => values.set(OPTED_OUT, '1'),
    optIn: () => values.remove(OPTED_OUT),
    optedOut: () => values.get(OPTED_OUT) === '1',

    /** Adds a plugin after those given at start. */
    use(plugin: Plugin): void {
      plugins.push(plugin);
    },

    user: () => ({ anonymousId, userId, traits: { ...traits } }),
    queue,
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;

function readJson(text: string | null): Properties {
  try {
    const value = JSON.parse(text ?? '{}');
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}
