import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall/index.js';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network/index.js';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router/index.js';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat/index.js';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork/index.js';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Network } from '../platform.ts';

/**
 * A VPC with one private regional subnet (a GCP subnet spans the region's zones), Cloud
 * NAT for egress, private services access for Cloud SQL and Memorystore (no public IPs),
 * and ingress denied except Google's health checks. Cloud Run reaches it by direct VPC
 * egress; network tags stand in for security groups.
 */
export class GcpNetwork extends Construct implements Network {
  readonly id: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[] = [];
  readonly servicesSecurityGroupId = 'livora-services';
  readonly dataSecurityGroupId = 'livora-data';
  /** Private services access: Cloud SQL and Memorystore wait for it. */
  readonly peering: ServiceNetworkingConnection;

  constructor(scope: Construct, id: string, deployment: Deployment) {
    super(scope, id);
    const network = new ComputeNetwork(this, 'vpc', {
      name: resourceName(deployment, 'vpc', { max: 63 }),
      autoCreateSubnetworks: false,
    });
    const subnet = new ComputeSubnetwork(this, 'private', {
      name: resourceName(deployment, 'private', { max: 63 }),
      network: network.id,
      region: deployment.region,
      ipCidrRange: '10.40.0.0/20',
      privateIpGoogleAccess: true,
      logConfig: { aggregationInterval: 'INTERVAL_5_MIN', flowSampling: 0.5 },
    });
    const router = new ComputeRouter(this, 'router', {
      name: resourceName(deployment, 'router', { max: 63 }),
      network: network.id,
      region: deployment.region,
    });
    new ComputeRouterNat(this, 'nat', {
      name: resourceName(deployment, 'nat', { max: 63 }),
      router: router.name,
      region: deployment.region,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    });
    const peeringRange = new ComputeGlobalAddress(this, 'services-range', {
      name: resourceName(deployment, 'services-range', { max: 63 }),
      network: network.id,
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      prefixLength: 20,
    });
    this.peering = new ServiceNetworkingConnection(this, 'services', {
      network: network.id,
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [peeringRange.name],
    });
    new ComputeFirewall(this, 'deny-ingress', {
      name: resourceName(deployment, 'deny-ingress', { max: 63 }),
      network: network.id,
      direction: 'INGRESS',
      priority: 65000,
      deny: [{ protocol: 'all' }],
      sourceRanges: ['0.0.0.0/0'],
    });
    new ComputeFirewall(this, 'health-checks', {
      name: resourceName(deployment, 'health-checks', { max: 63 }),
      network: network.id,
      direction: 'INGRESS',
      allow: [{ protocol: 'tcp', ports: ['8080'] }],
      // Google's health checkers.
      sourceRanges: ['35.191.0.0/16', '130.211.0.0/22'],
      targetTags: [this.servicesSecurityGroupId],
    });
    this.id = network.id;
    this.privateSubnetIds = [subnet.id];
  }
}
