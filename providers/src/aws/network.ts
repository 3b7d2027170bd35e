import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Network } from '../platform.ts';

/** Redshift Serverless asks for subnets in three zones, so every network has three private ones. */
const PRIVATE_ZONES = 3;

/**
 * A VPC with a private subnet in three zones and a public one per zone the profile runs
 * in; NAT gateways give the private subnets egress (one in dev, one per zone otherwise,
 * so a zone's failure does not cut the others off). Three security groups: the load
 * balancer's (HTTPS from anywhere), the services' (from the load balancer only) and the
 * data stores' (PostgreSQL and Redis from the services only).
 */
export class AwsNetwork extends Construct implements Network {
  readonly id: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly servicesSecurityGroupId: string;
  readonly dataSecurityGroupId: string;
  readonly loadBalancerSecurityGroupId: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile) {
    super(scope, id);
    const zones = new DataAwsAvailabilityZones(this, 'zones', { state: 'available' });
    const zone = (i: number) => Fn.element(zones.names, i);
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: '10.40.0.0/16',
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: resourceName(deployment, 'vpc') },
    });
    this.id = vpc.id;
    const gateway = new InternetGateway(this, 'internet', { vpcId: vpc.id });
    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: vpc.id });
    new Route(this, 'public-default', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: gateway.id,
    });
    const publicSubnets = Array.from({ length: Math.max(profile.zones, 2) }, (_, i) => {
      // A load balancer needs two zones, even in dev.
      const subnet = new Subnet(this, `public-${i}`, {
        vpcId: vpc.id,
        availabilityZone: zone(i),
        cidrBlock: `10.40.${i}.0/24`,
        tags: { Name: resourceName(deployment, `public-${i}`) },
      });
      new RouteTableAssociation(this, `public-${i}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      return subnet;
    });
    const nats = Array.from({ length: profile.highAvailability ? profile.zones : 1 }, (_, i) => {
      const address = new Eip(this, `nat-${i}-address`, { domain: 'vpc' });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: address.allocationId,
        subnetId: (publicSubnets[i] as Subnet).id,
      });
    });
    const privateSubnets = Array.from({ length: PRIVATE_ZONES }, (_, i) => {
      const subnet = new Subnet(this, `private-${i}`, {
        vpcId: vpc.id,
        availabilityZone: zone(i),
        cidrBlock: `10.40.${16 * (i + 1)}.0/20`,
        tags: { Name: resourceName(deployment, `private-${i}`) },
      });
      const routes = new RouteTable(this, `private-${i}-routes`, { vpcId: vpc.id });
      new Route(this, `private-${i}-default`, {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: (nats[i % nats.length] as NatGateway).id,
      });
      new RouteTableAssociation(this, `private-${i}-association`, { subnetId: subnet.id, routeTableId: routes.id });
      return { subnet, routes };
    });
    // S3 from the private subnets without NAT (the lake's traffic, Redshift's COPY with enhanced VPC routing).
    new VpcEndpoint(this, 's3', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${deployment.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateSubnets.map((p) => p.routes.id),
    });
    // The zones the profile runs in come first: services and single-zone stores use these.
    this.privateSubnetIds = privateSubnets.map((p) => p.subnet.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);

    const group = (name: string, description: string) =>
      new SecurityGroup(this, name, {
        vpcId: vpc.id,
        name: resourceName(deployment, name, { max: 255 }),
        description,
      });
    const balancer = group('load-balancer', 'The API load balancer: HTTPS from anywhere');
    const services = group('services', 'Livora containers: from the load balancer');
    const data = group('data', 'PostgreSQL, Redis and the warehouse: from the services');
    new VpcSecurityGroupIngressRule(this, 'https-in', {
      securityGroupId: balancer.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
    });
    new VpcSecurityGroupIngressRule(this, 'api-in', {
      securityGroupId: services.id,
      referencedSecurityGroupId: balancer.id,
      ipProtocol: 'tcp',
      fromPort: 8080,
      toPort: 8080,
    });
    for (const [name, port] of [
      ['postgres', 5432],
      ['redis', 6379],
      ['redshift', 5439],
    ] as const)
      new VpcSecurityGroupIngressRule(this, `${name}-in`, {
        securityGroupId: data.id,
        referencedSecurityGroupId: services.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
      });
    for (const [name, from] of [
      ['load-balancer-out', balancer],
      ['services-out', services],
    ] as const)
      new VpcSecurityGroupEgressRule(this, name, { securityGroupId: from.id, cidrIpv4: '0.0.0.0/0', ipProtocol: '-1' });
    // The warehouse reads the lake (HTTPS to S3, through the endpoint) and nothing else.
    new VpcSecurityGroupEgressRule(this, 'data-out', {
      securityGroupId: data.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
    });
    this.servicesSecurityGroupId = services.id;
    this.dataSecurityGroupId = data.id;
    this.loadBalancerSecurityGroupId = balancer.id;
  }
}
