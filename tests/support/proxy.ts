import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of `target`, for outage tests: `intercept` sees each request first
 * (with how many came so far) and answers it itself by returning true; others are forwarded.
 */
export async function startProxy(
  target: string,
  intercept: (incoming: IncomingMessage, outgoing: ServerResponse, seen: number) => boolean = () => false,
): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const to = new URL(target);
  let seen = 0;
  const server = createServer((incoming, outgoing) => {
    seen += 1;
    if (intercept(incoming, outgoing, seen)) return;
    const upstream = forward(
      { host: to.hostname, port: to.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
