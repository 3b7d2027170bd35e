import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { BulkAction, BulkActions, BulkTarget } from '../../crm/bulk-actions.ts';
import { MAX_BULK } from '../../crm/bulk-actions.ts';
import { type ContactImport, IMPORT_COLUMNS } from '../../crm/contact-import.ts';
import { LivoraError } from '../../errors.ts';
import { snakeCaseKeys } from '../../shared/snake-case.ts';
import { type Authenticator, principalOf } from '../auth.ts';
import { Id } from './crm.ts';

/**
 * POST /v1/crm/contacts/bulk: tag, untag or assign up to 100,000 contacts at once; POST
 * /v1/crm/contacts/import: contacts from CSV. Both all or nothing.
 */
export function bulkRoutes(deps: {
  authenticate: Authenticator;
  bulk: BulkActions;
  imports: ContactImport;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/crm/contacts/import',
      {
        bodyLimit: 20 * 1024 * 1024,
        schema: {
          tags: ['crm'],
          security: [{ bearer: [] }],
          summary: 'Import contacts from CSV',
          description:
            `A \`text/csv\` body with a header row of ${IMPORT_COLUMNS.join(', ')} (tags separated by \`;\`). A row ` +
            'whose email exists updates that contact (non-empty cells win, tags are added); others create one; ' +
            'companies are found by name or made. Every row is checked first: with any error nothing is imported and ' +
            '400 LIVORA_CRM_IMPORT_INVALID carries the report. `dry_run=true` only reports.',
          querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          consumes: ['text/csv'],
          body: Type.String({
            examples: ['email,first_name,company,tags\nana@shop.example,Ana,Shop,vip;newsletter\n'],
          }),
        },
        preHandler: deps.authenticate({ permission: 'crm:write' }),
      },
      async (request) => {
        const report = await deps.imports.run(
          principalOf(request),
          request.body,
          request.query.dry_run === true,
          request.id,
        );
        return snakeCaseKeys(report);
      },
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
            `Tag, untag or assign an owner for an id list or a filter of up to ${MAX_BULK.toLocaleString('en')} contacts, ` +
            'in one transaction: all change (each audited) or none does. An unknown id, a contact the caller may not ' +
            'change, or too many contacts refuses the whole request.',
          body: Type.Object(
            {
              action: Type.Union([Type.Literal('tag'), Type.Literal('untag'), Type.Literal('assign')]),
              tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              owner_id: Type.Optional(Type.Union([Id, Type.Null()])),
              ids: Type.Optional(Type.Array(Id, { minItems: 1 })),
              filter: Type.Optional(
                Type.Object(
                  {
                    owner_id: Type.Optional(Id),
                    tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                    company_id: Type.Optional(Id),
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
          response: { 200: Type.Object({ matched: Type.Integer(), changed: Type.Integer() }) },
        },
        preHandler: deps.authenticate({ permission: 'crm:write' }),
      },
      async (request) => {
        const body = request.body;
        if ('ids' in body === 'filter' in body)
          throw new LivoraError('LIVORA_HTTP_INVALID_REQUEST', 'send either `ids` or `filter`');
        let change: BulkAction;
        if (body.action === 'assign') {
          if (!('owner_id' in body)) throw new LivoraError('LIVORA_HTTP_INVALID_REQUEST', '`assign` needs `owner_id`');
          change = { action: 'assign', ownerId: body.owner_id ?? null };
        } else {
          if (!body.tag) throw new LivoraError('LIVORA_HTTP_INVALID_REQUEST', `\`${body.action}\` needs \`tag\``);
          change = body.action === 'tag' ? { action: 'tag', tag: body.tag } : { action: 'untag', tag: body.tag };
        }
        const target: BulkTarget = body.ids
          ? { ids: body.ids }
          : {
              filter: {
                ...(body.filter?.owner_id ? { ownerId: body.filter.owner_id } : {}),
                ...(body.filter?.tag ? { tag: body.filter.tag } : {}),
                ...(body.filter?.company_id ? { companyId: body.filter.company_id } : {}),
              },
            };
        return deps.bulk.run(principalOf(request), change, target, request.id);
      },
    );
  };
}
