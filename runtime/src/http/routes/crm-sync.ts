import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Entity } from '../../crm/custom-fields.ts';
import { MAX_SYNC_CHANGES, type OfflineSync, type QueuedChange, type SyncResult } from '../../crm/offline-sync.ts';
import { describeErrors } from '../../events/check-event.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { COMPANY_SHAPE, CONTACT_SHAPE, createBody, Id, type RecordShape } from './crm.ts';
import { ACTIVITY_SHAPE } from './crm-activities.ts';
import { EntityName } from './crm-custom-fields.ts';
import { DEAL_SHAPE } from './crm-deals.ts';

const SHAPES: Record<Entity, RecordShape> = {
  contact: CONTACT_SHAPE,
  company: COMPANY_SHAPE,
  deal: DEAL_SHAPE,
  activity: ACTIVITY_SHAPE,
};
/** Each kind's fields, checked as its create and change routes check them. */
const CHECKS = Object.fromEntries(
  Object.entries(SHAPES).map(([entity, shape]) => [
    entity,
    {
      create: Compile(createBody(shape)),
      update: Compile(Type.Object(Type.Partial(shape.fields).properties, { additionalProperties: false })),
    },
  ]),
) as Record<Entity, { create: ReturnType<typeof Compile>; update: ReturnType<typeof Compile> }>;

const Values = Type.Record(Type.String(), Type.Unknown());
const BaseVersion = Type.Integer({ minimum: 1, description: 'The version the edit started from.' });
const Change = Type.Union([
  Type.Object(
    { entity: EntityName, op: Type.Literal('create'), id: Id, fields: Values },
    { additionalProperties: false, description: 'A create; `id` chosen by the client makes a resend harmless.' },
  ),
  Type.Object(
    {
      entity: EntityName,
      op: Type.Literal('update'),
      id: Id,
      base_version: BaseVersion,
      base: Type.Optional(Values),
      fields: Values,
      changed_at: Type.String({ format: 'date-time', description: 'When the user made the edit.' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { entity: EntityName, op: Type.Literal('delete'), id: Id, base_version: BaseVersion },
    { additionalProperties: false },
  ),
]);
const Result = Type.Object({
  index: Type.Integer(),
  status: Type.Union([Type.Literal('applied'), Type.Literal('merged'), Type.Literal('rejected')]),
  record: Type.Optional(Type.Union([Values, Type.Null()])),
  conflicts: Type.Optional(
    Type.Array(
      Type.Object({
        field: Type.String(),
        kept: Type.Union([Type.Literal('client'), Type.Literal('server')]),
        lost: Type.Unknown(),
        server_changed_at: Type.String({ format: 'date-time' }),
      }),
    ),
  ),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), current: Type.Optional(Values) })),
});

/** POST /v1/crm/sync: the console's offline queue, applied change by change. */
export function syncRoutes(deps: { authenticate: Authenticator; sync: OfflineSync }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/crm/sync',
      {
        bodyLimit: 5 * 1024 * 1024,
        schema: {
          tags: ['crm'],
          security: [{ bearer: [] }],
          summary: 'Apply changes queued offline',
          description:
            `Up to ${MAX_SYNC_CHANGES} creates, updates and deletes of contacts, companies, deals and activities, each ` +
            'applied on its own, in order. An update whose `base_version` is current applies as sent (`applied`). ' +
            'Otherwise each field merges on its own (`merged`): a field nobody else changed since (the server still ' +
            'holds the `base` value the client sent) takes the client’s value; a field both sides changed goes to the ' +
            'later edit, the client’s `changed_at` against the server’s last change of that field. Every value that ' +
            'lost is in `conflicts` and in the audit log. A delete of a record changed since is `rejected` with the ' +
            'current record; so is any change the API would refuse on its own route, with that route’s error code.',
          body: Type.Object(
            { changes: Type.Array(Change, { minItems: 1 }) },
            {
              additionalProperties: false,
              examples: [
                {
                  changes: [
                    {
                      entity: 'contact',
                      op: 'update',
                      id: '0190a000-0000-7000-8000-000000000001',
                      base_version: 3,
                      base: { phone: '+351 210 000 000' },
                      fields: { phone: '+351 210 000 001' },
                      changed_at: '2026-11-26T09:30:00Z',
                    },
                  ],
                },
              ],
            },
          ),
          response: { 200: Type.Object({ results: Type.Array(Result) }) },
        },
        preHandler: deps.authenticate({ permission: 'crm:write' }),
      },
      async (request) => {
        const refused = new Map<number, SyncResult>();
        const queued: { index: number; change: QueuedChange }[] = [];
        for (const [index, raw] of request.body.changes.entries()) {
          const check = raw.op === 'delete' ? null : CHECKS[raw.entity][raw.op];
          const fields = 'fields' in raw ? raw.fields : {};
          if (check && !check.Check(fields)) {
            const message = `${raw.entity} ${raw.op}: ${describeErrors(check.Errors(fields))}`;
            refused.set(index, { index, status: 'rejected', error: { code: 'LIVORA_HTTP_INVALID_REQUEST', message } });
            continue;
          }
          queued.push({ index, change: queuedChange(raw) });
        }
        const applied = await deps.sync.apply(
          principalOf(request),
          queued.map((q) => q.change),
          request.id,
        );
        const results = [
          ...refused.values(),
          ...applied.map((result, i) => ({ ...result, index: queued[i]?.index ?? i })),
        ].sort((a, b) => a.index - b.index);
        return {
          results: results.map(({ conflicts, ...result }) => ({
            ...result,
            ...(conflicts
              ? {
                  conflicts: conflicts.map(({ serverChangedAt, ...c }) => ({
                    ...c,
                    server_changed_at: serverChangedAt,
                  })),
                }
              : {}),
          })),
        } as never;
      },
    );
  };
}

/** A change as the request schema has checked it, in the service's terms. */
function queuedChange(raw: Static<typeof Change>): QueuedChange {
  const { entity, id } = raw;
  if (raw.op === 'create') return { entity, op: 'create', id, fields: raw.fields };
  if (raw.op === 'delete') return { entity, op: 'delete', id, baseVersion: raw.base_version };
  return {
    entity,
    op: 'update',
    id,
    baseVersion: raw.base_version,
    base: raw.base ?? {},
    fields: raw.fields,
    changedAt: new Date(raw.changed_at),
  };
}
