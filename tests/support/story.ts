/**
 * A deterministic stream of events for `people` visitors: page views over several
 * sessions, identifies, product views and orders, some retried, some late. The same
 * arguments always make the same events (ids, timestamps, order).
 */
export function storyEvents(people: number, eventsPerPerson: number): Record<string, unknown>[] {
  const start = Date.parse('2026-11-01T08:00:00.000Z');
  const out: Record<string, unknown>[] = [];
  for (let p = 0; p < people; p++) {
    const anonymousId = `anon-${p}`;
    const userId = p % 3 === 0 ? undefined : `user-${p}`;
    for (let i = 0; i < eventsPerPerson; i++) {
      // Every 7th event starts 40 minutes after the previous: a new session.
      const minutes = i * 3 + Math.floor(i / 7) * 40;
      const timestamp = new Date(start + p * 1000 + minutes * 60_000).toISOString();
      const id = `story-${p}-${i}`;
      const base = { event_id: id, anonymous_id: anonymousId, timestamp };
      if (i === 2 && userId)
        out.push({ ...base, type: 'identify', user_id: userId, traits: { email: `${userId}@example.com`, visits: i } });
      else if (i % 5 === 4) {
        out.push({
          ...base,
          type: 'track',
          event: 'Order Completed',
          ...(userId ? { user_id: userId } : {}),
          properties: {
            order_id: `o-${p}-${i}`,
            revenue: Number(((p % 7) + i / 100 + 0.99).toFixed(2)),
            currency: p % 2 ? 'EUR' : 'USD',
          },
        });
      } else {
        out.push({
          ...base,
          type: 'page',
          name: `Page ${i}`,
          context: {
            ip: ['81.2.69.142', '8.8.8.8', '203.0.113.9'][p % 3],
            page: {
              url:
                i % 7 === 0
                  ? `https://shop.example.com/p/${i}?utm_source=newsletter&utm_medium=email`
                  : `https://shop.example.com/p/${i}`,
            },
          },
        });
      }
      if (i % 11 === 10) out.push(out.at(-1) as Record<string, unknown>); // a client retry
    }
  }
  return out;
}
