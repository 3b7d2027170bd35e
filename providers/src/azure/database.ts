import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret/index.js';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock/index.js';
import { PostgresqlFlexibleServer } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server/index.js';
import { PostgresqlFlexibleServerDatabase } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-database/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { Database } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzureNetwork } from './network.ts';
import type { AzurePlace } from './resource-group.ts';

const SKU = { small: 'B_Standard_B2s', medium: 'GP_Standard_D2ds_v5', large: 'GP_Standard_D4ds_v5' } as const;

/**
 * The operational PostgreSQL: Azure Database for PostgreSQL Flexible Server 16 in the
 * delegated subnet (no public access), encrypted with the deployment's key; zone-redundant
 * high availability and geo-redundant backups where the profile asks for them; backups kept
 * the profile's days; a delete lock in prod. The password is generated and kept in the
 * vault: the Terraform holds only references.
 */
export class AzureDatabase extends Construct implements Database {
  readonly host: string;
  readonly port = 5432;
  readonly credentialsSecretId: string;

  constructor(scope: Construct, id: string, at: AzurePlace, network: AzureNetwork, key: AzureEncryptionKey) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const password = new Password(this, 'password', { length: 40, special: false });
    const server = new PostgresqlFlexibleServer(this, 'server', {
      name: resourceName(deployment, 'postgres', { max: 63 }),
      location: group.location,
      resourceGroupName: group.name,
      version: '16',
      skuName: SKU[profile.size],
      storageMb: profile.size === 'large' ? 262144 : 65536,
      autoGrowEnabled: true,
      delegatedSubnetId: network.databaseSubnetId,
      privateDnsZoneId: network.postgresDnsZoneId,
      publicNetworkAccessEnabled: false,
      administratorLogin: 'livora',
      administratorPassword: password.result,
      backupRetentionDays: Math.min(profile.backupRetentionDays, 35),
      geoRedundantBackupEnabled: false,
      zone: '1',
      identity: { type: 'UserAssigned', identityIds: [key.identityId] },
      customerManagedKey: { keyVaultKeyId: key.id, primaryUserAssignedIdentityId: key.identityId },
      ...(profile.highAvailability
        ? { highAvailability: { mode: 'ZoneRedundant', standbyAvailabilityZone: '2' } }
        : {}),
    });
    new PostgresqlFlexibleServerDatabase(this, 'livora', { name: 'livora', serverId: server.id });
    if (profile.deletionProtection)
      new ManagementLock(this, 'lock', { name: 'livora-keep', scope: server.id, lockLevel: 'CanNotDelete' });
    const secret = new KeyVaultSecret(this, 'credentials', {
      name: 'database-password',
      keyVaultId: key.vaultId,
      value: password.result,
      contentType: 'password',
    });
    this.host = server.fqdn;
    this.credentialsSecretId = secret.versionlessId;
  }
}
