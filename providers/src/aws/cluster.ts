import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';

/** The ECS cluster the roles run in (Fargate: no instances to manage), with Container Insights. */
export class AwsCluster extends Construct {
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, deployment: Deployment) {
    super(scope, id);
    const cluster = new EcsCluster(this, 'cluster', {
      name: resourceName(deployment, 'services', { max: 255 }),
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    this.arn = cluster.arn;
    this.name = cluster.name;
  }
}
