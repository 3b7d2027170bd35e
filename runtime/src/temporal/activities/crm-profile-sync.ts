import type { Kysely } from 'kysely';
import { createProfileSync } from '../../crm/profile-sync.ts';
import type { Tables } from '../../db/tables.ts';

/** The profile → contact sync, as an activity (repeating it changes nothing). */
export function createCrmProfileSyncActivities(db: Kysely<Tables>) {
  const profiles = createProfileSync(db);
  return {
    async syncProfilesToContacts(): Promise<{ profiles: number; created: number; updated: number }> {
      return profiles.sync();
    },
  };
}

export type CrmProfileSyncActivities = ReturnType<typeof createCrmProfileSyncActivities>;
