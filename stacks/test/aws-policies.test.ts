import { describe, expect, it } from 'vitest';
import {
  type SynthesizedResource as Resource,
  resourcesOf,
  type SynthesizedStack,
  synthesize,
} from '../src/synthesize.ts';
import {
  attr,
  combinationsOf,
  expectEverythingTagged,
  expectNamesWithin,
  expectStacksOfPattern,
  inventoryOf,
  ofType,
} from './policy-support.ts';

const combinations = combinationsOf('aws', 'eu-west-1');

describe.each(combinations)('AWS $env, pattern $pattern', (deployment) => {
  const stacks: SynthesizedStack[] = synthesize(deployment);
  const resources = resourcesOf(stacks);

  it('has the stacks of its pattern', () => expectStacksOfPattern(stacks, deployment));

  it('tags every taggable resource with client, env, pattern, stack and managed-by', () => {
    expect(expectEverythingTagged(stacks, deployment, 'tags')).toBeGreaterThan(20);
  });

  it('encrypts every store with the customer-managed key', () => {
    const key = /aws_kms_keykey_[A-F0-9]+arn|aws_kms_key\.key_[A-F0-9]+\.arn/;
    const buckets = ofType(resources, 'aws_s3_bucket');
    const encryption = ofType(resources, 'aws_s3_bucket_server_side_encryption_configuration');
    expect(encryption).toHaveLength(buckets.length);
    for (const e of encryption) {
      const rule = (attr(e, 'rule') as { apply_server_side_encryption_by_default: Record<string, string> }[])[0];
      expect(rule?.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
      expect(rule?.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(key);
    }
    const keyed: [string, string][] = [
      ['aws_kinesis_stream', 'kms_key_id'],
      ['aws_rds_cluster', 'kms_key_id'],
      ['aws_elasticache_replication_group', 'kms_key_id'],
      ['aws_redshiftserverless_namespace', 'kms_key_id'],
      ['aws_secretsmanager_secret', 'kms_key_id'],
      ['aws_cloudwatch_log_group', 'kms_key_id'],
      ['aws_sns_topic', 'kms_master_key_id'],
      ['aws_cloudtrail', 'kms_key_id'],
    ];
    for (const [type, field] of keyed) {
      const found = ofType(resources, type);
      expect(found.length, type).toBeGreaterThan(0);
      for (const r of found) expect(attr(r, field), `${type}.${r.id}`).toMatch(key);
    }
    for (const r of ofType(resources, 'aws_rds_cluster')) expect(attr(r, 'storage_encrypted')).toBe(true);
    for (const r of ofType(resources, 'aws_elasticache_replication_group')) {
      expect(attr(r, 'at_rest_encryption_enabled')).toBe('true');
      expect(attr(r, 'transit_encryption_enabled')).toBe(true);
    }
    for (const r of ofType(resources, 'aws_kinesis_stream')) expect(attr(r, 'encryption_type')).toBe('KMS');
  });

  it('leaves no bucket or database public', () => {
    const buckets = ofType(resources, 'aws_s3_bucket');
    const blocks = ofType(resources, 'aws_s3_bucket_public_access_block');
    expect(blocks).toHaveLength(buckets.length);
    for (const b of blocks)
      for (const field of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
        expect(attr(b, field), `${b.id}.${field}`).toBe(true);
    for (const r of ofType(resources, 'aws_rds_cluster_instance')) expect(attr(r, 'publicly_accessible')).toBe(false);
    for (const r of ofType(resources, 'aws_redshiftserverless_workgroup'))
      expect(attr(r, 'publicly_accessible')).toBe(false);
    // The only way in from the internet: HTTPS to the API's load balancer.
    const open = ofType(resources, 'aws_vpc_security_group_ingress_rule').filter(
      (r) => attr(r, 'cidr_ipv4') === '0.0.0.0/0',
    );
    expect(open.map((r) => [attr(r, 'from_port'), attr(r, 'to_port')])).toEqual([[443, 443]]);
    for (const r of ofType(resources, 'aws_ecs_service'))
      expect((attr(r, 'network_configuration') as { assign_public_ip: boolean }).assign_public_ip).toBe(false);
  });

  it(
    deployment.env === 'prod' ? 'is highly available and protected from deletion' : 'is not protected from deletion',
    () => {
      const prod = deployment.env === 'prod';
      const [cluster] = ofType(resources, 'aws_rds_cluster');
      expect(attr(cluster as Resource, 'deletion_protection')).toBe(prod);
      expect(attr(cluster as Resource, 'backup_retention_period')).toBe(prod ? 35 : deployment.env === 'dev' ? 1 : 7);
      const instances = ofType(resources, 'aws_rds_cluster_instance');
      expect(instances).toHaveLength(deployment.env === 'dev' ? 1 : 2);
      const [redis] = ofType(resources, 'aws_elasticache_replication_group');
      expect(attr(redis as Resource, 'multi_az_enabled')).toBe(deployment.env !== 'dev');
      expect(ofType(resources, 'aws_nat_gateway')).toHaveLength({ dev: 1, staging: 2, prod: 3 }[deployment.env]);
      for (const r of ofType(resources, 'aws_lb')) expect(attr(r, 'enable_deletion_protection')).toBe(prod);
      for (const r of ofType(resources, 'aws_s3_bucket')) expect(attr(r, 'force_destroy')).toBe(!prod);
    },
  );

  it(deployment.pattern === 'B' ? 'has no console or CRM resources' : 'has the console and its sign-in', () => {
    const consoleOrCrm = resources.filter((r) => /^aws_(cloudfront|cognito)_/.test(r.type));
    if (deployment.pattern === 'B') expect(consoleOrCrm).toEqual([]);
    else
      expect(consoleOrCrm.map((r) => r.type)).toEqual(
        expect.arrayContaining([
          'aws_cloudfront_distribution',
          'aws_cognito_user_pool',
          'aws_cognito_user_pool_client',
        ]),
      );
  });

  it('holds no secret value in plain text', () => {
    expect(ofType(resources, 'aws_secretsmanager_secret_version')).toEqual([]);
    for (const r of ofType(resources, 'aws_rds_cluster')) {
      expect(attr(r, 'master_password')).toBeUndefined();
      expect(attr(r, 'manage_master_user_password')).toBe(true);
    }
    for (const r of ofType(resources, 'aws_redshiftserverless_namespace')) {
      expect(attr(r, 'admin_user_password')).toBeUndefined();
      expect(attr(r, 'manage_admin_password')).toBe(true);
    }
    // Containers get secrets by reference (valueFrom), never as values.
    for (const r of ofType(resources, 'aws_ecs_task_definition')) {
      const [container] = JSON.parse(attr(r, 'container_definitions') as string) as {
        environment: { name: string }[];
        secrets: { valueFrom: string }[];
      }[];
      const plain = container?.environment.map((e) => e.name) ?? [];
      expect(
        plain.filter((n) => /PASSWORD|SECRET|API_KEY/.test(n) && !n.endsWith('_ARN')), // an ARN is a reference
        r.id,
      ).toEqual([]);
      expect(container?.secrets.length, r.id).toBeGreaterThan(0);
    }
  });

  it('keeps names within AWS limits', () => {
    const limits: [string, string, number, RegExp?][] = [
      ['aws_s3_bucket', 'bucket', 63, /^[a-z0-9][a-z0-9.-]+[a-z0-9]$/],
      ['aws_lb', 'name', 32, /^[A-Za-z0-9-]+$/],
      ['aws_lb_target_group', 'name', 32, /^[A-Za-z0-9-]+$/],
      ['aws_elasticache_replication_group', 'replication_group_id', 40, /^[a-z][a-z0-9-]+$/],
      ['aws_rds_cluster', 'cluster_identifier', 63, /^[a-z][a-z0-9-]+$/],
      ['aws_rds_cluster_instance', 'identifier', 63],
      ['aws_iam_role', 'name', 64],
      ['aws_redshiftserverless_namespace', 'namespace_name', 64, /^[a-z0-9-]+$/],
      ['aws_redshiftserverless_workgroup', 'workgroup_name', 64, /^[a-z0-9-]+$/],
      ['aws_cognito_user_pool_domain', 'domain', 63, /^[a-z0-9-]+$/],
      ['aws_ecs_service', 'name', 255],
      ['aws_kms_alias', 'name', 256],
    ];
    expectNamesWithin(resources, limits);
  });

  it('matches its snapshot: every resource and a digest of its settings', () => {
    expect(inventoryOf(resources)).toMatchSnapshot();
  });
});
