import { parseRetryAfter } from './backoff.ts';
import { byteLength, type LivoraEvent } from './event.ts';

/** What became of a batch: sent (some events maybe rejected), to retry later, or refused whole. */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly rejected: readonly Rejection[] }
  | { readonly kind: 'retry'; readonly retryAfterMs: number | null; readonly reason: string }
  | { readonly kind: 'refused'; readonly status: number; readonly reason: string };

export interface Rejection {
  readonly index: number;
  readonly code: string;
  readonly message: string;
}

const KEEPALIVE_BYTES = 60 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;

export type Transport = (events: readonly LivoraEvent[]) => Promise<SendOutcome>;

/** The request body of `/v1/events`: the write key travels in it, so browsers send it without a preflight. */
export function batchBody(writeKey: string, events: readonly LivoraEvent[]): string {
  return JSON.stringify({ writeKey, events });
}

/**
 * Posts batches to `/v1/events` as `text/plain` (a CORS "simple" request, the way beacons
 * send). Network errors, 408, 429 and 5xx are worth retrying (429's Retry-After kept);
 * any other answer is final.
 */
export function createFetchTransport(options: {
  readonly host: string;
  readonly writeKey: string;
  readonly fetch?: typeof globalThis.fetch;
}): Transport {
  const post = options.fetch ?? ((...args) => globalThis.fetch(...args));
  const url = `${options.host.replace(/\/+$/, '')}/v1/events`;
  return async (events) => {
    const body = batchBody(options.writeKey, events);
    let response: Response;
    try {
      response = await post(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body,
        // Lets a request finish when the page goes away; browsers allow it for small bodies only.
        keepalive: byteLength(body) < KEEPALIVE_BYTES,
        // A request that hangs is retried like a failed one.
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return { kind: 'retry', retryAfterMs: null, reason: String(error) };
    }
    const { status } = response;
    if (status === 408 || status === 429 || status >= 500)
      return {
        kind: 'retry',
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        reason: `HTTP ${status}`,
      };
    const answer = (await response.json().catch(() => ({}))) as {
      rejected?: Rejection[];
      detail?: string;
      code?: string;
    };
    // 202, or 400 with every event's own reason: the batch was read, event by event.
    if (status < 300 || Array.isArray(answer.rejected)) return { kind: 'sent', rejected: answer.rejected ?? [] };
    return { kind: 'refused', status, reason: `${answer.code ?? `HTTP ${status}`}: ${answer.detail ?? 'refused'}` };
  };
}
