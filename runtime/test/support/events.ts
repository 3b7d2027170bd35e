let n = 0;

/** A valid canonical track event with a fresh id. */
export function trackEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    type: 'track',
    event: 'Product Viewed',
    event_id: `evt-${process.pid}-${Date.now()}-${n}`,
    anonymous_id: `anon-${n % 17}`,
    properties: { product_id: `p-${n % 5}`, price: 19.99 },
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}
