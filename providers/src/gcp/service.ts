import { BigqueryDatasetIamMember } from '@cdktf/provider-google/lib/bigquery-dataset-iam-member/index.js';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service/index.js';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js';
import { CloudRunV2WorkerPool } from '@cdktf/provider-google/lib/cloud-run-v2-worker-pool/index.js';
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
 * One role of the runtime image on Cloud Run, with its own service account granted only
 * what the role touches (the topic or its subscriptions, the lake, the warehouse's dataset,
 * its secrets), direct VPC egress into the private network, and the deployment's key on its
 * image. The API is a service taking traffic from the internet (any caller: it
 * authenticates requests itself), instances between the profile's bounds; the pipeline
 * and the worker listen on no port, so they are worker pools (no traffic, no probes), the
 * profile's least instances.
 */
export class GcpService extends Construct implements Service {
  readonly name: string;
  readonly url?: string;
  readonly metricsId: string;
  readonly logs: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, spec: ServiceSpec) {
    super(scope, id);
    const account = new ServiceAccount(this, 'identity', {
      accountId: resourceName(deployment, spec.role, { max: 30 }),
      displayName: `Livora ${spec.role} (${deployment.env})`,
    });
    this.#grant(deployment, spec, `serviceAccount:${account.email}`);
    const container = {
      image: spec.image,
      args: [spec.role],
      env: [
        ...Object.entries(spec.environment).map(([name, value]) => ({ name, value })),
        ...Object.entries(spec.secrets).map(([name, secret]) => ({
          name,
          valueSource: { secretKeyRef: { secret: secret.id, version: 'latest' } },
        })),
      ],
    };
    const limits = { cpu: String(Math.max(1, profile.services.cpu)), memory: `${profile.services.memory}Mi` };
    const template = {
      serviceAccount: account.email,
      encryptionKey: spec.key.id,
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
    };
    const name = resourceName(deployment, spec.role, { max: 49 });
    if (spec.public) {
      const run = new CloudRunV2Service(this, 'service', {
        name,
        location: deployment.region,
        ingress: 'INGRESS_TRAFFIC_ALL',
        deletionProtection: profile.deletionProtection,
        template: {
          ...template,
          scaling: { minInstanceCount: profile.services.min, maxInstanceCount: profile.services.max },
          containers: [
            {
              ...container,
              ports: { containerPort: 8080 },
              resources: { limits, cpuIdle: true },
              startupProbe: { httpGet: { path: '/healthz' } },
              livenessProbe: { httpGet: { path: '/healthz' } },
            },
          ],
        },
      });
      new CloudRunV2ServiceIamMember(this, 'public', {
        name: run.name,
        location: run.location,
        role: 'roles/run.invoker',
        member: 'allUsers',
      });
      this.url = run.uri;
      this.name = run.name;
    } else {
      const pool = new CloudRunV2WorkerPool(this, 'pool', {
        name,
        location: deployment.region,
        deletionProtection: profile.deletionProtection,
        // Scaled by Cloud Run between the profile's bounds, as the API's service is.
        scaling: {
          scalingMode: 'AUTOMATIC',
          minInstanceCount: profile.services.min,
          maxInstanceCount: profile.services.max,
        },
        template: { ...template, containers: [{ ...container, resources: { limits } }] },
      });
      this.name = pool.name;
    }
    this.metricsId = this.name;
    this.logs = this.name;
  }

  #grant(deployment: Deployment, spec: ServiceSpec, member: string): void {
    const stream = spec.access.stream as GcpEventStream | undefined;
    if (stream && spec.role === 'api')
      new PubsubTopicIamMember(this, 'publishes', { topic: stream.name, role: 'roles/pubsub.publisher', member });
    else if (stream)
      stream.subscriptions.forEach((subscription, i) => {
        new PubsubSubscriptionIamMember(this, `subscribes-${i}`, {
          subscription,
          role: 'roles/pubsub.subscriber',
          member,
        });
      });
    if (spec.access.lake)
      new StorageBucketIamMember(this, 'lake', {
        bucket: spec.access.lake.bucket,
        role: 'roles/storage.objectAdmin',
        member,
      });
    if (spec.access.warehouse) {
      new BigqueryDatasetIamMember(this, 'warehouse', {
        datasetId: spec.access.warehouse.name,
        role: 'roles/bigquery.dataEditor',
        member,
      });
      new ProjectIamMember(this, 'queries', {
        project: gcpProject(deployment),
        role: 'roles/bigquery.jobUser',
        member,
      });
    }
    Object.values(spec.secrets).forEach((secret, i) => {
      new SecretManagerSecretIamMember(this, `secret-${i}`, {
        secretId: secret.id,
        role: 'roles/secretmanager.secretAccessor',
        member,
      });
    });
  }
}
