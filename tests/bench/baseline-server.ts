import Fastify from 'fastify';

// The benchmark's baseline: the same framework and body limit, parsing the same body,
// without authentication, validation or storage.
const app = Fastify({ logger: false, bodyLimit: 512 * 1024 });
app.post('/v1/events', async (request, reply) => {
  const { events } = request.body as { events: unknown[] };
  return reply.code(202).send({ accepted: events.length });
});
const url = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${url}\n`);
