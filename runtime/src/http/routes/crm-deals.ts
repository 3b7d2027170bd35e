import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DealBoard } from '../../crm/deals/deal-board.ts';
import { DEALS } from '../../crm/record-kinds.ts';
import type { RecordService } from '../../crm/record-service.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { Common, Id, type RecordShape, recordRoutes, Text } from './crm.ts';

const Status = Type.Union([Type.Literal('open'), Type.Literal('won'), Type.Literal('lost')]);
const DealFields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  amount: Type.Union([
    Type.String({ pattern: '^-?\\d{1,16}(\\.\\d{1,4})?$', description: 'Exact decimal.' }),
    Type.Null(),
  ]),
  currency: Type.Union([Type.String({ pattern: '^[A-Z]{3}$' }), Type.Null()]),
  close_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  pipeline_id: Id,
  stage_id: Type.Union([Id, Type.Null()], { description: 'One of the pipeline’s stages; its first when unset.' }),
  company_id: Type.Union([Id, Type.Null()]),
  contact_id: Type.Union([Id, Type.Null()]),
  ...Common,
};
const Shown = {
  position: Type.Number({ description: 'Board order within the stage.' }),
  status: Status,
  lost_reason: Text(500),
  closed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};
const Pipeline = Type.Object({
  id: Id,
  name: Type.String(),
  stages: Type.Array(
    Type.Object({ id: Id, name: Type.String(), position: Type.Integer(), probability: Type.Number() }),
  ),
});
export const DEAL_SHAPE: RecordShape = { fields: Type.Object(DealFields), required: ['name', 'pipeline_id'] };
const Version = Type.Integer({ minimum: 1, description: 'The version read (a stale one gets 409).' });

/**
 * /v1/crm/deals and /v1/crm/pipelines: deals (sales see and change their own and their
 * team's), pipelines with ordered stages (admins and managers), the board, moves, wins and losses.
 */
export function dealRoutes(deps: {
  authenticate: Authenticator;
  deals: RecordService;
  board: DealBoard;
}): FastifyPluginAsyncTypebox {
  const common = { tags: ['crm'], security: [{ bearer: [] }] };
  const write = deps.authenticate({ permission: 'crm:write' });
  const Params = Type.Object({ id: Id });
  return async (app) => {
    await app.register(
      recordRoutes({
        authenticate: deps.authenticate,
        kind: DEALS,
        service: deps.deals,
        path: 'deals',
        shape: DEAL_SHAPE,
        example: {
          name: 'Acme renewal',
          amount: '12000.00',
          currency: 'EUR',
          pipeline_id: '0190a000-0000-7000-8000-000000000000',
        },
        shown: Shown,
        filters: { stage_id: Type.Optional(Id), status: Type.Optional(Status) },
      }),
    );

    app.post(
      '/crm/deals/:id/move',
      {
        schema: {
          ...common,
          summary: 'Move a deal on the board',
          description: 'To a stage of its pipeline, right after `after_id` (first in the stage when null).',
          params: Params,
          body: Type.Object(
            { version: Version, stage_id: Id, after_id: Type.Union([Id, Type.Null()]) },
            { additionalProperties: false },
          ),
        },
        preHandler: write,
      },
      async (request) =>
        deps.board.move(
          principalOf(request),
          request.params.id,
          request.body.version,
          { stageId: request.body.stage_id, afterId: request.body.after_id },
          request.id,
        ),
    );

    app.post(
      '/crm/deals/:id/won',
      {
        schema: {
          ...common,
          summary: 'Win a deal',
          params: Params,
          body: Type.Object({ version: Version }, { additionalProperties: false }),
        },
        preHandler: write,
      },
      async (request) =>
        deps.board.close(principalOf(request), request.params.id, request.body.version, { status: 'won' }, request.id),
    );

    app.post(
      '/crm/deals/:id/lost',
      {
        schema: {
          ...common,
          summary: 'Lose a deal, saying why',
          params: Params,
          body: Type.Object(
            { version: Version, reason: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
        },
        preHandler: write,
      },
      async (request) =>
        deps.board.close(
          principalOf(request),
          request.params.id,
          request.body.version,
          { status: 'lost', reason: request.body.reason },
          request.id,
        ),
    );

    app.post(
      '/crm/pipelines',
      {
        schema: {
          ...common,
          summary: 'Create a pipeline and its stages, in order',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              stages: Type.Array(
                Type.Object(
                  {
                    name: Type.String({ minLength: 1, maxLength: 200 }),
                    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
                  },
                  { additionalProperties: false },
                ),
                { minItems: 1, maxItems: 30 },
              ),
            },
            {
              additionalProperties: false,
              examples: [
                {
                  name: 'Sales',
                  stages: [
                    { name: 'Qualified', probability: 20 },
                    { name: 'Proposal', probability: 60 },
                  ],
                },
              ],
            },
          ),
          response: { 201: Pipeline },
        },
        preHandler: deps.authenticate({ permission: 'crm:configure' }),
      },
      async (request, reply) =>
        reply.code(201).send(await deps.board.createPipeline(principalOf(request), request.body, request.id)),
    );

    app.get(
      '/crm/pipelines',
      {
        schema: {
          ...common,
          summary: 'Pipelines and their stages',
          response: { 200: Type.Object({ pipelines: Type.Array(Pipeline) }) },
        },
        preHandler: deps.authenticate({ permission: 'crm:read' }),
      },
      async (request) => ({ pipelines: await deps.board.pipelines(principalOf(request)) }),
    );

    app.get(
      '/crm/pipelines/:id/board',
      {
        schema: {
          ...common,
          summary: 'The deals board',
          description: 'Each stage’s open deals that the caller may see, in board order.',
          params: Params,
          querystring: Type.Object(
            { per_stage: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
            { additionalProperties: false },
          ),
        },
        preHandler: deps.authenticate({ permission: 'crm:read' }),
      },
      async (request) => {
        const board = await deps.board.board(principalOf(request), request.params.id, request.query.per_stage ?? 50);
        return {
          pipeline: board.pipeline,
          stages: board.stages.map((s) => ({ stage_id: s.stageId, deals: s.deals })),
        };
      },
    );
  };
}
