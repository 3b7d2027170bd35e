import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault/index.js';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key/index.js';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { EncryptionKey } from '../platform.ts';
import { deployerIpRanges } from './deployers.ts';
import type { AzurePlace } from './resource-group.ts';

/**
 * The deployment's customer-managed key: an RSA key in a Key Vault (RBAC, purge
 * protection, soft delete for the profile's recovery window), rotated yearly, and the
 * managed identity every store encrypts with it as (granted "Key Vault Crypto Service
 * Encryption User"). The deployer is the vault's crypto officer.
 */
export class AzureEncryptionKey extends Construct implements EncryptionKey {
  readonly id: string;
  /** The key vault (its secrets too), and the identity stores use the key as. */
  readonly vaultId: string;
  readonly identityId: string;
  readonly identityPrincipalId: string;

  constructor(scope: Construct, id: string, at: AzurePlace, servicesSubnetId: string) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const client = new DataAzurermClientConfig(this, 'deployer');
    const vault = new KeyVault(this, 'vault', {
      name: resourceName(deployment, 'kv', { max: 24 }),
      location: group.location,
      resourceGroupName: group.name,
      tenantId: client.tenantId,
      skuName: 'premium',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: Math.max(profile.recoveryWindowDays, 7),
      // Closed but to Azure's trusted services, the services' subnet and the deployers' addresses.
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        ipRules: deployerIpRanges(this),
        virtualNetworkSubnetIds: [servicesSubnetId],
      },
    });
    const officer = new RoleAssignment(this, 'deployer-crypto', {
      scope: vault.id,
      roleDefinitionName: 'Key Vault Administrator',
      principalId: client.objectId,
    });
    const key = new KeyVaultKey(this, 'key', {
      name: 'stores',
      keyVaultId: vault.id,
      keyType: 'RSA-HSM',
      keySize: 3072,
      keyOpts: ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt'],
      rotationPolicy: { automatic: { timeBeforeExpiry: 'P30D' }, expireAfter: 'P13M', notifyBeforeExpiry: 'P29D' },
      dependsOn: [officer],
    });
    const identity = new UserAssignedIdentity(this, 'stores', {
      name: resourceName(deployment, 'stores', { max: 128 }),
      location: group.location,
      resourceGroupName: group.name,
    });
    new RoleAssignment(this, 'stores-crypto', {
      scope: vault.id,
      roleDefinitionName: 'Key Vault Crypto Service Encryption User',
      principalId: identity.principalId,
    });
    if (profile.deletionProtection)
      new ManagementLock(this, 'lock', { name: 'livora-keep', scope: vault.id, lockLevel: 'CanNotDelete' });
    this.id = key.versionlessId;
    this.vaultId = vault.id;
    this.identityId = identity.id;
    this.identityPrincipalId = identity.principalId;
  }
}
