import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { startProxy } from '../support/proxy.ts';

/**
 * A customer's site for the browser tests: a page that loads the SDK's browser bundle (as
 * a site would ship it) and starts it with `options` from the query string, as
 * `window.livora`; served from an origin of its own, so calls to the API are cross-origin.
 */
export async function startSite(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await build({
    entryPoints: [new URL('../../sdk/browser/index.ts', import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
  });
  const sdk = bundle.outputFiles[0]?.text ?? '';
  const page = `<!doctype html><html><head><title>Shop</title></head><body>
    <script type="module">
      import { AnalyticsBrowser, init } from '/sdk.js';
      window.AnalyticsBrowser = AnalyticsBrowser;
      const options = JSON.parse(new URLSearchParams(location.search).get('options'));
      window.dropped = [];
      options.onDropped = (d) => window.dropped.push({ reason: d.reason, ids: d.events.map((e) => e.event_id) });
      window.livora = init(options);
      window.ready = true;
    </script></body></html>`;
  const server: Server = createServer((request, response) => {
    if (request.url === '/sdk.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    else response.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A switchable way to the API: `down()` cuts every connection, as an outage does. */
export async function switchableProxy(target: string) {
  let up = true;
  const proxy = await startProxy(target, (incoming) => {
    if (up) return false;
    incoming.socket.destroy();
    return true;
  });
  return {
    url: proxy.url,
    down: () => {
      up = false;
    },
    up: () => {
      up = true;
    },
    close: proxy.close,
  };
}
