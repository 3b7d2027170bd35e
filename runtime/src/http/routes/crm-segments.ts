import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BulkJobs } from '../../crm/bulk-jobs.ts';
import type { Segments } from '../../crm/segments.ts';
import { snakeCaseKeys } from '../../shared/snake-case.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { Id } from './crm.ts';

const Segment = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  members: Type.Integer({ description: 'Contacts in the segment (list them: GET /v1/crm/contacts?segment_id=…).' }),
  created_by: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);

/** A bulk change as its requester follows it (GET /v1/crm/jobs/{id}). */
export const Job = Type.Object({
  id: Id,
  action: Type.String(),
  status: Type.Union(
    ['running', 'succeeded', 'failed', 'interrupted'].map((s) => Type.Literal(s)),
    {
      description: 'Failed and interrupted jobs applied nothing (the change is one transaction).',
    },
  ),
  total: Type.Union([Type.Integer(), Type.Null()], { description: 'Contacts matched, once known.' }),
  done: Type.Integer(),
  result: Type.Union([Type.Object({ matched: Type.Integer(), changed: Type.Integer() }), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** /v1/crm/segments (static segments of contacts) and /v1/crm/jobs (bulk changes that outlast their request). */
export function crmSegmentRoutes(deps: {
  authenticate: Authenticator;
  segments: Segments;
  jobs: BulkJobs;
}): FastifyPluginAsyncTypebox {
  const common = { tags: ['crm'], security: [{ bearer: [] }] };
  const read = deps.authenticate({ permission: 'crm:read' });
  const write = deps.authenticate({ permission: 'crm:write' });
  const Params = Type.Object({ id: Id });
  return async (app) => {
    app.get(
      '/crm/segments',
      {
        schema: {
          ...common,
          summary: 'Static segments',
          response: { 200: Type.Object({ segments: Type.Array(Segment) }) },
        },
        preHandler: read,
      },
      async (request) => ({ segments: snakeCaseKeys(await deps.segments.list(principalOf(request))) }) as never,
    );
    app.post(
      '/crm/segments',
      {
        schema: {
          ...common,
          summary: 'Make a static segment',
          description: 'Fill it with POST /v1/crm/contacts/bulk (`add_to_segment`).',
          body: Type.Object(
            { name: Name, description: Type.Optional(Description) },
            { additionalProperties: false, examples: [{ name: 'Webinar attendees' }] },
          ),
          response: { 201: Segment },
        },
        preHandler: write,
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(snakeCaseKeys(await deps.segments.create(principalOf(request), request.body, request.id)) as never),
    );
    app.get(
      '/crm/segments/:id',
      {
        schema: { ...common, summary: 'A static segment', params: Params, response: { 200: Segment } },
        preHandler: read,
      },
      async (request) => snakeCaseKeys(await deps.segments.get(principalOf(request), request.params.id)) as never,
    );
    app.patch(
      '/crm/segments/:id',
      {
        schema: {
          ...common,
          summary: 'Rename or describe a static segment',
          params: Params,
          body: Type.Object(
            { name: Type.Optional(Name), description: Type.Optional(Description) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Segment },
        },
        preHandler: write,
      },
      async (request) =>
        snakeCaseKeys(
          await deps.segments.update(principalOf(request), request.params.id, request.body, request.id),
        ) as never,
    );
    app.delete(
      '/crm/segments/:id',
      {
        schema: {
          ...common,
          summary: 'Delete a static segment (its contacts stay)',
          params: Params,
          response: { 204: Type.Null() },
        },
        preHandler: deps.authenticate({ permission: 'crm:delete' }),
      },
      async (request, reply) => {
        await deps.segments.remove(principalOf(request), request.params.id, request.id);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/crm/jobs/:id',
      {
        schema: {
          ...common,
          summary: 'A bulk change’s progress and outcome',
          description: 'For whoever asked for it, and for admins and managers.',
          params: Params,
          response: { 200: Job },
        },
        preHandler: read,
      },
      async (request) => snakeCaseKeys(await deps.jobs.get(principalOf(request), request.params.id)) as never,
    );
  };
}
