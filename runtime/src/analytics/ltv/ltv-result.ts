import { formatMoney, parseMoney, shareOf } from '../money.ts';
import type { LtvRow } from './ltv-query.ts';
import type { LtvSpec } from './ltv-spec.ts';

export interface LtvRevenue {
  readonly currency: string;
  /** People of the group who paid in this currency. */
  readonly payingPersons: number;
  readonly orders: number;
  /** Exact decimal text, 4 places. */
  readonly revenue: string;
  /** Revenue per person of the group (paying or not), rounded to 4 places. */
  readonly ltv: string;
}

export interface LtvGroup {
  /** The cohort's first day (`YYYY-MM-DD`) or the acquisition channel. */
  readonly group: string;
  readonly persons: number;
  readonly revenue: LtvRevenue[];
}

/** The warehouse's rows as groups (cohorts in time order, channels by size), currencies by name. */
export function shapeLtv(spec: LtvSpec, rows: readonly LtvRow[]): LtvGroup[] {
  const groups = new Map<string, { persons: number; paid: LtvRow[] }>();
  const keyOf = (row: LtvRow) =>
    spec.by === 'cohort' ? new Date(row.grp).toISOString().slice(0, 10) : String(row.grp);
  for (const row of rows) {
    const group = groups.get(keyOf(row)) ?? { persons: 0, paid: [] };
    if (row.currency === null) group.persons = Number(row.persons);
    else group.paid.push(row);
    groups.set(keyOf(row), group);
  }
  const shaped = [...groups].map(([group, { persons, paid }]) => ({
    group,
    persons,
    revenue: paid
      .map((row) => {
        const revenue = parseMoney(String(row.revenue));
        return {
          currency: row.currency as string,
          payingPersons: Number(row.persons),
          orders: Number(row.orders),
          revenue: formatMoney(revenue),
          ltv: formatMoney(shareOf(revenue, persons)),
        };
      })
      .sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  }));
  return shaped.sort((a, b) =>
    spec.by === 'cohort' ? (a.group < b.group ? -1 : 1) : b.persons - a.persons || (a.group < b.group ? -1 : 1),
  );
}
