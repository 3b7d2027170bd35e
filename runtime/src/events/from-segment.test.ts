import { describe, expect, it } from 'vitest';
import { snakeCaseKeys } from '../shared/snake-case.ts';
import { checkCanonicalEvent } from './check-event.ts';
import { fromSegmentMessage } from './from-segment.ts';

describe('fromSegmentMessage', () => {
  it('maps a Segment track message onto a canonical event', () => {
    const message = {
      type: 'track',
      event: 'Order Completed',
      messageId: 'ajs-next-1',
      userId: 'u-1',
      anonymousId: 'anon-1',
      properties: { orderId: 'o-1', total: 9.5 },
      integrations: { Amplitude: false },
      timestamp: '2024-05-01T10:00:00.000Z',
      sentAt: '2024-05-01T10:00:01.000Z',
      context: { userAgent: 'Mozilla/5.0', page: { path: '/checkout' } },
    };
    expect(fromSegmentMessage(message)).toEqual({
      type: 'track',
      event: 'Order Completed',
      event_id: 'ajs-next-1',
      user_id: 'u-1',
      anonymous_id: 'anon-1',
      properties: { orderId: 'o-1', total: 9.5 },
      integrations: { Amplitude: false },
      timestamp: '2024-05-01T10:00:00.000Z',
      sent_at: '2024-05-01T10:00:01.000Z',
      context: { user_agent: 'Mozilla/5.0', page: { path: '/checkout' } },
    });
  });

  it('maps group and alias ids', () => {
    expect(fromSegmentMessage({ type: 'group', groupId: 'acme', userId: 'u', traits: { seats: 3 } })).toEqual({
      type: 'group',
      group_id: 'acme',
      user_id: 'u',
      traits: { seats: 3 },
    });
    expect(fromSegmentMessage({ type: 'alias', previousId: 'anon-1', userId: 'u' })).toEqual({
      type: 'alias',
      previous_id: 'anon-1',
      user_id: 'u',
    });
  });

  it('passes page and screen names and categories', () => {
    expect(fromSegmentMessage({ type: 'page', anonymousId: 'a', name: 'Pricing', category: 'Docs' })).toEqual({
      type: 'page',
      anonymous_id: 'a',
      name: 'Pricing',
      category: 'Docs',
    });
  });

  it('turns numeric ids into strings, as Segment does', () => {
    expect(fromSegmentMessage({ type: 'identify', userId: 42, anonymousId: 7, groupId: 0 })).toEqual({
      type: 'identify',
      user_id: '42',
      anonymous_id: '7',
      group_id: '0',
    });
  });

  it('drops null fields as if they were absent', () => {
    expect(fromSegmentMessage({ type: 'track', event: 'X', userId: null, anonymousId: 'a', properties: null })).toEqual(
      { type: 'track', event: 'X', anonymous_id: 'a' },
    );
  });

  it('drops fields that are not part of the canonical event', () => {
    const message = {
      type: 'identify',
      userId: 'u',
      channel: 'server',
      version: 2,
      _metadata: { nodeVersion: '20' },
      writeKey: 'wk',
      receivedAt: '2024-05-01T10:00:00Z',
      user_id: 'smuggled',
    };
    expect(fromSegmentMessage(message)).toEqual({ type: 'identify', user_id: 'u' });
  });

  it('falls back to originalTimestamp only when timestamp is absent', () => {
    expect(fromSegmentMessage({ type: 'identify', userId: 'u', originalTimestamp: '2024-01-01T00:00:00Z' })).toEqual({
      type: 'identify',
      user_id: 'u',
      timestamp: '2024-01-01T00:00:00Z',
    });
    const both = { type: 'identify', userId: 'u', timestamp: '2024-02-02T00:00:00Z', originalTimestamp: '2024-01-01' };
    expect(fromSegmentMessage(both)).toMatchObject({ timestamp: '2024-02-02T00:00:00Z' });
  });

  describe('the type', () => {
    it('comes from the endpoint when given, over the message’s', () => {
      expect(fromSegmentMessage({ type: 'track', userId: 'u' }, 'identify')).toEqual({
        type: 'identify',
        user_id: 'u',
      });
      expect(fromSegmentMessage({ userId: 'u' }, 'page')).toEqual({ type: 'page', user_id: 'u' });
    });

    it('comes from the message otherwise', () => {
      expect(fromSegmentMessage({ type: 'screen', userId: 'u' })).toEqual({ type: 'screen', user_id: 'u' });
    });
  });

  describe('batch-level defaults', () => {
    const defaults = {
      context: { library: { name: 'analytics-node' }, locale: 'en-GB' },
      integrations: { All: true, Mixpanel: false },
      sentAt: '2024-05-01T10:00:05Z',
    };

    it('fill in context, integrations and sentAt', () => {
      expect(fromSegmentMessage({ type: 'identify', userId: 'u' }, undefined, defaults)).toEqual({
        type: 'identify',
        user_id: 'u',
        context: { library: { name: 'analytics-node' }, locale: 'en-GB' },
        integrations: { All: true, Mixpanel: false },
        sent_at: '2024-05-01T10:00:05Z',
      });
    });

    it('are merged under the message’s own values, which win', () => {
      const message = {
        type: 'identify',
        userId: 'u',
        context: { locale: 'fr-FR', userAgent: 'curl' },
        integrations: { Mixpanel: true },
        sentAt: '2024-05-01T10:00:09Z',
      };
      expect(fromSegmentMessage(message, undefined, defaults)).toEqual({
        type: 'identify',
        user_id: 'u',
        context: { library: { name: 'analytics-node' }, locale: 'fr-FR', user_agent: 'curl' },
        integrations: { All: true, Mixpanel: true },
        sent_at: '2024-05-01T10:00:09Z',
      });
    });

    it('snake-case the batch context too', () => {
      const event = fromSegmentMessage({ type: 'identify', userId: 'u' }, undefined, { context: { userAgent: 'x' } });
      expect(event).toEqual({ type: 'identify', user_id: 'u', context: { user_agent: 'x' } });
    });

    it('do not change the defaults object shared by the batch', () => {
      const shared = { context: { locale: 'en-GB' }, integrations: { All: true } };
      fromSegmentMessage(
        { type: 'identify', userId: 'u', context: { locale: 'fr' }, integrations: { X: 1 } },
        'x',
        shared,
      );
      expect(shared).toEqual({ context: { locale: 'en-GB' }, integrations: { All: true } });
    });
  });

  it('returns anything but an object as it is, for the check to refuse', () => {
    expect(fromSegmentMessage(null)).toBeNull();
    expect(fromSegmentMessage('track')).toBe('track');
    const array = [{ type: 'track' }];
    expect(fromSegmentMessage(array)).toBe(array);
  });

  it('produces events the canonical check accepts, from a typical analytics.js batch', () => {
    const message = {
      type: 'track',
      event: 'Product Viewed',
      messageId: 'ajs-next-2',
      anonymousId: '0b6c6a1e-5a4e-4b2f-9a49-3b3f0f0d6c8e',
      properties: { productId: 'p-1', price: 19.99 },
      originalTimestamp: '2024-05-01T10:00:00.000Z',
      context: { page: { path: '/p/1', referrer: '' }, userAgentData: { mobile: false } },
      _metadata: { bundled: ['Segment.io'] },
      channel: 'client',
      writeKey: 'wk',
    };
    const event = fromSegmentMessage(message, undefined, { sentAt: '2024-05-01T10:00:01.000Z' });
    expect(checkCanonicalEvent(event).ok).toBe(true);
  });
});

describe('snakeCaseKeys', () => {
  it.each([
    ['userAgent', 'user_agent'],
    ['userAgentData', 'user_agent_data'],
    ['IPAddress', 'ip_address'],
    ['userID', 'user_id'],
    ['ip', 'ip'],
    ['utm_source', 'utm_source'],
    ['page2Url', 'page2_url'],
  ])('%s → %s', (from, to) => {
    expect(snakeCaseKeys({ [from]: 1 })).toEqual({ [to]: 1 });
  });

  it('converts keys recursively, through arrays, and leaves values alone', () => {
    const input = {
      campaignInfo: { utmSource: 'newsLetter', nestedList: [{ deepKey: 'camelValue' }, 'plainString', 3] },
      userAgent: 'Mozilla',
    };
    expect(snakeCaseKeys(input)).toEqual({
      campaign_info: { utm_source: 'newsLetter', nested_list: [{ deep_key: 'camelValue' }, 'plainString', 3] },
      user_agent: 'Mozilla',
    });
  });

  it('leaves non-objects as they are', () => {
    expect(snakeCaseKeys('someValue')).toBe('someValue');
    expect(snakeCaseKeys(null)).toBeNull();
    expect(snakeCaseKeys(5)).toBe(5);
  });
});
