import { describe, expect, it } from 'vitest';
import { createFetchTransport, type LivoraEvent, newEvent, parseRetryAfter, retryDelay } from '../core/index.ts';
import { BUDGET_BYTES, browserBundleSize } from '../scripts/size.ts';

const events: LivoraEvent[] = [newEvent('track', { event: 'A', anonymous_id: 'a' }, () => 'e1')];

/** A transport whose fetch answers `status` with `body` and `headers`, recording the request. */
function answering(status: number, body: unknown = {}, headers: Record<string, string> = {}) {
  const requests: { url: string; init: RequestInit }[] = [];
  const transport = createFetchTransport({
    host: 'http://api.example/',
    writeKey: 'wk_1',
    fetch: async (url, init) => {
      requests.push({ url: String(url), init: init as RequestInit });
      return new Response(JSON.stringify(body), { status, headers });
    },
  });
  return { transport, requests };
}

describe('the transport', () => {
  it('posts text/plain with the write key in the body (no CORS preflight), to /v1/events', async () => {
    const { transport, requests } = answering(202, { accepted: [], rejected: [] });
    expect(await transport(events)).toEqual({ kind: 'sent', rejected: [] });
    expect(requests[0]?.url).toBe('http://api.example/v1/events');
    expect(requests[0]?.init.headers).toEqual({ 'content-type': 'text/plain' });
    expect(JSON.parse(String(requests[0]?.init.body))).toEqual({ writeKey: 'wk_1', events });
  });

  it('retries 408, 429 (with its Retry-After) and 5xx, and nothing else', async () => {
    expect(await answering(429, {}, { 'retry-after': '7' }).transport(events)).toMatchObject({
      kind: 'retry',
      retryAfterMs: 7000,
    });
    for (const status of [408, 500, 503]) expect((await answering(status).transport(events)).kind).toBe('retry');
    const refused = await answering(401, { code: 'LIVORA_AUTH_UNKNOWN_KEY', detail: 'unknown key' }).transport(events);
    expect(refused).toEqual({ kind: 'refused', status: 401, reason: 'LIVORA_AUTH_UNKNOWN_KEY: unknown key' });
    const allRejected = await answering(400, {
      code: 'LIVORA_INGEST_ALL_REJECTED',
      rejected: [{ index: 0, code: 'LIVORA_EVENT_INVALID', message: 'bad' }],
    }).transport(events);
    expect(allRejected).toEqual({
      kind: 'sent',
      rejected: [{ index: 0, code: 'LIVORA_EVENT_INVALID', message: 'bad' }],
    });
    const offline = createFetchTransport({
      host: 'http://api',
      writeKey: 'k',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect((await offline(events)).kind).toBe('retry');
  });

  it('reads Retry-After as seconds or a date, and spreads its own delays with jitter', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', Date.parse('2026-11-26T10:00:00Z'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect([1, 2, 3, 10].map((a) => retryDelay(a, null, undefined, () => 0))).toEqual([500, 1000, 2000, 30000]);
    expect(retryDelay(10, null, undefined, () => 1)).toBe(60000);
  });
});

describe('the browser bundle', () => {
  it(`stays under its budget of ${BUDGET_BYTES / 1024} KB minified and gzipped`, async () => {
    const { gzipped } = await browserBundleSize();
    expect(gzipped).toBeLessThan(BUDGET_BYTES);
  });
});
