import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution/index.js';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey, StaticSite } from '../platform.ts';
import { PrivateBucket } from './private-bucket.ts';

/** AWS's managed "CachingOptimized" cache policy. */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/**
 * The console: a private, encrypted bucket read only by CloudFront (origin access
 * control, signed requests), HTTPS only, every unknown path answered by `index.html` (a
 * single-page app routes in the browser).
 */
export class AwsStaticSite extends Construct implements StaticSite {
  readonly url: string;
  readonly domain: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, key: EncryptionKey) {
    super(scope, id);
    const site = new PrivateBucket(this, 'files', {
      name: resourceName(deployment, 'console'),
      key,
      forceDestroy: !profile.deletionProtection,
      lifecycle: [
        {
          id: 'old-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
        },
      ],
    });
    const bucket = site.bucket;
    const access = new CloudfrontOriginAccessControl(this, 'access', {
      name: resourceName(deployment, 'console', { max: 64 }),
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const spa = (errorCode: number) => ({ errorCode, responseCode: 200, responsePagePath: '/index.html' });
    const cdn = new CloudfrontDistribution(this, 'cdn', {
      enabled: true,
      comment: `Livora console (${deployment.client} ${deployment.env})`,
      defaultRootObject: 'index.html',
      priceClass: profile.size === 'large' ? 'PriceClass_All' : 'PriceClass_100',
      httpVersion: 'http2and3',
      origin: [{ originId: 'console', domainName: bucket.bucketRegionalDomainName, originAccessControlId: access.id }],
      defaultCacheBehavior: {
        targetOriginId: 'console',
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        cachePolicyId: CACHING_OPTIMIZED,
        compress: true,
      },
      customErrorResponse: [spa(403), spa(404)],
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: { cloudfrontDefaultCertificate: true, minimumProtocolVersion: 'TLSv1.2_2021' },
    });
    new S3BucketPolicy(this, 'cdn-reads', {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudFrontReads',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Resource: `${bucket.arn}/*`,
            Condition: { StringEquals: { 'AWS:SourceArn': cdn.arn } },
          },
        ],
      }),
    });
    this.domain = cdn.domainName;
    this.url = `https://${cdn.domainName}`;
  }
}
