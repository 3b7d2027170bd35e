import { LivoraError } from '../../errors.ts';
import { formatMoney, parseMoney } from '../money.ts';
import type { ProductDayRow, ProductRow } from './product-query.ts';
import type { ProductPerformanceSpec } from './product-spec.ts';

export interface ProductDay {
  readonly day: string;
  readonly views: number;
  readonly purchases: number;
  readonly revenue: string;
}

export interface ProductPerformance {
  readonly productId: string;
  readonly views: number;
  readonly adds: number;
  readonly purchases: number;
  readonly units: number;
  readonly revenue: string;
  readonly conversion: number;
  /** Every day of the range, zero where nothing happened. */
  readonly series: ProductDay[];
}

export interface ProductPage {
  readonly currency: string;
  readonly rows: ProductPerformance[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** The page's rows with their series; `rows` holds one more than the limit when another page follows. */
export function shapeProductPage(
  spec: ProductPerformanceSpec,
  rows: readonly ProductRow[],
  days: readonly ProductDayRow[],
): ProductPage {
  const page = rows.slice(0, spec.limit);
  const last = page.at(-1);
  const series = new Map<string, Map<string, ProductDay>>();
  for (const d of days) {
    const day = typeof d.day === 'string' ? d.day.slice(0, 10) : d.day.toISOString().slice(0, 10);
    const list = series.get(d.product_id) ?? new Map<string, ProductDay>();
    list.set(day, {
      day,
      views: Number(d.views),
      purchases: Number(d.purchases),
      revenue: formatMoney(d.revenue === null ? 0n : parseMoney(d.revenue)),
    });
    series.set(d.product_id, list);
  }
  const calendar = daysOf(spec.from, spec.to);
  return {
    currency: spec.currency,
    rows: page.map((r) => ({
      productId: r.product_id,
      views: Number(r.views),
      adds: Number(r.adds),
      purchases: Number(r.purchases),
      units: Number(r.units),
      revenue: formatMoney(parseMoney(r.revenue)),
      conversion: Number(r.conversion),
      series: calendar.map(
        (day) => series.get(r.product_id)?.get(day) ?? { day, views: 0, purchases: 0, revenue: '0.0000' },
      ),
    })),
    nextCursor:
      rows.length > spec.limit && last
        ? encodeCursor({ value: Number(last.sort_value), productId: last.product_id })
        : null,
  };
}

export function encodeCursor(position: { value: number; productId: string }): string {
  return Buffer.from(JSON.stringify([position.value, position.productId])).toString('base64url');
}

/** The position a cursor stands for; a cursor that is not one of ours is a clear 400. */
export function decodeCursor(cursor: string): { value: number; productId: string } {
  try {
    const [value, productId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof value === 'number' && Number.isFinite(value) && typeof productId === 'string')
      return { value, productId };
  } catch {
    // reported below
  }
  throw new LivoraError('LIVORA_ANALYTICS_INVALID_CURSOR');
}

/** `YYYY-MM-DD` days from `from` (inclusive) to `to` (exclusive). */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
