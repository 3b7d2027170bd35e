import type { Kysely } from 'kysely';
import { createLoginService, type LoginService } from '../accounts/logins.ts';
import { createOidcLogin, type OidcLoginSettings } from '../accounts/oidc-login.ts';
import { createUserService } from '../accounts/users.ts';
import { createSavedFunnelStore } from '../analytics/funnel/saved-funnel-store.ts';
import type { PersonTimeline } from '../analytics/person/person-timeline.ts';
import { createAuditReader } from '../audit/audit-log.ts';
import { createActivityInbox } from '../crm/activity-inbox.ts';
import { createBulkActions } from '../crm/bulk-actions.ts';
import { createBulkJobs } from '../crm/bulk-jobs.ts';
import { createCompanyImport } from '../crm/company-import.ts';
import { createContact360 } from '../crm/contact-360.ts';
import { createContactImport } from '../crm/contact-import.ts';
import { createContactMerge } from '../crm/contact-merge.ts';
import { createCustomFields } from '../crm/custom-fields.ts';
import { createDealBoard } from '../crm/deals/deal-board.ts';
import { createOfflineSync } from '../crm/offline-sync.ts';
import { ACTIVITIES, COMPANIES, CONTACTS, DEALS } from '../crm/record-kinds.ts';
import { createRecordService } from '../crm/record-service.ts';
import { createSegments } from '../crm/segments.ts';
import { createWordFrequencies } from '../crm/word-frequencies.ts';
import type { Tables } from '../db/tables.ts';
import type { TenantDatabase } from '../db/tenant-database.ts';
import { createProfileReader } from '../profiles/profile-reader.ts';
import { createSchemaRegistry } from '../schema-registry/registry.ts';
import { createSchemaStore } from '../schema-registry/schema-store.ts';
import { createTenantService } from '../tenants/tenants.ts';
import { createWriteKeyService } from '../tenants/write-keys.ts';

/**
 * The domain services over PostgreSQL that the API, the worker and the CLI share: the CRM's
 * on `tenantDb` (row-level security), the others on `db`.
 */
export function createServices(db: Kysely<Tables>, tenantDb: TenantDatabase) {
  const tenants = createTenantService(db);
  const keys = createWriteKeyService(db, tenants);
  const registry = createSchemaRegistry({ store: createSchemaStore(db), tenants });
  const profiles = createProfileReader(db);
  const frequencies = createWordFrequencies(db);
  const crm = {
    contacts: createRecordService(tenantDb, CONTACTS, frequencies),
    companies: createRecordService(tenantDb, COMPANIES, frequencies),
    deals: createRecordService(tenantDb, DEALS, frequencies),
    activities: createRecordService(tenantDb, ACTIVITIES, frequencies),
  };
  return {
    tenants,
    keys,
    registry,
    profiles,
    savedFunnels: createSavedFunnelStore(db),
    users: createUserService(db, tenants),
    /** Logins sign tokens with the process's secret and lifetimes: made where those are known. */
    logins: (settings: { secret: string; accessTokenSeconds: number; refreshTokenDays: number }) =>
      createLoginService({ db, ...settings }),
    /** Console login at an OIDC issuer, issuing the logins' tokens. */
    oidcLogin: (logins: LoginService, settings: OidcLoginSettings) => createOidcLogin({ db, logins, settings }),
    audit: createAuditReader(db),
    ...crm,
    board: createDealBoard(tenantDb, crm.deals),
    inbox: createActivityInbox(tenantDb, crm.activities),
    /** The contact 360, with the person's timeline from this process's analytics (its warehouse) when given. */
    contact360: (timeline?: (tenantId: string, personId: string) => Promise<PersonTimeline>) =>
      createContact360({ ...crm, profiles, ...(timeline ? { timeline } : {}) }),
    jobs: createBulkJobs(db, tenantDb, createBulkActions(tenantDb)),
    segments: createSegments(tenantDb),
    sync: createOfflineSync({
      contact: crm.contacts,
      company: crm.companies,
      deal: crm.deals,
      activity: crm.activities,
    }),
    merge: createContactMerge(tenantDb),
    imports: createContactImport(tenantDb),
    companyImports: createCompanyImport(tenantDb),
    customFields: createCustomFields(tenantDb),
  };
}

export type Services = ReturnType<typeof createServices>;
