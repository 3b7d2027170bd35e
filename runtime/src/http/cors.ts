import type { FastifyInstance } from 'fastify';

/**
 * Events come from customers' pages on their own origins, authenticated by write keys,
 * which are public by design: any origin may post them. Answers carry
 * `Access-Control-Allow-Origin: *` (so a page can read the 202 and retry on 429), and
 * each path answers the preflight of JSON posts with an Authorization header. Only for
 * the ingestion plugins that call it: nothing else is open to other origins.
 */
export function openToEveryOrigin(app: FastifyInstance, paths: readonly string[]): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  for (const path of paths)
    app.options(path, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(204)
        .headers({
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '86400',
        })
        .send(),
    );
}
