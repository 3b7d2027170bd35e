import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version/index.js';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database/index.js';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance/index.js';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Database, EncryptionKey } from '../platform.ts';
import { tagsOf } from '../tags.ts';
import type { GcpNetwork } from './network.ts';
import { gcpSecret } from './secrets.ts';

const TIER = { small: 'db-custom-1-3840', medium: 'db-custom-2-7680', large: 'db-custom-4-15360' } as const;

/**
 * The operational PostgreSQL: Cloud SQL for PostgreSQL 16, encrypted with the deployment's
 * key, on a private IP only, TLS required; regional (a standby in another zone) and a read
 * replica where the profile asks for high availability; point-in-time recovery over the
 * profile's backup retention; deletion protection in prod. The application user's
 * password is generated (random) and kept in Secret Manager: the Terraform holds only
 * references, its state the value (keep state encrypted: the GCS backend is).
 */
export class GcpDatabase extends Construct implements Database {
  readonly host: string;
  readonly port = 5432;
  readonly credentialsSecretId: string;

  constructor(
    scope: Construct,
    id: string,
    deployment: Deployment,
    profile: Profile,
    network: GcpNetwork,
    key: EncryptionKey,
  ) {
    super(scope, id);
    // Cloud SQL's labels sit inside its settings, where the stack's tagging aspect does not reach.
    const labels = tagsOf(this);
    const settings = (availability: 'REGIONAL' | 'ZONAL') => ({
      tier: TIER[profile.size],
      availabilityType: availability,
      edition: 'ENTERPRISE',
      diskAutoresize: true,
      ipConfiguration: { ipv4Enabled: false, privateNetwork: network.id, sslMode: 'ENCRYPTED_ONLY' },
      databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }],
      deletionProtectionEnabled: profile.deletionProtection,
      userLabels: labels,
    });
    const primary = new SqlDatabaseInstance(this, 'primary', {
      name: resourceName(deployment, 'postgres', { max: 80 }),
      databaseVersion: 'POSTGRES_16',
      region: deployment.region,
      encryptionKeyName: key.id,
      deletionProtection: profile.deletionProtection,
      settings: {
        ...settings(profile.highAvailability ? 'REGIONAL' : 'ZONAL'),
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: Math.min(profile.backupRetentionDays, 7),
          backupRetentionSettings: { retainedBackups: profile.backupRetentionDays, retentionUnit: 'COUNT' },
        },
      },
      dependsOn: [network.peering],
    });
    if (profile.highAvailability)
      new SqlDatabaseInstance(this, 'replica', {
        name: resourceName(deployment, 'postgres-replica', { max: 80 }),
        databaseVersion: 'POSTGRES_16',
        region: deployment.region,
        masterInstanceName: primary.name,
        encryptionKeyName: key.id,
        deletionProtection: profile.deletionProtection,
        settings: settings('ZONAL'),
        dependsOn: [network.peering],
      });
    new SqlDatabase(this, 'livora', { name: 'livora', instance: primary.name });
    const password = new Password(this, 'password', { length: 40, special: false });
    new SqlUser(this, 'user', { name: 'livora', instance: primary.name, password: password.result });
    const secret = gcpSecret(this, 'credentials', deployment, profile, key, 'database-password');
    new SecretManagerSecretVersion(this, 'credentials-value', { secret: secret.id, secretData: password.result });
    this.host = primary.privateIpAddress;
    this.credentialsSecretId = secret.id;
  }
}
