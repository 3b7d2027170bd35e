import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './canonical-event.ts';
import { checkCanonicalEvent, describeErrors } from './check-event.ts';

/** The smallest valid event of each type. */
const MINIMAL: Record<(typeof EVENT_TYPES)[number], Record<string, unknown>> = {
  track: { type: 'track', event: 'Order Completed', anonymous_id: 'anon-1' },
  identify: { type: 'identify', user_id: 'u-1' },
  page: { type: 'page', anonymous_id: 'anon-1' },
  screen: { type: 'screen', anonymous_id: 'anon-1' },
  group: { type: 'group', group_id: 'acme', user_id: 'u-1' },
  alias: { type: 'alias', previous_id: 'anon-1', user_id: 'u-1' },
};

const COMMON = {
  event_id: 'evt-1',
  user_id: 'u-1',
  anonymous_id: 'anon-1',
  session_id: 's-1',
  timestamp: '2024-05-01T10:00:00.000Z',
  sent_at: '2024-05-01T10:00:01+02:00',
  context: { ip: '203.0.113.9', library: { name: 'analytics.js' } },
  integrations: { All: true },
};

/** Each type's event with every field it allows. */
const FULL: Record<(typeof EVENT_TYPES)[number], Record<string, unknown>> = {
  track: { type: 'track', event: 'Order Completed', properties: { total: 9.5 }, ...COMMON },
  identify: { type: 'identify', traits: { plan: 'pro' }, ...COMMON },
  page: { type: 'page', name: 'Pricing', category: 'Docs', properties: { path: '/pricing' }, ...COMMON },
  screen: { type: 'screen', name: 'Home', category: 'Main', properties: { scroll: 3 }, ...COMMON },
  group: { type: 'group', group_id: 'acme', traits: { seats: 10 }, ...COMMON },
  alias: { type: 'alias', previous_id: 'anon-1', ...COMMON },
};

function refusal(raw: unknown): { code: string; message: string } {
  const result = checkCanonicalEvent(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
  return { code: result.code, message: result.message };
}

describe('checkCanonicalEvent', () => {
  it('knows the six Segment Spec calls', () => {
    expect([...EVENT_TYPES].sort()).toEqual(Object.keys(MINIMAL).sort());
  });

  describe.each(EVENT_TYPES)('%s', (type) => {
    it('accepts the smallest valid event, as given', () => {
      const event = MINIMAL[type];
      expect(checkCanonicalEvent(event)).toEqual({ ok: true, event });
    });

    it('accepts every field the type allows', () => {
      expect(checkCanonicalEvent(FULL[type]).ok).toBe(true);
    });

    it('refuses an additional top-level property, naming it', () => {
      expect(refusal({ ...MINIMAL[type], userId: 'u-1' })).toEqual({
        code: 'LIVORA_EVENT_INVALID',
        message: '/: must not have additional properties (userId)',
      });
    });

    it('refuses a timestamp that is not an ISO 8601 date-time', () => {
      expect(refusal({ ...MINIMAL[type], timestamp: '01/05/2024 10:00' })).toEqual({
        code: 'LIVORA_EVENT_INVALID',
        message: '/timestamp: must match format "date-time"',
      });
    });

    it('refuses context that is not an object', () => {
      expect(refusal({ ...MINIMAL[type], context: ['ip'] }).message).toBe('/context: must be object');
    });

    it('refuses an empty or overlong id', () => {
      expect(refusal({ ...MINIMAL[type], user_id: '' }).message).toMatch(/^\/user_id: /);
      expect(refusal({ ...MINIMAL[type], event_id: 'x'.repeat(129) }).message).toMatch(/^\/event_id: /);
    });
  });

  it.each([
    ['track', 'without its event name', { type: 'track', anonymous_id: 'a' }, /required properties event/],
    ['track', 'with an empty event name', { type: 'track', event: '', anonymous_id: 'a' }, /^\/event: /],
    ['track', 'with a 201-character name', { type: 'track', event: 'e'.repeat(201), anonymous_id: 'a' }, /^\/event: /],
    ['track', 'with array properties', { type: 'track', event: 'X', anonymous_id: 'a', properties: [] }, /object/],
    ['identify', 'with an event name', { type: 'identify', user_id: 'u', event: 'X' }, /additional.*\(event\)/],
    ['identify', 'with string traits', { type: 'identify', user_id: 'u', traits: 'pro' }, /^\/traits: /],
    ['page', 'with a numeric name', { type: 'page', anonymous_id: 'a', name: 5 }, /^\/name: must be string/],
    ['page', 'with a 201-character category', { type: 'page', anonymous_id: 'a', category: 'c'.repeat(201) }, /cat/],
    ['screen', 'with traits', { type: 'screen', anonymous_id: 'a', traits: {} }, /additional.*\(traits\)/],
    ['group', 'without group_id', { type: 'group', user_id: 'u' }, /required properties group_id/],
    ['group', 'with an empty group_id', { type: 'group', user_id: 'u', group_id: '' }, /^\/group_id: /],
    ['alias', 'without previous_id', { type: 'alias', user_id: 'u' }, /required properties previous_id/],
    ['alias', 'with only an anonymous_id', { type: 'alias', previous_id: 'p', anonymous_id: 'a' }, /user_id/],
  ])('refuses a %s event %s', (_type, _case, raw, message) => {
    const result = refusal(raw);
    expect(result.code).toBe('LIVORA_EVENT_INVALID');
    expect(result.message).toMatch(message);
  });

  it.each([
    ['an unknown type', { type: 'purchase', user_id: 'u' }, '"purchase"'],
    ['a missing type', { event: 'X', user_id: 'u' }, 'null'],
    ['a type of the wrong case', { type: 'Track', event: 'X', user_id: 'u' }, '"Track"'],
    ['a numeric type', { type: 1, user_id: 'u' }, '1'],
  ])('refuses %s as an unknown type', (_case, raw, got) => {
    expect(refusal(raw)).toEqual({
      code: 'LIVORA_EVENT_UNKNOWN_TYPE',
      message: `type must be one of track, identify, page, screen, group, alias; got ${got}`,
    });
  });

  it.each([
    ['null', null],
    ['an array', [{ type: 'track' }]],
    ['a string', 'track'],
    ['a number', 42],
  ])('refuses %s: an event must be an object', (_case, raw) => {
    expect(refusal(raw)).toEqual({ code: 'LIVORA_EVENT_INVALID', message: 'an event must be a JSON object' });
  });

  it.each(EVENT_TYPES.filter((t) => t !== 'alias'))(
    'refuses a %s event with neither user_id nor anonymous_id',
    (type) => {
      const { user_id: _u, anonymous_id: _a, ...anonymous } = MINIMAL[type];
      expect(refusal(anonymous)).toEqual({
        code: 'LIVORA_EVENT_IDENTITY_MISSING',
        message: 'user_id or anonymous_id is required',
      });
    },
  );

  it('accepts either identity alone', () => {
    expect(checkCanonicalEvent({ type: 'track', event: 'X', user_id: 'u' }).ok).toBe(true);
    expect(checkCanonicalEvent({ type: 'track', event: 'X', anonymous_id: 'a' }).ok).toBe(true);
  });

  it('reports schema errors before a missing identity', () => {
    expect(refusal({ type: 'track' }).code).toBe('LIVORA_EVENT_INVALID');
  });
});

describe('describeErrors', () => {
  const error = (instancePath: string, message: string, keyword = 'type', params?: unknown) => ({
    instancePath,
    message,
    keyword,
    params,
  });

  it('joins the first three errors, the root as "/"', () => {
    const errors = [
      error('', 'must have required properties event', 'required'),
      error('/a', 'must be string'),
      error('/b', 'must be string'),
      error('/c', 'must be string'),
    ];
    expect(describeErrors(errors)).toBe(
      '/: must have required properties event; /a: must be string; /b: must be string',
    );
    expect(describeErrors(errors, 1)).toBe('/: must have required properties event');
  });

  it('skips "boolean" errors and names additional properties', () => {
    const errors = [
      error('', 'boolean schema is false', 'boolean'),
      error('', 'must not have additional properties', 'additionalProperties', { additionalProperties: ['x', 'y'] }),
    ];
    expect(describeErrors(errors)).toBe('/: must not have additional properties (x, y)');
  });

  it('says something when there is no error to show', () => {
    expect(describeErrors([])).toBe('does not match the schema');
  });
});
