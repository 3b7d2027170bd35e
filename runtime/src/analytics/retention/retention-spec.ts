import type { TimeUnit } from '@livora/adapters/ports';
import type { EventMatch } from '../event-match.ts';

export const MAX_RETENTION_PERIODS = 53;

/**
 * A retention matrix: people join the cohort of the period (UTC day, Monday week or
 * month) in which they first did `start` (over all their history), for first times in
 * [from, to); period k counts those who did `return` k periods later. Period 0 is the
 * cohort itself.
 */
export interface RetentionSpec {
  readonly tenantId: string;
  readonly start: EventMatch;
  readonly return: EventMatch;
  readonly unit: TimeUnit;
  readonly from: Date;
  readonly to: Date;
  /** Columns of the matrix, period 0 included (2…53). */
  readonly periods: number;
}
