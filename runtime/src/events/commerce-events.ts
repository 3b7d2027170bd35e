/** Segment's e-commerce spec names that Livora derives figures from (profiles, the warehouse, analytics). */
export const PRODUCT_VIEWED = 'Product Viewed';
export const PRODUCT_ADDED = 'Product Added';
export const ORDER_COMPLETED = 'Order Completed';
