import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
import { SynapseSqlPool } from '@cdktf/provider-azurerm/lib/synapse-sql-pool/index.js';
import { SynapseWorkspace } from '@cdktf/provider-azurerm/lib/synapse-workspace/index.js';
import { SynapseWorkspaceAadAdmin } from '@cdktf/provider-azurerm/lib/synapse-workspace-aad-admin/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { WarehouseResource } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzureLake } from './lake.ts';
import type { AzureNetwork } from './network.ts';
import { privateEndpoint } from './private-endpoint.ts';
import type { AzurePlace } from './resource-group.ts';

const POOL_SKU = { small: 'DW100c', medium: 'DW200c', large: 'DW500c' } as const;

/**
 * Synapse: a workspace (its system files in the lake's account, Entra ID sign-in only: no
 * SQL password anywhere, no public network, a managed virtual network, double encryption
 * with the deployment's key) and a dedicated SQL pool sized by the profile, geo-backed in
 * prod.
 */
export class AzureWarehouse extends Construct implements WarehouseResource {
  readonly name: string;
  readonly endpoint: string;

  constructor(
    scope: Construct,
    id: string,
    at: AzurePlace,
    network: AzureNetwork,
    key: AzureEncryptionKey,
    lake: AzureLake,
  ) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const client = new DataAzurermClientConfig(this, 'deployer');
    // Made through Azure Resource Manager (a container is the filesystem on an ADLS Gen2
    // account): the account's firewall keeps its data endpoint closed to the deployer.
    const files = new StorageContainer(this, 'system', {
      name: 'synapse',
      storageAccountId: lake.accountId,
      containerAccessType: 'private',
    });
    const workspace = new SynapseWorkspace(this, 'workspace', {
      name: resourceName(deployment, 'synapse', { max: 50 }),
      location: group.location,
      resourceGroupName: group.name,
      storageDataLakeGen2FilesystemId: `https://${lake.account}.dfs.core.windows.net/${files.name}`,
      azureadAuthenticationOnly: true,
      publicNetworkAccessEnabled: false,
      managedVirtualNetworkEnabled: true,
      dataExfiltrationProtectionEnabled: true,
      identity: { type: 'SystemAssigned, UserAssigned', identityIds: [key.identityId] },
      customerManagedKey: { keyVersionlessId: key.id, keyName: 'stores', userAssignedIdentityId: key.identityId },
    });
    new SynapseWorkspaceAadAdmin(this, 'admin', {
      synapseWorkspaceId: workspace.id,
      login: 'livora-deployer',
      objectId: client.objectId,
      tenantId: client.tenantId,
    });
    const pool = new SynapseSqlPool(this, 'pool', {
      name: 'analytics',
      synapseWorkspaceId: workspace.id,
      skuName: POOL_SKU[profile.size],
      createMode: 'Default',
      dataEncrypted: true,
      geoBackupPolicyEnabled: profile.deletionProtection,
      storageAccountType: profile.highAvailability ? 'GRS' : 'LRS',
    });
    // COPY INTO reads the lake as the workspace's own identity.
    new RoleAssignment(this, 'reads-lake', {
      scope: lake.accountId,
      roleDefinitionName: 'Storage Blob Data Reader',
      principalId: workspace.identity.principalId,
    });
    // The workspace takes no public traffic: its SQL endpoint is reached through the network.
    privateEndpoint(this, at, network, {
      name: 'synapse',
      dnsZone: 'privatelink.sql.azuresynapse.net',
      resourceId: workspace.id,
      subresource: 'Sql',
    });
    this.name = pool.name;
    this.endpoint = `${workspace.name}.sql.azuresynapse.net`;
  }
}
