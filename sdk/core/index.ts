export { type Analytics, type AnalyticsOptions, createAnalytics, type Runtime } from './analytics.ts';
export { type BackoffOptions, parseRetryAfter, retryDelay } from './backoff.ts';
export {
  byteLength,
  type Dropped,
  type DropReason,
  LIBRARY,
  type LivoraEvent,
  newEvent,
  type Properties,
} from './event.ts';
export { createEventQueue, type EventQueue, type FlushLock, type QueueOptions } from './event-queue.ts';
export { randomId } from './ids.ts';
export { type Plugin, runPlugins } from './plugins.ts';
export { createMemoryQueueStore, type QueueStore } from './queue-store.ts';
export { createSession, SESSION_TIMEOUT_MS } from './session.ts';
export { createMemoryKeyValue, type KeyValue } from './storage.ts';
export { batchBody, createFetchTransport, type SendOutcome, type Transport } from './transport.ts';
