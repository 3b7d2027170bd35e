import { describe, expect, it, vi } from 'vitest';
import type { CanonicalEventInput } from './canonical-event.ts';
import { checkCanonicalEvent } from './check-event.ts';
import { type StampContext, stampEvent } from './stamp-event.ts';

const RECEIVED = '2024-05-01T12:00:00.000Z';

function context(overrides: Partial<StampContext> = {}): StampContext {
  return {
    tenantId: 'acme',
    sourceId: 'key-1',
    receivedAt: new Date(RECEIVED),
    newEventId: () => 'server-id',
    ...overrides,
  };
}

const track = (fields: Record<string, unknown> = {}) =>
  ({ type: 'track', event: 'Order Completed', anonymous_id: 'anon-1', ...fields }) as CanonicalEventInput;

describe('stampEvent', () => {
  it('adds the envelope and keeps every input field', () => {
    const input = track({ properties: { total: 9.5 }, context: { ip: '203.0.113.9' } });
    expect(stampEvent(input, context())).toEqual({
      ...input,
      v: 1,
      event_id: 'server-id',
      tenant_id: 'acme',
      source_id: 'key-1',
      timestamp: RECEIVED,
      received_at: RECEIVED,
    });
  });

  it('does not change its input', () => {
    const input = track({ timestamp: '2024-05-01T11:00:00Z', sent_at: '2024-05-01T11:00:05Z' });
    const copy = structuredClone(input);
    stampEvent(input, context());
    expect(input).toEqual(copy);
  });

  describe('event_id', () => {
    it('is made by the server when absent', () => {
      const newEventId = vi.fn(() => 'made-1');
      expect(stampEvent(track(), context({ newEventId })).event_id).toBe('made-1');
      expect(newEventId).toHaveBeenCalledTimes(1);
    });

    it('is the client’s when given, and no id is made', () => {
      const newEventId = vi.fn(() => 'made-1');
      expect(stampEvent(track({ event_id: 'client-1' }), context({ newEventId })).event_id).toBe('client-1');
      expect(newEventId).not.toHaveBeenCalled();
    });
  });

  describe('timestamp', () => {
    it('is the reception time when the client gives none', () => {
      const stored = stampEvent(track(), context());
      expect(stored.timestamp).toBe(RECEIVED);
      expect(stored).not.toHaveProperty('original_timestamp');
    });

    it('is the reception time when the client gives only sent_at', () => {
      const stored = stampEvent(track({ sent_at: '2024-05-01T12:30:00Z' }), context());
      expect(stored.timestamp).toBe(RECEIVED);
      expect(stored).not.toHaveProperty('original_timestamp');
    });

    it('is the client’s, normalised to UTC, when sent_at is absent', () => {
      const stored = stampEvent(track({ timestamp: '2024-05-01T13:15:00+02:00' }), context());
      expect(stored.timestamp).toBe('2024-05-01T11:15:00.000Z');
      expect(stored.original_timestamp).toBe('2024-05-01T13:15:00+02:00');
    });

    it('keeps no original_timestamp when nothing changed', () => {
      const stored = stampEvent(track({ timestamp: '2024-05-01T11:15:00.000Z' }), context());
      expect(stored.timestamp).toBe('2024-05-01T11:15:00.000Z');
      expect(stored).not.toHaveProperty('original_timestamp');
    });

    it('is corrected for a client clock that runs fast: received_at − (sent_at − timestamp)', () => {
      // The client's clock is 5 minutes ahead: it says it sent at 12:05, 60 s after the event.
      const input = track({ timestamp: '2024-05-01T12:04:00.000Z', sent_at: '2024-05-01T12:05:00.000Z' });
      const stored = stampEvent(input, context());
      expect(stored.timestamp).toBe('2024-05-01T11:59:00.000Z');
      expect(stored.original_timestamp).toBe('2024-05-01T12:04:00.000Z');
      expect(stored.sent_at).toBe('2024-05-01T12:05:00.000Z');
      expect(stored.received_at).toBe(RECEIVED);
    });

    it('is corrected for a client clock that runs slow, across time zones', () => {
      // Sent 2 h 30 min (and 250 ms) late by the client's clock, which also uses +02:00.
      const input = track({ timestamp: '2024-05-01T09:00:00.000+02:00', sent_at: '2024-05-01T11:30:00.250+02:00' });
      expect(stampEvent(input, context()).timestamp).toBe('2024-05-01T09:29:59.750Z');
    });

    it('gives received_at when the event was sent as it happened', () => {
      const input = track({ timestamp: '2020-01-01T00:00:00Z', sent_at: '2020-01-01T00:00:00Z' });
      const stored = stampEvent(input, context());
      expect(stored.timestamp).toBe(RECEIVED);
      expect(stored.original_timestamp).toBe('2020-01-01T00:00:00Z');
    });
  });

  it('records the schema version only when given', () => {
    expect(stampEvent(track(), context({ schemaVersion: 3 })).schema_version).toBe(3);
    expect(stampEvent(track(), context())).not.toHaveProperty('schema_version');
  });

  it('lets the server’s envelope win over same-named input fields', () => {
    const input = { ...track(), tenant_id: 'other', v: 9, received_at: 'then' } as unknown as CanonicalEventInput;
    const stored = stampEvent(input, context());
    expect([stored.tenant_id, stored.v, stored.received_at]).toEqual(['acme', 1, RECEIVED]);
  });

  // Regression (fixed): the canonical check accepts RFC 3339 leap seconds ("…T23:59:60Z"), which Date.parse
  // cannot read, so stampEvent throws RangeError("Invalid time value") and the whole batch fails.
  it('stamps every timestamp the canonical check accepts (leap second)', () => {
    const checked = checkCanonicalEvent(track({ timestamp: '2016-12-31T23:59:60Z' }));
    expect(() => {
      if (checked.ok) stampEvent(checked.event, context());
    }).not.toThrow();
  });
});
