import type { PersonTimeline } from '../analytics/person/person-timeline.ts';
import type { Principal } from '../auth/roles.ts';
import { LivoraError } from '../errors.ts';
import type { Profile, ProfileReader } from '../profiles/profile-reader.ts';
import type { CrmRecord, RecordService } from './record-service.ts';

/** Everything known of a contact, in one answer. */
export interface Contact360 {
  readonly contact: CrmRecord;
  readonly company: CrmRecord | null;
  /** The pipeline's profile of the contact's person: traits, activity, orders, recent sessions. */
  readonly profile: Profile | null;
  readonly activities: CrmRecord[];
  readonly deals: CrmRecord[];
  /** Realised revenue per currency, from the profile's orders. */
  readonly ltv: Profile['revenue'];
  /** The person's latest events and orders, from the warehouse (as of its last load); null where this process has none. */
  readonly recent: PersonTimeline | null;
}

/**
 * The contact 360: the record, its company, the pipeline's profile of its person (events,
 * sessions, orders), the person's latest events and orders from the warehouse, its latest
 * activities and the deals the caller may see. Each part
 * is read with the caller's rights, so the 360 shows nothing their own reads would not.
 */
export function createContact360(deps: {
  contacts: RecordService;
  companies: RecordService;
  deals: RecordService;
  activities: RecordService;
  profiles: ProfileReader;
  /** The person's latest events and orders (the warehouse's; it may be unavailable here). */
  timeline?: (tenantId: string, personId: string) => Promise<PersonTimeline>;
}) {
  const latest = { sort: 'created_at', direction: 'desc' as const, limit: 20 };
  return {
    async view(principal: Principal, id: string): Promise<Contact360> {
      const contact = await deps.contacts.get(principal, id);
      const companyId = contact.company_id as string | null;
      const personId = contact.person_id as string | null;
      const [company, activities, deals, profile, recent] = await Promise.all([
        companyId ? deps.companies.get(principal, companyId).catch(orNullWhenGone) : null,
        deps.activities.list(principal, { ...latest, contactId: id }),
        deps.deals.list(principal, { ...latest, contactId: id }),
        personId ? deps.profiles.get(principal.tenantId, personId).catch(orNullWhenGone) : null,
        personId && deps.timeline ? deps.timeline(principal.tenantId, personId).catch(orNullWhenGone) : null,
      ]);
      return {
        contact,
        company,
        profile,
        activities: activities.records,
        deals: deals.records,
        ltv: profile?.revenue ?? [],
        recent,
      };
    },
  };
}

export type Contact360Reader = ReturnType<typeof createContact360>;

/** A part deleted meanwhile (or a profile not written yet) is absent, not an error. */
function orNullWhenGone(error: unknown): null {
  if (
    error instanceof LivoraError &&
    (error.code === 'LIVORA_CRM_NOT_FOUND' ||
      error.code === 'LIVORA_PROFILE_NOT_FOUND' ||
      error.code === 'LIVORA_ANALYTICS_UNAVAILABLE')
  )
    return null;
  throw error;
}
