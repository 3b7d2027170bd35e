import { type Deployment, ENVIRONMENTS, PATTERNS } from '@livora/providers';
import { describe, expect, it } from 'vitest';
import { estimate } from '../src/cost.ts';

const deployment = (env: Deployment['env'], pattern: Deployment['pattern']): Deployment => ({
  client: 'acme',
  cloud: 'aws',
  env,
  pattern,
  region: 'eu-west-1',
});

describe('the monthly cost estimate (livora cost)', () => {
  it('prices every resource of every AWS environment and pattern, each line a real amount', () => {
    for (const env of ENVIRONMENTS)
      for (const pattern of PATTERNS) {
        const { lines, total, assumptions } = estimate(deployment(env, pattern));
        for (const line of lines) expect(Number.isFinite(line.monthly) && line.monthly >= 0, line.address).toBe(true);
        expect(total).toBeCloseTo(
          lines.reduce((sum, l) => sum + l.monthly, 0),
          6,
        );
        expect(assumptions).toMatch(/AWS list prices of \d{4}-\d{2}-\d{2}/);
      }
  });

  it('costs more as environments grow, and less without the console and CRM', () => {
    const total = (env: Deployment['env'], pattern: Deployment['pattern']) => estimate(deployment(env, pattern)).total;
    expect(total('dev', 'A')).toBeLessThan(total('staging', 'A'));
    expect(total('staging', 'A')).toBeLessThan(total('prod', 'A'));
    expect(total('prod', 'B')).toBeLessThan(total('prod', 'A'));
  });

  it('prices the databases by their instance class and count', () => {
    const lines = estimate(deployment('prod', 'A')).lines.filter((l) => l.type === 'aws_rds_cluster_instance');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.basis).toBe('db.r7g.xlarge, always on');
    expect(lines[0]?.monthly).toBeCloseTo(0.588 * 730, 2);
  });
});
