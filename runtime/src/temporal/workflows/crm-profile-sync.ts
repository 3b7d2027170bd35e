import { proxyActivities } from '@temporalio/workflow';
import type { CrmProfileSyncActivities } from '../activities/crm-profile-sync.ts';

const { syncProfilesToContacts } = proxyActivities<CrmProfileSyncActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 5 },
});

/** Brings CRM contacts up to date with the pipeline's profiles (every minute, by a schedule). */
export async function crmProfileSync(input: { readonly v: 1 }) {
  void input;
  return syncProfilesToContacts();
}
