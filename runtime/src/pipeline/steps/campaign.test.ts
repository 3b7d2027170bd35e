import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../events/canonical-event.ts';
import type { PipelineEvent, StepContext } from '../pipeline-event.ts';
import { createCampaignStep } from './campaign.ts';

const page = (context: Record<string, unknown>, offset: number): PipelineEvent => ({
  partition: '0',
  offset: String(offset),
  event: {
    v: 1,
    tenant_id: 't',
    source_id: 's',
    event_id: `e-${offset}`,
    anonymous_id: 'a',
    type: 'page',
    timestamp: '2026-11-01T00:00:00.000Z',
    received_at: '2026-11-01T00:00:00.000Z',
    context,
  } as unknown as StoredEvent,
  derived: {},
});

const derive = async (events: PipelineEvent[]) => {
  await createCampaignStep().run(events, {} as StepContext);
  return events.map((e) => e.derived);
};

describe('campaign step', () => {
  it('reads one URL the same way each time it comes, and keeps each event its own context', async () => {
    const url = 'https://shop.example.com/p/1?utm_source=Google&utm_medium=CPC&utm_campaign=winter';
    const [first, second, third] = await derive([
      page({ page: { url } }, 1),
      page({ page: { url }, campaign: { source: 'newsletter', medium: 'email' } }, 2),
      page({ page: { url } }, 3),
    ]);
    expect(first).toEqual({
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'winter',
      page_url: url,
      page_path: '/p/1',
      channel: 'paid_search',
    });
    expect(second).toMatchObject({ utm_source: 'newsletter', utm_medium: 'email', channel: 'email' });
    expect(third).toEqual(first);
  });

  it('takes a paid click id for a paid channel, and a referrer only from another site', async () => {
    const [fromAd, sameSite, elsewhere] = await derive([
      page({ page: { url: 'https://shop.example.com/?fbclid=x1', referrer: 'https://shop.example.com/' } }, 1),
      page({ page: { url: 'https://shop.example.com/a', referrer: 'https://SHOP.example.com/b' } }, 2),
      page({ page: { url: 'https://shop.example.com/a', referrer: 'https://www.Google.com/search' } }, 3),
    ]);
    expect(fromAd).toMatchObject({ channel: 'paid_social' });
    expect(fromAd?.referrer_host).toBeUndefined();
    expect(sameSite).toMatchObject({ channel: 'direct' });
    expect(sameSite?.referrer_host).toBeUndefined();
    expect(elsewhere).toMatchObject({ referrer_host: 'www.google.com', channel: 'organic_search' });
  });

  it('compares hosts as the URLs give them, and keeps the referrer lowercased', async () => {
    // Outside http(s), a URL keeps its host's case: an app's referrer with another case is another host.
    const [app] = await derive([
      page({ page: { url: 'android-app://Com.Shop/home', referrer: 'android-app://com.shop/' } }, 1),
    ]);
    expect(app).toMatchObject({ referrer_host: 'com.shop', channel: 'referral' });
  });

  it('leaves an unparsable URL out, and keeps the page path the call gave', async () => {
    const [broken] = await derive([page({ page: { url: 'not a url', path: '/given' } }, 1)]);
    expect(broken).toEqual({ page_path: '/given', channel: 'direct' });
  });
});
