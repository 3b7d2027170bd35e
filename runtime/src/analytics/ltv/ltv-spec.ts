import type { TimeUnit } from '@livora/adapters/ports';

/**
 * Realised lifetime value: people first seen in [from, to), grouped by the period of
 * their first event (`cohort`) or by the channel of its session (`channel`, `direct` when
 * unknown), with every order they ever placed, per currency.
 */
export interface LtvSpec {
  readonly tenantId: string;
  readonly by: 'cohort' | 'channel';
  /** The cohort period (used when `by` is `cohort`). */
  readonly unit: TimeUnit;
  readonly from: Date;
  readonly to: Date;
}
