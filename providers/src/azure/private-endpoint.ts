import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone/index.js';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link/index.js';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint/index.js';
import type { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { AzureNetwork } from './network.ts';
import type { AzurePlace } from './resource-group.ts';

/**
 * Reaches a service with no public access from inside the network: a private endpoint in
 * the endpoints subnet, its name resolved by a private DNS zone linked to the network.
 * Made in `scope` (ids `dns`, `dns-link`, `endpoint`).
 */
export function privateEndpoint(
  scope: Construct,
  at: AzurePlace,
  network: AzureNetwork,
  service: {
    /** Short name of the service (`redis`, `synapse`): names the link and the connection. */
    readonly name: string;
    /** Azure's private DNS zone for the service, e.g. `privatelink.redis.azure.net`. */
    readonly dnsZone: string;
    readonly resourceId: string;
    /** The service's sub-resource the endpoint connects to, e.g. `Sql`. */
    readonly subresource: string;
  },
): void {
  const { deployment, group } = at;
  const zone = new PrivateDnsZone(scope, 'dns', { name: service.dnsZone, resourceGroupName: group.name });
  new PrivateDnsZoneVirtualNetworkLink(scope, 'dns-link', {
    name: `livora-${service.name}`,
    resourceGroupName: group.name,
    privateDnsZoneName: zone.name,
    virtualNetworkId: network.id,
  });
  new PrivateEndpoint(scope, 'endpoint', {
    name: resourceName(deployment, `${service.name}-endpoint`, { max: 80 }),
    location: group.location,
    resourceGroupName: group.name,
    subnetId: network.endpointsSubnetId,
    privateServiceConnection: {
      name: service.name,
      isManualConnection: false,
      privateConnectionResourceId: service.resourceId,
      subresourceNames: [service.subresource],
    },
    privateDnsZoneGroup: { name: service.name, privateDnsZoneIds: [zone.id] },
  });
}
