import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TObject, type TProperties, Type } from 'typebox';
import type { Contact360Reader } from '../../crm/contact-360.ts';
import type { ContactMerge } from '../../crm/contact-merge.ts';
import type { RecordKind } from '../../crm/record-kinds.ts';
import { COMPANIES, CONTACTS } from '../../crm/record-kinds.ts';
import type { RecordService } from '../../crm/record-service.ts';
import { type Authenticator, principalOf } from '../auth.ts';

export const Id = Type.String({ format: 'uuid' });
export const Text = (maxLength: number) => Type.Union([Type.String({ minLength: 1, maxLength }), Type.Null()]);
export const Common = {
  owner_id: Type.Union([Id, Type.Null()], { description: 'A user of the tenant; the creator when unset.' }),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50, uniqueItems: false }),
  custom: Type.Record(Type.String(), Type.Unknown(), {
    description: 'Values of the tenant’s custom fields (GET /v1/crm/custom-fields), by key; null clears one.',
  }),
};
const Stored = {
  id: Id,
  version: Type.Integer({ description: 'Send it back with a change: a stale one gets 409 and the current record.' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};

const ContactFields = {
  email: Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()]),
  phone: Text(50),
  first_name: Text(200),
  last_name: Text(200),
  company_id: Type.Union([Id, Type.Null()]),
  person_id: Type.Union([Id, Type.Null()], { description: 'The pipeline’s person (profiles, events).' }),
  ...Common,
};
const CompanyFields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  domain: Type.Union([Type.String({ pattern: '^[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$', maxLength: 253 }), Type.Null()]),
  industry: Text(200),
  ...Common,
};

/** What clients write of a kind of record, and what a create must give. */
export interface RecordShape {
  readonly fields: TObject<TProperties>;
  readonly required: readonly string[];
}
export const CONTACT_SHAPE: RecordShape = { fields: Type.Object(ContactFields), required: [] };
export const COMPANY_SHAPE: RecordShape = { fields: Type.Object(CompanyFields), required: ['name'] };

/** The body of a create: the required fields, any others, nothing else. */
export function createBody(shape: RecordShape, options: Record<string, unknown> = {}) {
  return Type.Object(
    Object.fromEntries(
      Object.entries(shape.fields.properties).map(([k, v]) => [k, shape.required.includes(k) ? v : Type.Optional(v)]),
    ),
    { additionalProperties: false, ...options },
  );
}

/** /v1/crm: contacts and companies (deals: crm-deals.ts). */
export function crmRoutes(deps: {
  authenticate: Authenticator;
  contacts: RecordService;
  companies: RecordService;
  contact360: Contact360Reader;
  merge: ContactMerge;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/crm/contacts/:id/merge',
      {
        schema: {
          tags: ['crm'],
          security: [{ bearer: [] }],
          summary: 'Merge a duplicate into this contact',
          description:
            'The contact keeps its values and takes the duplicate’s where it has none (tags united); the duplicate’s ' +
            'activities and deals move to it; the duplicate is deleted. Both versions must be the current ones. The ' +
            'audit log keeps both records as they were.',
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              version: Type.Integer({ minimum: 1 }),
              duplicate_id: Id,
              duplicate_version: Type.Integer({ minimum: 1 }),
            },
            { additionalProperties: false },
          ),
        },
        preHandler: deps.authenticate({ permission: 'crm:write' }),
      },
      async (request) =>
        deps.merge.merge(
          principalOf(request),
          { id: request.params.id, version: request.body.version },
          { id: request.body.duplicate_id, version: request.body.duplicate_version },
          request.id,
        ),
    );
    app.get(
      '/crm/contacts/:id/360',
      {
        schema: {
          tags: ['crm'],
          security: [{ bearer: [] }],
          summary: 'Everything known of a contact',
          description:
            'The contact, its company, the pipeline’s profile of its person (traits, first and last seen, counts, ' +
            'orders and revenue, recent sessions), the person’s latest events and orders from the warehouse (`recent`, ' +
            'as of its last load; null where this process has no warehouse), its latest activities and the deals the ' +
            'caller may see, and its realised LTV per currency.',
          params: Type.Object({ id: Id }),
        },
        preHandler: deps.authenticate({ permission: 'crm:read' }),
      },
      async (request) => deps.contact360.view(principalOf(request), request.params.id),
    );
    await app.register(
      recordRoutes({
        authenticate: deps.authenticate,
        kind: CONTACTS,
        service: deps.contacts,
        path: 'contacts',
        shape: CONTACT_SHAPE,
        example: { email: 'ana@example.com', first_name: 'Ana', last_name: 'Silva', tags: ['vip'] },
      }),
    );
    await app.register(
      recordRoutes({
        authenticate: deps.authenticate,
        kind: COMPANIES,
        service: deps.companies,
        path: 'companies',
        shape: COMPANY_SHAPE,
        example: { name: 'Acme', domain: 'acme.example', industry: 'Retail' },
      }),
    );
  };
}

/** What `q` searches, by kind (the words index of the crm_word_search migration). */
const SEARCHED: Readonly<Record<RecordKind['table'], string>> = {
  contacts:
    'the first and last name, email and phone (its digits also as one word), or each starts a word of the company name',
  companies: 'the name and domain',
  deals: 'the name',
  activities: 'the subject and body',
};

/** What a kind's routes are made of. */
export interface RecordRoutesOptions {
  readonly authenticate: Authenticator;
  readonly kind: RecordKind;
  readonly service: RecordService;
  readonly path: string;
  readonly shape: RecordShape;
  readonly example: Record<string, unknown>;
  /** What the server sets and shows beside the fields. */
  readonly shown?: TProperties;
  /** Further filters of the list (their values go to the service's list options as given). */
  readonly filters?: TProperties;
}

/** CRUD and list routes of one kind of record. */
export function recordRoutes(options: RecordRoutesOptions): FastifyPluginAsyncTypebox {
  const { authenticate, kind, service, path, shape, example } = options;
  const { fields } = shape;
  const common = { tags: ['crm'], security: [{ bearer: [] }] };
  const Reply = Type.Object({ ...Stored, ...Type.Partial(fields).properties, ...options.shown });
  const Create = createBody(shape, { examples: [example] });
  const Patch = Type.Object(
    { version: Type.Integer({ minimum: 1 }), ...Type.Partial(fields).properties },
    { additionalProperties: false, examples: [{ version: 1, ...example }] },
  );
  const Params = Type.Object({ id: Id });
  const read = authenticate({ permission: 'crm:read' });
  const write = authenticate({ permission: 'crm:write' });
  return async (app) => {
    app.post(
      `/crm/${path}`,
      {
        schema: { ...common, summary: `Create a ${kind.entity}`, body: Create, response: { 201: Reply } },
        preHandler: write,
      },
      async (request, reply) =>
        reply.code(201).send((await service.create(principalOf(request), request.body, request.id)) as never),
    );

    app.get(
      `/crm/${path}/:id`,
      {
        schema: { ...common, summary: `A ${kind.entity}`, params: Params, response: { 200: Reply } },
        preHandler: read,
      },
      async (request) => (await service.get(principalOf(request), request.params.id)) as never,
    );

    app.patch(
      `/crm/${path}/:id`,
      {
        schema: {
          ...common,
          summary: `Change a ${kind.entity}`,
          description:
            'Only the fields sent change. `version` is the one read: if the record changed since, nothing is applied ' +
            'and 409 LIVORA_CRM_STALE_VERSION carries the current record (`current`). Sales change the records they ' +
            'own or that nobody owns; only admins and managers give records to someone else.',
          params: Params,
          body: Patch,
          response: { 200: Reply },
        },
        preHandler: write,
      },
      async (request) => {
        const { version, ...patch } = request.body as { version: number } & Record<string, unknown>;
        return (await service.update(principalOf(request), request.params.id, version, patch, request.id)) as never;
      },
    );

    app.delete(
      `/crm/${path}/:id`,
      {
        schema: { ...common, summary: `Delete a ${kind.entity}`, params: Params, response: { 204: Type.Null() } },
        preHandler: authenticate({ permission: 'crm:delete' }),
      },
      async (request, reply) => {
        await service.remove(principalOf(request), request.params.id, request.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      `/crm/${path}`,
      {
        schema: {
          ...common,
          summary: `List and search ${path}`,
          description: `\`q\` finds records where each of its words (in any order, case ignored) starts a word of ${SEARCHED[kind.table]}; punctuation and symbols separate words, and a word written with them (\`list.example\`, \`7946-0012\`) is found as those words in that order. Pages follow \`next_cursor\`.`,
          querystring: Type.Object(
            {
              q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              owner_id: Type.Optional(Id),
              tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              ...(kind.table !== 'companies' ? { company_id: Type.Optional(Id) } : {}),
              ...(kind.table === 'contacts' ? { segment_id: Type.Optional(Id) } : {}),
              ...options.filters,
              custom_field: Type.Optional(Type.String({ maxLength: 63 })),
              custom_value: Type.Optional(Type.String({ maxLength: 200 })),
              sort: Type.Optional(Type.Union(kind.sorts.map((s) => Type.Literal(s)))),
              direction: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
              cursor: Type.Optional(Type.String({ maxLength: 500 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ records: Type.Array(Reply), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
        preHandler: read,
      },
      async (request) => {
        const q = request.query as Record<string, string | number | undefined>;
        const page = await service.list(principalOf(request), {
          sort: (q.sort as string | undefined) ?? 'created_at',
          direction: (q.direction as 'asc' | 'desc' | undefined) ?? 'desc',
          limit: (q.limit as number | undefined) ?? 50,
          ...(q.q ? { q: String(q.q) } : {}),
          ...(q.owner_id ? { ownerId: String(q.owner_id) } : {}),
          ...(q.tag ? { tag: String(q.tag) } : {}),
          ...(q.company_id ? { companyId: String(q.company_id) } : {}),
          ...(q.cursor ? { cursor: String(q.cursor) } : {}),
          ...(q.segment_id ? { segmentId: String(q.segment_id) } : {}),
          ...(q.stage_id ? { stageId: String(q.stage_id) } : {}),
          ...(q.status ? { status: q.status as 'open' | 'won' | 'lost' } : {}),
          ...(q.custom_field && q.custom_value !== undefined
            ? { custom: { key: String(q.custom_field), value: String(q.custom_value) } }
            : {}),
        });
        return { records: page.records, next_cursor: page.nextCursor } as never;
      },
    );
  };
}
