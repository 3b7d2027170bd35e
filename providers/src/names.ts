import { createHash } from 'node:crypto';
import type { Deployment } from './deployment.ts';

/**
 * A resource name from the deployment and a purpose (`livora-acme-prod-lake`), within a
 * cloud's limit for that kind of resource: a name too long keeps its start and ends with
 * a hash of the whole, so it stays unique and stable. `separator` is `''` for the names
 * that take only letters and digits (Azure storage accounts).
 */
export function resourceName(
  deployment: Pick<Deployment, 'client' | 'env'>,
  purpose: string,
  options: { max: number; separator?: string } = { max: 63 },
): string {
  const separator = options.separator ?? '-';
  const whole = ['livora', deployment.client, deployment.env, purpose].join(separator);
  const name = separator === '' ? whole.replaceAll('-', '') : whole;
  if (name.length <= options.max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  return `${name.slice(0, options.max - hash.length - separator.length)}${separator}${hash}`;
}
