import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key/index.js';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey } from '../platform.ts';

/** The Google service agents that encrypt the deployment's stores with its key (CMEK). */
const SERVICE_AGENTS = [
  (n: string) => `service-${n}@gs-project-accounts.iam.gserviceaccount.com`, // Cloud Storage
  (n: string) => `service-${n}@gcp-sa-pubsub.iam.gserviceaccount.com`,
  (n: string) => `service-${n}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
  (n: string) => `service-${n}@cloud-redis.iam.gserviceaccount.com`,
  (n: string) => `bq-${n}@bigquery-encryption.iam.gserviceaccount.com`,
  (n: string) => `service-${n}@gcp-sa-secretmanager.iam.gserviceaccount.com`,
  (n: string) => `service-${n}@serverless-robot-prod.iam.gserviceaccount.com`, // Cloud Run
  (n: string) => `service-${n}@gcp-sa-logging.iam.gserviceaccount.com`,
];

/**
 * The deployment's customer-managed key (Cloud KMS, rotated every 90 days, in the
 * deployment's region), usable by the service agents of the stores that encrypt with it.
 */
export class GcpEncryptionKey extends Construct implements EncryptionKey {
  readonly id: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile) {
    super(scope, id);
    const project = new DataGoogleProject(this, 'project');
    const ring = new KmsKeyRing(this, 'ring', {
      name: resourceName(deployment, 'keys', { max: 63 }),
      location: deployment.region,
    });
    const key = new KmsCryptoKey(this, 'key', {
      name: 'stores',
      keyRing: ring.id,
      rotationPeriod: `${90 * 24 * 3600}s`,
      purpose: 'ENCRYPT_DECRYPT',
      destroyScheduledDuration: `${profile.recoveryWindowDays * 24 * 3600}s`,
      lifecycle: { preventDestroy: profile.deletionProtection },
    });
    SERVICE_AGENTS.forEach((agent, i) => {
      new KmsCryptoKeyIamMember(this, `agent-${i}`, {
        cryptoKeyId: key.id,
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: `serviceAccount:${agent(project.number)}`,
      });
    });
    this.id = key.id;
  }
}
