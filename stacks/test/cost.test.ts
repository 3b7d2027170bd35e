import { CLOUDS, type Cloud, type Deployment, ENVIRONMENTS, PATTERNS } from '@livora/providers';
import { describe, expect, it } from 'vitest';
import { estimate } from '../src/cost/estimate.ts';

const deployment = (cloud: Cloud, env: Deployment['env'], pattern: Deployment['pattern']): Deployment => ({
  client: 'acme',
  cloud,
  env,
  pattern,
  region: 'eu-west-1',
});

describe.each(CLOUDS)('the monthly cost estimate (npm run cost) on %s', (cloud) => {
  it('prices every resource of every environment and pattern, each line a real amount, from a dated table', () => {
    for (const env of ENVIRONMENTS)
      for (const pattern of PATTERNS) {
        const { lines, total, assumptions } = estimate(deployment(cloud, env, pattern));
        for (const line of lines) expect(Number.isFinite(line.monthly) && line.monthly >= 0, line.address).toBe(true);
        expect(total).toBeCloseTo(
          lines.reduce((sum, l) => sum + l.monthly, 0),
          6,
        );
        expect(assumptions).toMatch(/list prices of \d{4}-\d{2}-\d{2}/);
      }
  });

  it('costs more as environments grow, and less without the console and CRM', () => {
    const total = (env: Deployment['env'], pattern: Deployment['pattern']) =>
      estimate(deployment(cloud, env, pattern)).total;
    expect(total('dev', 'A')).toBeLessThan(total('staging', 'A'));
    expect(total('staging', 'A')).toBeLessThan(total('prod', 'A'));
    expect(total('prod', 'B')).toBeLessThan(total('prod', 'A'));
  });
});

describe('the cost of a database', () => {
  it('follows its instance class and count (AWS) and doubles for a regional Cloud SQL (GCP)', () => {
    const aws = estimate(deployment('aws', 'prod', 'A')).lines.filter((l) => l.type === 'aws_rds_cluster_instance');
    expect(aws).toHaveLength(2);
    expect(aws[0]?.basis).toBe('db.r7g.xlarge, always on');
    expect(aws[0]?.monthly).toBeCloseTo(0.588 * 730, 2);
    const sql = (env: Deployment['env']) =>
      estimate(deployment('gcp', env, 'A')).lines.find((l) => l.basis.startsWith('db-custom'));
    expect(sql('staging')?.basis).toMatch(/regional \(HA\)/);
    expect(sql('dev')?.basis).not.toMatch(/regional/);
  });
});
