import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type CustomFields, FIELD_TYPES } from '../../crm/custom-fields.ts';
import { type Authenticator, principalOf } from '../auth.ts';

export const EntityName = Type.Union([
  Type.Literal('contact'),
  Type.Literal('company'),
  Type.Literal('deal'),
  Type.Literal('activity'),
]);
const Field = Type.Object(
  {
    entity: EntityName,
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'The key of the value in records’ `custom`.' }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    type: Type.Enum(FIELD_TYPES),
    options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: 500,
      description: 'The choices of a select or multi_select (and only of those).',
    }),
    required: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** /v1/crm/custom-fields: a tenant's typed fields of contacts, companies, deals and activities. */
export function customFieldRoutes(deps: {
  authenticate: Authenticator;
  customFields: CustomFields;
}): FastifyPluginAsyncTypebox {
  const common = { tags: ['crm'], security: [{ bearer: [] }] };
  return async (app) => {
    app.get(
      '/crm/custom-fields',
      {
        schema: {
          ...common,
          summary: 'The tenant’s custom fields',
          querystring: Type.Object({ entity: Type.Optional(EntityName) }, { additionalProperties: false }),
          response: { 200: Type.Object({ fields: Type.Array(Field) }) },
        },
        preHandler: deps.authenticate({ permission: 'crm:read' }),
      },
      async (request) => ({ fields: await deps.customFields.list(principalOf(request), request.query.entity) }),
    );

    app.post(
      '/crm/custom-fields',
      {
        schema: {
          ...common,
          summary: 'Add a custom field',
          description:
            'Records then take its value in `custom` (checked against the type and options; null clears it) and lists ' +
            'filter by it (`custom_field`, `custom_value`). A required field can only be added while the kind has no ' +
            'records.',
          body: Type.Object(
            {
              ...Field.properties,
              options: Type.Optional(Field.properties.options),
              required: Type.Optional(Type.Boolean()),
            },
            {
              additionalProperties: false,
              examples: [{ entity: 'contact', key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'] }],
            },
          ),
          response: { 201: Field },
        },
        preHandler: deps.authenticate({ permission: 'crm:configure' }),
      },
      async (request, reply) => {
        const { options = [], required = false, ...rest } = request.body;
        const field = await deps.customFields.define(principalOf(request), { ...rest, options, required }, request.id);
        return reply.code(201).send(field);
      },
    );

    app.delete(
      '/crm/custom-fields/:entity/:key',
      {
        schema: {
          ...common,
          summary: 'Remove a custom field',
          description:
            'Refused with 409 LIVORA_CRM_FIELD_IN_USE while records hold values, unless `purge=true`, which clears ' +
            'them in the same transaction (each record’s old value kept in the audit log).',
          params: Type.Object({ entity: EntityName, key: Type.String({ maxLength: 63 }) }),
          querystring: Type.Object({ purge: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ cleared: Type.Integer() }) },
        },
        preHandler: deps.authenticate({ permission: 'crm:configure' }),
      },
      async (request) =>
        deps.customFields.remove(
          principalOf(request),
          request.params.entity,
          request.params.key,
          request.query.purge === true,
          request.id,
        ),
    );
  };
}
