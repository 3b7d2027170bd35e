import { batchBody, byteLength, type LivoraEvent } from '../core/index.ts';

/** What a beacon (and a keepalive fetch) may carry. */
const BEACON_BYTES = 60 * 1024;

/**
 * Sends `events` as the page goes away: `navigator.sendBeacon` (the browser delivers it
 * after the page is gone), else `fetch` with `keepalive`. Returns the ids handed over;
 * `failed` hears of those a fallback fetch could not send after all.
 */
export function sendOnExit(
  url: string,
  writeKey: string,
  events: readonly LivoraEvent[],
  failed: (eventIds: string[]) => void,
): string[] {
  const handed: string[] = [];
  let chunk: LivoraEvent[] = [];
  const send = () => {
    if (chunk.length === 0) return;
    const body = batchBody(writeKey, chunk);
    let queued = false;
    try {
      queued = navigator.sendBeacon?.(url, new Blob([body], { type: 'text/plain' })) ?? false;
    } catch {}
    const ids = chunk.map((e) => e.event_id);
    if (!queued)
      try {
        fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' }, keepalive: true }).then(
          (response) => response.ok || failed(ids),
          () => failed(ids),
        );
        queued = true;
      } catch {}
    if (queued) handed.push(...ids);
    chunk = [];
  };
  let bytes = 0;
  for (const event of events) {
    const size = byteLength(JSON.stringify(event)) + 1;
    if (chunk.length === 100 || (chunk.length > 0 && bytes + size > BEACON_BYTES - writeKey.length - 32)) {
      send();
      bytes = 0;
    }
    chunk.push(event);
    bytes += size;
  }
  send();
  return handed;
}
