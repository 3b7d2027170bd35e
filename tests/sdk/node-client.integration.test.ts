import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, timesLogged } from '../../runtime/test/support/test-api.ts';
import { Analytics } from '../../sdk/node/index.ts';
import { startProxy } from '../support/proxy.ts';

let api: TestApi;
let writeKey: string;

beforeAll(async () => {
  api = await startTestApi();
  ({ key: writeKey } = await api.tenant());
}, 60_000);
afterAll(async () => {
  await api?.close();
});

/**
 * A proxy before the API that fails its first `failures` requests (503, then a cut
 * connection), then forwards: an API that is down for a while.
 */
function flakyProxy(failures: number) {
  return startProxy(api.url, (incoming, outgoing, seen) => {
    if (seen > failures) return false;
    if (seen % 2 === 1) outgoing.writeHead(503, { 'retry-after': '0' }).end();
    else incoming.socket.destroy();
    return true;
  });
}

describe('the Node client against a running API', () => {
  it('delivers every call, in batches, exactly once, and shutdown() sends what waits', async () => {
    const analytics = new Analytics({ writeKey, host: api.url, flushAt: 5 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const event = await analytics.track({ userId: `u-${i % 3}`, event: 'Order Completed', properties: { i } });
      ids.push(event?.event_id as string);
    }
    ids.push((await analytics.identify({ userId: 'u-1', traits: { plan: 'pro' } }))?.event_id as string);
    ids.push(
      (await analytics.group({ anonymousId: 'anon-9', groupId: 'acme', traits: { seats: 5 } }))?.event_id as string,
    );
    expect(await analytics.shutdown()).toEqual({ unsent: 0 });
    expect(await timesLogged(api, ids)).toEqual(ids.map(() => 1));
    // Calls it cannot take warn and resolve with null: an unawaited call must not crash the process.
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      expect(await analytics.track({ userId: 'late', event: 'After' })).toBeNull();
      expect(await new Analytics({ writeKey, host: api.url }).track({ event: 'Nobody' } as never)).toBeNull();
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([
      'livora: track not sent: the client is shut down',
      'livora: track not sent: every call needs a userId or an anonymousId',
    ]);
  });

  it('keeps the events through an outage (503, cut connections) and delivers them once it ends', async () => {
    const proxy = await flakyProxy(4);
    const analytics = new Analytics({ writeKey, host: proxy.url, flushAt: 100 });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(
        (await analytics.track({ anonymousId: 'device-1', event: 'Viewed', messageId: `outage-${i}` }))
          ?.event_id as string,
      );
    expect(await analytics.shutdown(30_000)).toEqual({ unsent: 0 });
    expect(proxy.requests()).toBeGreaterThanOrEqual(5);
    expect(await timesLogged(api, ids)).toEqual(ids.map(() => 1));
    await proxy.close();
  }, 60_000);

  it('drops and reports what the API rejects, delivering the rest', async () => {
    const dropped: string[] = [];
    const analytics = new Analytics({
      writeKey,
      host: api.url,
      onDropped: (d) => dropped.push(...d.events.map((e) => `${d.reason}:${e.event}`)),
    });
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      await analytics.track({ userId: 'u', event: 'x'.repeat(300) }); // longer than the API takes
      const good = await analytics.track({ userId: 'u', event: 'Fine' });
      await analytics.shutdown();
      expect(dropped).toEqual([`rejected:${'x'.repeat(300)}`]);
      expect(await timesLogged(api, [good?.event_id as string])).toEqual([1]);
    } finally {
      console.warn = warn;
    }
  });
});
