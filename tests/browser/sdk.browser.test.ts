import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, timesLogged } from '../../runtime/test/support/test-api.ts';
import { startSite, switchableProxy } from './sdk-page.ts';

// Debian's chromium (apt-get install chromium), headless.
const CHROMIUM = process.env.LIVORA_CHROMIUM ?? '/usr/bin/chromium';

let api: TestApi;
let writeKey: string;
let site: Awaited<ReturnType<typeof startSite>>;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi();
  ({ key: writeKey } = await api.tenant());
  site = await startSite();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await api?.close();
});

/** Opens the site in `context` with the SDK started on `host` with `options`. */
async function open(page: Page, host: string, options: Record<string, unknown> = {}): Promise<void> {
  const query = new URLSearchParams({ options: JSON.stringify({ writeKey, host, flushInterval: 200, ...options }) });
  await page.goto(`${site.url}/shop?utm_source=newsletter&${query}`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
}

/** Tracks `names` on the page and returns the events' ids. */
async function track(page: Page, names: readonly string[]): Promise<string[]> {
  return page.evaluate(async (list) => {
    const livora = (window as unknown as { livora: { track(n: string): Promise<{ event_id: string }> } }).livora;
    const ids: string[] = [];
    for (const name of list) ids.push((await livora.track(name)).event_id);
    return ids;
  }, names);
}

/** Waits until the page's client has failed to send (it backs off, and sends no beacon on exit). */
async function failedOnce(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    (window as unknown as { livora: { queue: { backingOff(): boolean } } }).livora.queue.backingOff(),
  );
}

async function until(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const allOnce = (ids: readonly string[]) => async () => (await timesLogged(api, ids)).every((n) => n === 1);

describe('the browser SDK in Chromium, against a running engine', () => {
  it('delivers what a page tracks, with the page, the campaign and the session', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page, api.url);
    const ids = await track(page, ['Product Viewed', 'Product Added']);
    await until(allOnce(ids), 'the events in the log');
    const [first] = (await api.readLog())
      .map((r) => JSON.parse(r.payload))
      .filter((e: { event_id: string }) => e.event_id === ids[0]);
    expect(first).toMatchObject({
      event: 'Product Viewed',
      context: { page: { path: '/shop' }, campaign: { source: 'newsletter' }, library: { name: '@livora/sdk' } },
    });
    expect(first.session_id).toBeTruthy();
    expect(first.anonymous_id).toBeTruthy();
    await context.close();
  });

  it('takes Segment’s calls: AnalyticsBrowser.load, then analytics.track and identify as analytics.js has them', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page, api.url);
    const ids = await page.evaluate(
      async ({ key, host }) => {
        type Client = {
          track(e: string, p?: object): Promise<{ event_id: string }>;
          identify(id: string, t?: object): Promise<{ event_id: string }>;
          flush(): Promise<void>;
        };
        const segment = (window as unknown as { AnalyticsBrowser: { load(s: object): Client } }).AnalyticsBrowser;
        const analytics = segment.load({ writeKey: key, cdnURL: host });
        const tracked = await analytics.track('Signed Up', { plan: 'pro' });
        const identified = await analytics.identify('u-7', { email: 'u7@example.com' });
        await analytics.flush();
        return [tracked.event_id, identified.event_id];
      },
      { key: writeKey, host: api.url },
    );
    await until(allOnce(ids), 'the Segment-style calls');
    await context.close();
  });

  it('keeps events tracked while the API is down, across a reload, and delivers them when it is back', async () => {
    const proxy = await switchableProxy(api.url);
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page, proxy.url);
    proxy.down();
    const ids = await track(page, ['Offline 1', 'Offline 2', 'Offline 3']);
    await failedOnce(page);
    expect(await timesLogged(api, ids)).toEqual([0, 0, 0]);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    proxy.up();
    // The reloaded page finds the queue in IndexedDB and sends it (its first retry, or the start-up flush).
    await page.evaluate(() => (window as unknown as { livora: { flush(): Promise<void> } }).livora.flush());
    await until(allOnce(ids), 'the offline events, once each');
    await context.close();
    await proxy.close();
  });

  it('keeps the queue through a browser restart', async () => {
    const proxy = await switchableProxy(api.url);
    proxy.down();
    const profile = await mkdtemp(path.join(tmpdir(), 'livora-chromium-'));
    const launch = () =>
      chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-background-networking'],
      });
    try {
      const first = await launch();
      const page = await first.newPage();
      await open(page, proxy.url);
      const ids = await track(page, ['Before Restart 1', 'Before Restart 2']);
      await failedOnce(page);
      await first.close();
      proxy.up();
      const second = await launch();
      await open(await second.newPage(), proxy.url); // the start-up flush finds them
      await until(allOnce(ids), 'the events of the closed browser');
      await second.close();
    } finally {
      await proxy.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it('keeps at most maxQueueSize events in IndexedDB, evicting the oldest and reporting them', async () => {
    const proxy = await switchableProxy(api.url);
    proxy.down();
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page, proxy.url, { maxQueueSize: 3 });
    const ids = await track(page, ['One', 'Two', 'Three', 'Four', 'Five']);
    const dropped = await page.evaluate(() => (window as unknown as { dropped: unknown[] }).dropped);
    expect(dropped).toEqual([
      { reason: 'evicted', ids: [ids[0]] },
      { reason: 'evicted', ids: [ids[1]] },
    ]);
    proxy.up();
    await page.evaluate(() => (window as unknown as { livora: { flush(): Promise<void> } }).livora.flush());
    await until(allOnce(ids.slice(2)), 'the three kept events');
    expect(await timesLogged(api, ids.slice(0, 2))).toEqual([0, 0]);
    await context.close();
    await proxy.close();
  });

  it('sends by beacon what a closing tab still holds', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // No flush would come for a minute: only the beacon can deliver these.
    await open(page, api.url, { flushInterval: 60_000, flushAt: 1_000 });
    const ids = await track(page, ['Checkout Started', 'Checkout Abandoned']);
    await page.close({ runBeforeUnload: true });
    await until(allOnce(ids), 'the beaconed events');
    await context.close();
  });

  it('never sends an event twice when two tabs share the queue', async () => {
    const context = await browser.newContext();
    const [a, b] = [await context.newPage(), await context.newPage()];
    await open(a, api.url, { flushAt: 5 });
    await open(b, api.url, { flushAt: 5 });
    const names = (tab: string) => Array.from({ length: 40 }, (_, i) => `${tab} ${i}`);
    const [idsA, idsB] = await Promise.all([track(a, names('A')), track(b, names('B'))]);
    const ids = [...idsA, ...idsB];
    await until(async () => (await timesLogged(api, ids)).every((n) => n >= 1), 'both tabs’ events');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // time for a second send, were there one
    expect(await timesLogged(api, ids)).toEqual(ids.map(() => 1));
    await context.close();
  });
});
