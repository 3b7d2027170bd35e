import { formatMoney, parseMoney } from '../money.ts';
import type { KpiRow } from './kpi-query.ts';

export interface KpiFigures {
  readonly activePersons: number;
  /** Average over the days of the period of each day's active people. */
  readonly dau: number;
  /** Active people in the 7 days before the period's end. */
  readonly wau: number;
  /** Active people in the 30 days before the period's end. */
  readonly mau: number;
  readonly orders: number;
  /** Buyers over active people (0…1). */
  readonly conversionRate: number;
  /** Exact decimal text per currency. */
  readonly revenue: Readonly<Record<string, string>>;
}

export interface Kpis {
  readonly current: KpiFigures;
  /** The period of the same length just before. */
  readonly previous: KpiFigures;
  /** Relative change per figure ((current - previous) / previous), null where previous is 0. */
  readonly change: Readonly<
    Record<'activePersons' | 'dau' | 'wau' | 'mau' | 'orders' | 'conversionRate', number | null>
  >;
}

export function shapeKpiFigures(rows: readonly KpiRow[], days: number): KpiFigures {
  const value = (metric: KpiRow['metric']) => Number(rows.find((r) => r.metric === metric)?.value ?? 0);
  const active = value('active');
  return {
    activePersons: active,
    dau: days > 0 ? value('daily_active_sum') / days : 0,
    wau: value('wau'),
    mau: value('mau'),
    orders: value('orders'),
    conversionRate: active === 0 ? 0 : value('buyers') / active,
    revenue: Object.fromEntries(
      rows
        .filter((r) => r.metric === 'revenue' && r.currency !== null)
        .sort((a, b) => ((a.currency as string) < (b.currency as string) ? -1 : 1))
        .map((r) => [r.currency as string, formatMoney(parseMoney(r.value ?? '0'))]),
    ),
  };
}

export function compareKpis(current: KpiFigures, previous: KpiFigures): Kpis {
  const change = (name: keyof Kpis['change']) =>
    previous[name] === 0 ? null : (current[name] - previous[name]) / previous[name];
  return {
    current,
    previous,
    change: {
      activePersons: change('activePersons'),
      dau: change('dau'),
      wau: change('wau'),
      mau: change('mau'),
      orders: change('orders'),
      conversionRate: change('conversionRate'),
    },
  };
}
