import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy/index.js';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js';
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Service, ServiceSpec } from '../platform.ts';
import type { AwsCluster } from './cluster.ts';
import { type Statement, serviceRole } from './iam.ts';
import type { AwsLake } from './lake.ts';
import type { AwsNetwork } from './network.ts';
import type { AwsEventStream } from './stream.ts';
import type { AwsWarehouse } from './warehouse.ts';

const API_PORT = 8080;

/**
 * One role of the runtime image on ECS Fargate, in the private subnets: its logs in an
 * encrypted log group, its settings as environment, its secrets read from Secrets Manager
 * at start, an identity granted only what the role touches, CPU-based autoscaling between
 * the profile's bounds, and deployments that roll back when new tasks fail. A public role
 * (the API) sits behind an internet-facing load balancer that speaks only HTTPS (the
 * certificate is a variable: the client's domain).
 */
export class AwsService extends Construct implements Service {
  readonly name: string;
  readonly url?: string;
  readonly metricsId: string;
  readonly logs: string;

  constructor(
    scope: Construct,
    id: string,
    deployment: Deployment,
    profile: Profile,
    cluster: AwsCluster,
    spec: ServiceSpec,
  ) {
    super(scope, id);
    const name = resourceName(deployment, spec.role, { max: 32 });
    this.name = name;
    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: `/livora/${deployment.client}/${deployment.env}/${spec.role}`,
      retentionInDays: profile.logRetentionDays,
      kmsKeyId: spec.key.id,
    });
    // A reference to one JSON key of a secret (`arn:key::`) is granted on the secret itself.
    const secretArns = Object.values(spec.secrets).map((s) => s.id.replace(/:[^:]*::$/, ''));
    const execution = serviceRole(
      this,
      'execution-role',
      resourceName(deployment, `${spec.role}-start`, { max: 64 }),
      ['ecs-tasks.amazonaws.com'],
      [
        {
          Action: ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Resource: '*',
        },
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logs.arn}:*` },
        ...(secretArns.length > 0 ? [{ Action: 'secretsmanager:GetSecretValue', Resource: secretArns }] : []),
        { Action: 'kms:Decrypt', Resource: spec.key.id },
      ],
    );
    const task = serviceRole(
      this,
      'task-role',
      resourceName(deployment, spec.role, { max: 64 }),
      ['ecs-tasks.amazonaws.com'],
      grants(spec),
    );
    const definition = new EcsTaskDefinition(this, 'task', {
      family: name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(profile.services.cpu * 1024),
      memory: String(profile.services.memory),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: execution.arn,
      taskRoleArn: task.arn,
      containerDefinitions: JSON.stringify([
        {
          name: spec.role,
          image: spec.image,
          command: [spec.role],
          essential: true,
          readonlyRootFilesystem: false,
          portMappings: spec.public ? [{ containerPort: API_PORT, protocol: 'tcp' }] : [],
          environment: Object.entries(spec.environment).map(([n, value]) => ({ name: n, value })),
          secrets: Object.entries(spec.secrets).map(([n, secret]) => ({ name: n, valueFrom: secret.id })),
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': logs.name,
              'awslogs-region': deployment.region,
              'awslogs-stream-prefix': spec.role,
            },
          },
        },
      ]),
    });
    const network = spec.network as AwsNetwork;
    const balancer = spec.public ? this.#loadBalancer(deployment, profile, network) : null;
    const service = new EcsService(this, 'service', {
      name,
      cluster: cluster.arn,
      taskDefinition: definition.arn,
      desiredCount: profile.services.min,
      launchType: 'FARGATE',
      propagateTags: 'SERVICE',
      enableExecuteCommand: false,
      networkConfiguration: {
        subnets: network.privateSubnetIds.slice(0, Math.max(profile.zones, 1)),
        securityGroups: [network.servicesSecurityGroupId],
        assignPublicIp: false,
      },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      ...(balancer
        ? {
            loadBalancer: [{ targetGroupArn: balancer.targets.arn, containerName: spec.role, containerPort: API_PORT }],
          }
        : {}),
      // Autoscaling owns the count once running.
      lifecycle: { ignoreChanges: ['desired_count'] },
    });
    const scaling = new AppautoscalingTarget(this, 'scaling', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${cluster.name}/${service.name}`,
      minCapacity: profile.services.min,
      maxCapacity: profile.services.max,
    });
    new AppautoscalingPolicy(this, 'cpu', {
      name: `${name}-cpu`,
      policyType: 'TargetTrackingScaling',
      serviceNamespace: scaling.serviceNamespace,
      scalableDimension: scaling.scalableDimension,
      resourceId: scaling.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: 60,
        predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      },
    });
    if (balancer) this.url = `https://${balancer.lb.dnsName}`;
    this.metricsId = balancer ? balancer.lb.arnSuffix : service.name;
    this.logs = logs.name;
  }

  #loadBalancer(deployment: Deployment, profile: Profile, network: AwsNetwork) {
    // The client's domain is theirs: its ACM certificate is given at deploy time.
    const certificate = new TerraformVariable(this, 'certificate_arn', {
      type: 'string',
      description: 'ARN of the ACM certificate for the API’s domain',
    });
    certificate.overrideLogicalId('api_certificate_arn');
    const lb = new Lb(this, 'load-balancer', {
      name: resourceName(deployment, 'api', { max: 32 }),
      loadBalancerType: 'application',
      internal: false,
      subnets: network.publicSubnetIds,
      securityGroups: [network.loadBalancerSecurityGroupId],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: profile.deletionProtection,
    });
    const targets = new LbTargetGroup(this, 'targets', {
      name: resourceName(deployment, 'api-tasks', { max: 32 }),
      port: API_PORT,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: network.id,
      deregistrationDelay: '30',
      healthCheck: { path: '/readyz', matcher: '200', interval: 15, healthyThreshold: 2 },
    });
    new LbListener(this, 'https', {
      loadBalancerArn: lb.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificateArn: certificate.stringValue,
      defaultAction: [{ type: 'forward', targetGroupArn: targets.arn }],
    });
    return { lb, targets };
  }
}

/** What a role's identity may do: the stream and the lake it names, and the key they are encrypted with. */
function grants(spec: ServiceSpec): Statement[] {
  const statements: Statement[] = [];
  const stream = spec.access.stream as AwsEventStream | undefined;
  const lake = spec.access.lake as AwsLake | undefined;
  if (stream)
    statements.push({
      Action: [
        'kinesis:PutRecords',
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:DescribeStream*',
        'kinesis:ListShards',
      ],
      Resource: stream.arn,
    });
  if (lake)
    statements.push({
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
      Resource: [lake.arn, `${lake.arn}/*`],
    });
  const warehouse = spec.access.warehouse as AwsWarehouse | undefined;
  if (warehouse) {
    // Statements run on the workgroup as the namespace's admin (its secret): one database user for every role.
    statements.push({ Action: 'redshift-data:ExecuteStatement', Resource: warehouse.workgroupArn });
    statements.push({ Action: 'secretsmanager:GetSecretValue', Resource: warehouse.credentialsSecretId });
    // Statement ids are not resources: these take '*', and answer only the caller's own statements.
    statements.push({
      Action: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement'],
      Resource: '*',
    });
  }
  statements.push({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: spec.key.id });
  return statements;
}
