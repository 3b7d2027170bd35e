import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../../auth/roles.ts';
import { BULK_ACTIONS, BULK_FIELDS, type BulkAction, type BulkTarget, MAX_BULK } from '../../crm/bulk-actions.ts';
import type { BulkJobs } from '../../crm/bulk-jobs.ts';
import { COMPANY_IMPORT_COLUMNS, type CompanyImport } from '../../crm/company-import.ts';
import { type ContactImport, IMPORT_COLUMNS } from '../../crm/contact-import.ts';
import type { ImportReport } from '../../crm/csv-import.ts';
import { LivoraError } from '../../errors.ts';
import { snakeCaseKeys } from '../../shared/snake-case.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { Id } from './crm.ts';
import { Job } from './crm-segments.ts';

/**
 * POST /v1/crm/contacts/bulk: tag, untag, assign, set a field or add to a segment, up to 100,000 contacts at once; POST
 * /v1/crm/contacts/import and /v1/crm/companies/import: records from CSV. All or nothing.
 */
export function bulkRoutes(deps: {
  authenticate: Authenticator;
  jobs: BulkJobs;
  imports: ContactImport;
  companyImports: CompanyImport;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    const importRoute = (
      path: string,
      what: string,
      columns: readonly string[],
      rule: string,
      example: string,
      run: (principal: Principal, csv: string, dryRun: boolean, requestId: string) => Promise<ImportReport>,
    ) =>
      app.post(
        `/crm/${path}/import`,
        {
          bodyLimit: 20 * 1024 * 1024,
          schema: {
            tags: ['crm'],
            security: [{ bearer: [] }],
            summary: `Import ${what} from CSV`,
            description:
              `A \`text/csv\` body with a header row of ${columns.join(', ')} (tags separated by \`;\`). ${rule} Every ` +
              'row is checked first: with any error nothing is imported and 400 LIVORA_CRM_IMPORT_INVALID carries the ' +
              'report. `dry_run=true` only reports.',
            querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
            consumes: ['text/csv'],
            body: Type.String({ examples: [example] }),
          },
          preHandler: deps.authenticate({ permission: 'crm:write' }),
        },
        async (request) =>
          snakeCaseKeys(
            await run(principalOf(request), request.body as string, request.query.dry_run === true, request.id),
          ),
      );
    importRoute(
      'contacts',
      'contacts',
      IMPORT_COLUMNS,
      'A row whose email exists updates that contact (non-empty cells win, tags are added); others create one; ' +
        'companies are found by name or made.',
      'email,first_name,company,tags\nana@shop.example,Ana,Shop,vip;newsletter\n',
      deps.imports.run,
    );
    importRoute(
      'companies',
      'companies',
      COMPANY_IMPORT_COLUMNS,
      'A row matching a company by domain, else by name (case ignored), updates it (non-empty cells win, tags are ' +
        'added); others create one.',
      'name,domain,industry\nShop,shop.example,Retail\n',
      deps.companyImports.run,
    );

    app.post(
      '/crm/contacts/bulk',
      {
        // 100,000 ids are about 4 MB of JSON.
        bodyLimit: 5 * 1024 * 1024,
        schema: {
          tags: ['crm'],
          security: [{ bearer: [] }],
          summary: 'Change many contacts at once',
          description:
            `Tag, untag, assign an owner, set a field (\`update\`: ${Object.keys(BULK_FIELDS).join(', ')} or ` +
            '`custom.<key>`), or add to or remove from a static segment, for an id list or a filter of up to ' +
            `${MAX_BULK.toLocaleString('en')} contacts, in one transaction: all change (each audited) or none does. An ` +
            'unknown id, a contact the caller may not change, a bad value or too many contacts refuses the whole ' +
            'request. The answer comes within a second (200, with the counts); a longer change answers 202 with its ' +
            'job, to follow at GET /v1/crm/jobs/{id}.',
          body: Type.Object(
            {
              action: Type.Enum(BULK_ACTIONS),
              tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              owner_id: Type.Optional(Type.Union([Id, Type.Null()])),
              segment_id: Type.Optional(Id),
              field: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
              value: Type.Optional(Type.Unknown()),
              ids: Type.Optional(Type.Array(Id, { minItems: 1 })),
              filter: Type.Optional(
                Type.Object(
                  {
                    owner_id: Type.Optional(Id),
                    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                    company_id: Type.Optional(Id),
                    segment_id: Type.Optional(Id),
                  },
                  { additionalProperties: false, minProperties: 1 },
                ),
              ),
            },
            {
              additionalProperties: false,
              examples: [{ action: 'tag', tag: 'webinar-2026', filter: { tag: 'newsletter' } }],
            },
          ),
          response: {
            200: Type.Object({ job_id: Id, matched: Type.Integer(), changed: Type.Integer() }),
            202: Job,
          },
        },
        preHandler: deps.authenticate({ permission: 'crm:write' }),
      },
      async (request, reply) => {
        const body = request.body;
        if ('ids' in body === 'filter' in body)
          throw new LivoraError('LIVORA_HTTP_INVALID_REQUEST', 'send either `ids` or `filter`');
        const needs = (field: keyof typeof body) => {
          if (!(field in body))
            throw new LivoraError('LIVORA_HTTP_INVALID_REQUEST', `\`${body.action}\` needs \`${field}\``);
        };
        let change: BulkAction;
        if (body.action === 'assign') {
          needs('owner_id');
          change = { action: 'assign', ownerId: body.owner_id ?? null };
        } else if (body.action === 'update') {
          needs('field');
          needs('value');
          change = { action: 'update', field: body.field as string, value: body.value };
        } else if (body.action === 'add_to_segment' || body.action === 'remove_from_segment') {
          needs('segment_id');
          change = { action: body.action, segmentId: body.segment_id as string };
        } else {
          needs('tag');
          change = { action: body.action, tag: body.tag as string };
        }
        const filter = body.filter;
        const target: BulkTarget = body.ids
          ? { ids: body.ids }
          : {
              filter: {
                ...(filter?.owner_id ? { ownerId: filter.owner_id } : {}),
                ...(filter?.tag ? { tag: filter.tag } : {}),
                ...(filter?.company_id ? { companyId: filter.company_id } : {}),
                ...(filter?.segment_id ? { segmentId: filter.segment_id } : {}),
              },
            };
        const { job, finished } = await deps.jobs.start(principalOf(request), change, target, request.id);
        if (finished && job.result) return { job_id: job.id, ...job.result };
        return reply
          .code(202)
          .header('location', `/v1/crm/jobs/${job.id}`)
          .send(snakeCaseKeys(job) as never);
      },
    );
  };
}
