export const PRODUCT_SORTS = ['views', 'adds', 'purchases', 'units', 'revenue', 'conversion'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/**
 * The product table: per product, over days [from, to) (UTC), views (`Product Viewed`),
 * adds (`Product Added`), purchases (orders holding it), units, revenue in one currency,
 * and conversion (purchases per view). Sorted, filtered by product id, a page at a time.
 */
export interface ProductPerformanceSpec {
  readonly tenantId: string;
  /** `YYYY-MM-DD`, inclusive. */
  readonly from: string;
  /** `YYYY-MM-DD`, exclusive. */
  readonly to: string;
  readonly currency: string;
  readonly sort: ProductSort;
  readonly direction: 'asc' | 'desc';
  /** Only product ids holding this text (ignoring case). */
  readonly search?: string;
  readonly limit: number;
  /** Rows after this one in the sort order (from the previous page's cursor). */
  readonly after?: { readonly value: number; readonly productId: string };
}
