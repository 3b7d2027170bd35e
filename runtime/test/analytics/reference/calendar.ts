import type { TimeUnit } from '@livora/adapters/ports';

export const DAY = 86_400_000;

/** The UTC start of the day, Monday week or month of `at` (ms). */
export function periodStart(unit: TimeUnit, at: number): number {
  const d = new Date(at);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (unit === 'day') return day;
  if (unit === 'week') return day - ((d.getUTCDay() + 6) % 7) * DAY;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
