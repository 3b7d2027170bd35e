import { ComputeBackendBucket } from '@cdktf/provider-google/lib/compute-backend-bucket/index.js';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address/index.js';
import { ComputeGlobalForwardingRule } from '@cdktf/provider-google/lib/compute-global-forwarding-rule/index.js';
import { ComputeManagedSslCertificate } from '@cdktf/provider-google/lib/compute-managed-ssl-certificate/index.js';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy/index.js';
import { ComputeUrlMap } from '@cdktf/provider-google/lib/compute-url-map/index.js';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey, StaticSite } from '../platform.ts';
import { privateGcsBucket } from './lake.ts';

/**
 * The console: a private bucket (public access prevented) read by Cloud CDN's own service
 * account, behind a global HTTPS load balancer with Cloud CDN and a Google-managed
 * certificate for the console's domain (`console_domain`); a single-page app, so every
 * unknown path is answered by `index.html`.
 */
export class GcpStaticSite extends Construct implements StaticSite {
  readonly url: string;
  readonly domain: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, key: EncryptionKey) {
    super(scope, id);
    const domain = new TerraformVariable(this, 'console_domain', {
      type: 'string',
      description: 'The console’s domain name (its DNS must point at the output address)',
    });
    domain.overrideLogicalId('console_domain');
    const files = privateGcsBucket(this, 'files', {
      name: resourceName(deployment, 'console'),
      region: deployment.region,
      key,
      forceDestroy: !profile.deletionProtection,
    });
    const project = new DataGoogleProject(this, 'project');
    new StorageBucketIamMember(this, 'cdn-reads', {
      bucket: files.name,
      role: 'roles/storage.objectViewer',
      member: `serviceAccount:service-${project.number}@cloud-cdn-fill.iam.gserviceaccount.com`,
    });
    const backend = new ComputeBackendBucket(this, 'backend', {
      name: resourceName(deployment, 'console', { max: 63 }),
      bucketName: files.name,
      enableCdn: true,
      cdnPolicy: { cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600 },
    });
    const routes = new ComputeUrlMap(this, 'routes', {
      name: resourceName(deployment, 'console-routes', { max: 63 }),
      defaultService: backend.id,
      defaultCustomErrorResponsePolicy: {
        errorService: backend.id,
        errorResponseRule: [{ matchResponseCodes: ['404'], path: '/index.html', overrideResponseCode: 200 }],
      },
    });
    const certificate = new ComputeManagedSslCertificate(this, 'certificate', {
      name: resourceName(deployment, 'console-cert', { max: 63 }),
      managed: { domains: [domain.stringValue] },
    });
    const proxy = new ComputeTargetHttpsProxy(this, 'https', {
      name: resourceName(deployment, 'console-https', { max: 63 }),
      urlMap: routes.id,
      sslCertificates: [certificate.id],
    });
    const address = new ComputeGlobalAddress(this, 'address', {
      name: resourceName(deployment, 'console-address', { max: 63 }),
    });
    new ComputeGlobalForwardingRule(this, 'entry', {
      name: resourceName(deployment, 'console-entry', { max: 63 }),
      target: proxy.id,
      portRange: '443',
      ipAddress: address.address,
      loadBalancingScheme: 'EXTERNAL_MANAGED',
    });
    this.domain = domain.stringValue;
    this.url = `https://${domain.stringValue}`;
  }
}
