import { Pool } from 'undici';

export interface StepResult {
  readonly concurrency: number;
  readonly seconds: number;
  readonly requests: number;
  readonly acceptedEvents: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Ready-made request bodies: batches of 100 canonical events with distinct ids. */
export function makeBodies(count: number, batchSize: number, runId: string): string[] {
  return Array.from({ length: count }, (_, b) =>
    JSON.stringify({
      events: Array.from({ length: batchSize }, (_, i) => ({
        type: 'track',
        event: i % 3 === 0 ? 'Product Viewed' : i % 3 === 1 ? 'Product Added' : 'Order Completed',
        event_id: `${runId}-${b}-${i}`,
        anonymous_id: `anon-${(b * 7 + i) % 5000}`,
        timestamp: new Date().toISOString(),
        context: {
          ip: '203.0.113.9',
          user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
          page: { url: 'https://shop.example.com/p/42' },
        },
        properties: { product_id: `sku-${i}`, price: 19.99, currency: 'EUR', quantity: 1 + (i % 3) },
      })),
    }),
  );
}

/** Keeps `concurrency` requests in flight for `seconds`, cycling through `bodies`. */
export async function runStep(options: {
  url: string;
  authorization?: string;
  bodies: readonly string[];
  concurrency: number;
  seconds: number;
  countAccepted: (body: string) => number;
}): Promise<StepResult> {
  const origin = new URL(options.url).origin;
  const path = new URL(options.url).pathname;
  const pool = new Pool(origin, { connections: options.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let acceptedEvents = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.authorization) headers.authorization = options.authorization;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        const body = options.bodies[next++ % options.bodies.length] as string;
        const t0 = performance.now();
        try {
          const response = await pool.request({ method: 'POST', path, headers, body });
          const text = await response.body.text();
          latencies.push(performance.now() - t0);
          if (response.statusCode === 202) acceptedEvents += options.countAccepted(text);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    concurrency: options.concurrency,
    seconds,
    requests: latencies.length,
    acceptedEvents,
    errors,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
