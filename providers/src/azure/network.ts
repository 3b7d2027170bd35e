import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway/index.js';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association/index.js';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group/index.js';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone/index.js';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link/index.js';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip/index.js';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association/index.js';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association/index.js';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { Network } from '../platform.ts';
import type { AzurePlace } from './resource-group.ts';

/**
 * A virtual network (Azure subnets span the region's zones): a subnet for Container Apps,
 * one delegated to PostgreSQL, one for private endpoints; a NAT gateway for egress
 * (zone-redundant where the profile asks for HA); network security groups that take no
 * traffic from the internet; the private DNS zone PostgreSQL resolves in.
 */
export class AzureNetwork extends Construct implements Network {
  readonly id: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[] = [];
  readonly servicesSecurityGroupId: string;
  readonly dataSecurityGroupId: string;
  readonly servicesSubnetId: string;
  readonly databaseSubnetId: string;
  readonly endpointsSubnetId: string;
  readonly postgresDnsZoneId: string;

  constructor(scope: Construct, id: string, at: AzurePlace) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const where = { location: group.location, resourceGroupName: group.name };
    const vnet = new VirtualNetwork(this, 'vnet', {
      ...where,
      name: resourceName(deployment, 'vnet', { max: 64 }),
      addressSpace: ['10.40.0.0/16'],
    });
    const subnet = (name: string, cidr: string, delegation?: { service: string; actions: string[] }) =>
      new Subnet(this, name, {
        name,
        resourceGroupName: group.name,
        virtualNetworkName: vnet.name,
        addressPrefixes: [cidr],
        serviceEndpoints: ['Microsoft.Storage', 'Microsoft.KeyVault', 'Microsoft.EventHub'],
        ...(delegation
          ? {
              delegation: [
                {
                  name: delegation.service,
                  serviceDelegation: { name: delegation.service, actions: delegation.actions },
                },
              ],
            }
          : {}),
      });
    const services = subnet('services', '10.40.0.0/21', {
      service: 'Microsoft.App/environments',
      actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
    });
    const database = subnet('database', '10.40.8.0/24', {
      service: 'Microsoft.DBforPostgreSQL/flexibleServers',
      actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
    });
    const endpoints = subnet('endpoints', '10.40.9.0/24');
    const ip = new PublicIp(this, 'nat-address', {
      ...where,
      name: resourceName(deployment, 'nat-ip', { max: 80 }),
      allocationMethod: 'Static',
      sku: 'Standard',
      ...(profile.highAvailability ? { zones: ['1', '2', '3'] } : {}),
    });
    const nat = new NatGateway(this, 'nat', {
      ...where,
      name: resourceName(deployment, 'nat', { max: 80 }),
      skuName: 'Standard',
    });
    new NatGatewayPublicIpAssociation(this, 'nat-ip', { natGatewayId: nat.id, publicIpAddressId: ip.id });
    const groups = new Map<string, NetworkSecurityGroup>();
    for (const [name, target] of [
      ['services', services],
      ['database', database],
      ['endpoints', endpoints],
    ] as const) {
      new SubnetNatGatewayAssociation(this, `${name}-nat`, { subnetId: target.id, natGatewayId: nat.id });
      const nsg = new NetworkSecurityGroup(this, `${name}-nsg`, {
        ...where,
        name: resourceName(deployment, `${name}-nsg`, { max: 80 }),
        securityRule: [
          // The API's public ingress lands in the services' subnet (the Container Apps environment's).
          ...(name === 'services'
            ? [
                {
                  name: 'api-https-in',
                  priority: 100,
                  direction: 'Inbound',
                  access: 'Allow',
                  protocol: 'Tcp',
                  sourcePortRange: '*',
                  destinationPortRanges: ['80', '443'],
                  sourceAddressPrefix: 'Internet',
                  destinationAddressPrefix: '*',
                },
              ]
            : []),
          {
            name: 'no-internet-in',
            priority: 4000,
            direction: 'Inbound',
            access: 'Deny',
            protocol: '*',
            sourcePortRange: '*',
            destinationPortRange: '*',
            sourceAddressPrefix: 'Internet',
            destinationAddressPrefix: '*',
          },
        ],
      });
      new SubnetNetworkSecurityGroupAssociation(this, `${name}-nsg-link`, {
        subnetId: target.id,
        networkSecurityGroupId: nsg.id,
      });
      groups.set(name, nsg);
    }
    const zone = new PrivateDnsZone(this, 'postgres-dns', {
      name: 'privatelink.postgres.database.azure.com',
      resourceGroupName: group.name,
    });
    new PrivateDnsZoneVirtualNetworkLink(this, 'postgres-dns-link', {
      name: 'livora',
      resourceGroupName: group.name,
      privateDnsZoneName: zone.name,
      virtualNetworkId: vnet.id,
    });
    this.id = vnet.id;
    this.servicesSubnetId = services.id;
    this.databaseSubnetId = database.id;
    this.endpointsSubnetId = endpoints.id;
    this.privateSubnetIds = [services.id, database.id, endpoints.id];
    this.servicesSecurityGroupId = (groups.get('services') as NetworkSecurityGroup).id;
    this.dataSecurityGroupId = (groups.get('database') as NetworkSecurityGroup).id;
    this.postgresDnsZoneId = zone.id;
  }
}
