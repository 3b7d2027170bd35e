import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Metrics } from '../../observability/metrics.ts';
import { withTimeout } from '../../shared/with-timeout.ts';

/** A dependency /readyz looks at. Optional ones are reported but do not make the engine unready. */
export interface ReadinessCheck {
  readonly name: string;
  readonly required: boolean;
  /** Resolves with a short status ("ok", "disabled: …"); rejects when unhealthy. */
  check(): Promise<string>;
}

const Component = Type.Object({
  name: Type.String(),
  ok: Type.Boolean(),
  required: Type.Boolean(),
  status: Type.String(),
});
const Readiness = Type.Object({ ready: Type.Boolean(), components: Type.Array(Component) });

/** Liveness, readiness and Prometheus metrics. */
export function healthRoutes(deps: { checks: readonly ReadinessCheck[]; metrics: Metrics }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['operations'];
    app.get(
      '/healthz',
      {
        schema: {
          summary: 'Liveness: the process answers',
          tags,
          response: { 200: Type.Object({ ok: Type.Boolean() }) },
        },
      },
      async () => ({ ok: true }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          summary: 'Readiness: every required dependency answers',
          tags,
          response: { 200: Readiness, 503: Readiness },
        },
      },
      async (_request, reply) => {
        const components = await Promise.all(
          deps.checks.map(async (c) => {
            try {
              const status = await withTimeout(c.check(), 2000);
              return { name: c.name, ok: true, required: c.required, status };
            } catch (error) {
              return { name: c.name, ok: false, required: c.required, status: (error as Error).message };
            }
          }),
        );
        const ready = components.every((c) => c.ok || !c.required);
        return reply.code(ready ? 200 : 503).send({ ready, components });
      },
    );

    app.get(
      '/metrics',
      { schema: { summary: 'Prometheus metrics', tags, produces: ['text/plain'] } },
      async (_request, reply) => {
        const text = await deps.metrics.registry.metrics();
        return reply.type(deps.metrics.registry.contentType).send(text);
      },
    );
  };
}
