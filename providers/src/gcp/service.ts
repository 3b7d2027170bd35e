import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service/index.js';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { PubsubSubscriptionIamMember } from '@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { Service, ServiceSpec } from '../platform.ts';
import { gcpProject } from './provider.ts';
import type { GcpEventStream } from './stream.ts';

/**
 * One role of the runtime image on Cloud Run: its own service account granted only what the
 * role touches (the topic or subscription, the lake, BigQuery, its secrets, Cloud SQL),
 * direct VPC egress into the private network, the deployment's key on its image, CPU always
 * allocated for the background roles, instances between the profile's bounds. The API
 * takes traffic from the internet (any caller: it authenticates requests itself); the
 * others take none.
 */
export class GcpService extends Construct implements Service {
  readonly name: string;
  readonly url?: string;
  readonly metricsId: string;
  readonly logs: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, spec: ServiceSpec) {
    super(scope, id);
    const project = gcpProject(deployment);
    const name = resourceName(deployment, spec.role, { max: 49 });
    const account = new ServiceAccount(this, 'identity', {
      accountId: resourceName(deployment, spec.role, { max: 30 }),
      displayName: `Livora ${spec.role} (${deployment.env})`,
    });
    const member = `serviceAccount:${account.email}`;
    const stream = spec.access.stream as GcpEventStream | undefined;
    if (stream) {
      if (spec.role === 'api')
        new PubsubTopicIamMember(this, 'publishes', { topic: stream.name, role: 'roles/pubsub.publisher', member });
      else
        stream.subscriptions.forEach((subscription, i) => {
          new PubsubSubscriptionIamMember(this, `subscribes-${i}`, {
            subscription,
            role: 'roles/pubsub.subscriber',
            member,
          });
        });
    }
    if (spec.access.lake)
      new StorageBucketIamMember(this, 'lake', {
        bucket: spec.access.lake.bucket,
        role: 'roles/storage.objectAdmin',
        member,
      });
    const projectRoles = ['roles/cloudsql.client', 'roles/bigquery.jobUser', 'roles/bigquery.dataEditor'];
    projectRoles.forEach((role, i) => {
      new ProjectIamMember(this, `project-role-${i}`, { project, role, member });
    });
    Object.values(spec.secrets).forEach((secret, i) => {
      new SecretManagerSecretIamMember(this, `secret-${i}`, {
        secretId: secret.id,
        role: 'roles/secretmanager.secretAccessor',
        member,
      });
    });
    const run = new CloudRunV2Service(this, 'service', {
      name,
      location: deployment.region,
      ingress: spec.public ? 'INGRESS_TRAFFIC_ALL' : 'INGRESS_TRAFFIC_INTERNAL_ONLY',
      deletionProtection: profile.deletionProtection,
      template: {
        serviceAccount: account.email,
        encryptionKey: spec.key.id,
        scaling: { minInstanceCount: profile.services.min, maxInstanceCount: profile.services.max },
        vpcAccess: {
          egress: 'PRIVATE_RANGES_ONLY',
          networkInterfaces: [
            {
              network: spec.network.id,
              subnetwork: spec.network.privateSubnetIds[0] as string,
              tags: [spec.network.servicesSecurityGroupId],
            },
          ],
        },
        containers: [
          {
            image: spec.image,
            args: [spec.role],
            ports: spec.public ? { containerPort: 8080 } : undefined,
            resources: {
              limits: { cpu: String(Math.max(1, profile.services.cpu)), memory: `${profile.services.memory}Mi` },
              // The pipeline and the worker work between requests: CPU always allocated.
              cpuIdle: spec.public,
            },
            env: [
              ...Object.entries(spec.environment).map(([n, value]) => ({ name: n, value })),
              ...Object.entries(spec.secrets).map(([n, secret]) => ({
                name: n,
                valueSource: { secretKeyRef: { secret: secret.id, version: 'latest' } },
              })),
            ],
            startupProbe: spec.public ? { httpGet: { path: '/healthz' } } : undefined,
            livenessProbe: spec.public ? { httpGet: { path: '/healthz' } } : undefined,
          },
        ],
      },
    });
    if (spec.public) {
      new CloudRunV2ServiceIamMember(this, 'public', {
        name: run.name,
        location: run.location,
        role: 'roles/run.invoker',
        member: 'allUsers',
      });
      this.url = run.uri;
    }
    this.name = run.name;
    this.metricsId = run.name;
    this.logs = run.name;
  }
}
