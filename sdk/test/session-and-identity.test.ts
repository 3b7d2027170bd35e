import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createAnalytics,
  createMemoryKeyValue,
  createMemoryQueueStore,
  createSession,
  type KeyValue,
  type LivoraEvent,
  type Runtime,
} from '../core/index.ts';

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('sessions', () => {
  it('last while events come less than 30 minutes apart, as on the server', () => {
    let id = 0;
    const session = createSession(createMemoryKeyValue(), () => `s${++id}`);
    expect(session.touch()).toBe('s1');
    vi.advanceTimersByTime(29 * 60_000);
    expect(session.touch()).toBe('s1');
    vi.advanceTimersByTime(29 * 60_000); // 58 minutes after the first, 29 after the last
    expect(session.touch()).toBe('s1');
    vi.advanceTimersByTime(30 * 60_000);
    expect(session.touch()).toBe('s2');
    session.reset();
    expect(session.touch()).toBe('s3');
  });

  it('continue across reloads: the state is in the store', () => {
    const values = createMemoryKeyValue();
    const first = createSession(values, () => 'kept').touch();
    vi.advanceTimersByTime(60_000);
    expect(createSession(values, () => 'new').touch()).toBe(first);
  });
});

/** A client over memory, with the events it queued. */
function client(values: KeyValue = createMemoryKeyValue(), anonymous: { id: string | null } = { id: null }) {
  const queued: LivoraEvent[] = [];
  const runtime: Runtime = {
    store: createMemoryQueueStore(100),
    send: async () => ({ kind: 'sent', rejected: [] }),
    values,
    context: () => ({ page: { path: '/pricing', title: 'Pricing' } }),
    anonymousId: {
      get: () => anonymous.id,
      set: (id) => {
        anonymous.id = id;
      },
    },
    onQueued: (event) => void queued.push(event),
  };
  return { analytics: createAnalytics(runtime, { writeKey: 'wk', host: 'http://api' }), queued, anonymous };
}

describe('the client', () => {
  it('stamps each event with its own id, the anonymous id, the session, the page and the library', async () => {
    const { analytics, queued } = client();
    await analytics.track('Signed Up', { plan: 'pro' });
    await analytics.page('Docs', 'Install', { section: 'npm' });
    const [track, page] = queued;
    expect(track).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      properties: { plan: 'pro' },
      anonymous_id: analytics.user().anonymousId,
      timestamp: '2026-11-26T10:00:00.000Z',
      context: { page: { path: '/pricing' }, library: { name: '@livora/sdk' } },
    });
    expect(page).toMatchObject({ type: 'page', category: 'Docs', name: 'Install' });
    expect(page?.properties).toEqual({ path: '/pricing', title: 'Pricing', section: 'npm' });
    expect(track?.event_id).not.toBe(page?.event_id);
    expect(track?.session_id).toBe(page?.session_id);
  });

  it('remembers the user across loads, merges traits, aliases, and forgets all on reset', async () => {
    const values = createMemoryKeyValue();
    const anonymous = { id: null as string | null };
    const first = client(values, anonymous);
    await first.analytics.identify('u-1', { plan: 'free' });
    await first.analytics.identify({ seats: 3 });
    const reloaded = client(values, anonymous);
    await reloaded.analytics.track('Came Back');
    expect(reloaded.queued[0]).toMatchObject({ user_id: 'u-1', anonymous_id: first.analytics.user().anonymousId });
    expect(reloaded.analytics.user().traits).toEqual({ plan: 'free', seats: 3 });
    await reloaded.analytics.alias('u-1-new');
    expect(reloaded.queued[1]).toMatchObject({ type: 'alias', previous_id: 'u-1', user_id: 'u-1-new' });
    const before = reloaded.analytics.user().anonymousId;
    reloaded.analytics.reset();
    await reloaded.analytics.track('Anonymous Again');
    expect(reloaded.queued[2]?.user_id).toBeUndefined();
    expect(reloaded.queued[2]?.anonymous_id).not.toBe(before);
    expect(anonymous.id).toBe(reloaded.queued[2]?.anonymous_id);
  });

  it('records nothing after optOut() until optIn(), remembered across loads', async () => {
    const values = createMemoryKeyValue();
    const { analytics, queued } = client(values);
    analytics.optOut();
    expect(await analytics.track('Hidden')).toBeNull();
    expect(client(values).analytics.optedOut()).toBe(true);
    analytics.optIn();
    await analytics.track('Seen');
    expect(queued.map((e) => e.event)).toEqual(['Seen']);
  });

  it('runs plugins: before may change or drop an event, enrich adds, a failing one is skipped', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { analytics, queued } = client();
    analytics.use({ name: 'drop-internal', before: (e) => (e.event?.startsWith('Internal') ? null : e) });
    analytics.use({ name: 'broken', enrich: () => Promise.reject(new Error('boom')) });
    analytics.use({ name: 'app', enrich: (e) => ({ ...e, context: { ...e.context, app: { build: '42' } } }) });
    await analytics.track('Internal Ping');
    await analytics.track('Bought');
    expect(queued.map((e) => [e.event, (e.context.app as { build: string } | undefined)?.build])).toEqual([
      ['Bought', '42'],
    ]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('plugin broken failed'), expect.any(Error));
  });
});
