WITH totals AS (
      SELECT d.product_id, SUM(d.views) AS views, SUM(d.adds) AS adds, SUM(d.purchases) AS purchases, SUM(d.units) AS units
      FROM product_daily AS d
      WHERE "d"."tenant_id" = $1 AND "d"."day" >= CAST($2 AS DATE) AND "d"."day" < CAST($3 AS DATE) AND (strpos(lower("d"."product_id"), $4) > 0)
      GROUP BY d.product_id),
    revenue AS (
      SELECT v.product_id, SUM(v.revenue) AS revenue
      FROM product_revenue_daily AS v
      WHERE "v"."tenant_id" = $5 AND "v"."day" >= CAST($6 AS DATE) AND "v"."day" < CAST($7 AS DATE) AND v.currency = $8
      GROUP BY v.product_id),
    product_rows AS (
      SELECT t.product_id, t.views, t.adds, t.purchases, t.units, COALESCE(m.revenue, 0) AS revenue,
             CASE WHEN t.views = 0 THEN 0 ELSE CAST(t.purchases AS DOUBLE) / t.views END AS conversion
      FROM totals AS t LEFT JOIN revenue AS m ON m.product_id = t.product_id),
    page AS (SELECT r.*, CAST("r"."revenue" AS DOUBLE) AS sort_value FROM product_rows AS r)
    SELECT p.product_id, p.views, p.adds, p.purchases, p.units, CAST(p.revenue AS VARCHAR) AS revenue, p.conversion, p.sort_value
    FROM page AS p
    WHERE p.sort_value < $9 OR (p.sort_value = $10 AND p.product_id > $11)
    ORDER BY p.sort_value DESC, p.product_id
    LIMIT 51
-- parameters: ["acme","2026-11-01","2026-11-08","shoe","acme","2026-11-01","2026-11-08","EUR",120.5,120.5,"sku-9"]

SELECT d.product_id, d.day, d.views, d.purchases, CAST(v.revenue AS VARCHAR) AS revenue
    FROM product_daily AS d
    LEFT JOIN product_revenue_daily AS v
      ON v.tenant_id = d.tenant_id AND v.day = d.day AND v.product_id = d.product_id AND v.currency = $1
    WHERE d.tenant_id = $2 AND d.day >= CAST($3 AS DATE) AND d.day < CAST($4 AS DATE)
      AND d.product_id IN ($5, $6)
    ORDER BY d.product_id, d.day
-- parameters: ["EUR","acme","2026-11-01","2026-11-08","sku-1","sku-2"]

SELECT v.currency FROM product_revenue_daily AS v
    WHERE v.tenant_id = $1 AND v.day >= CAST($2 AS DATE) AND v.day < CAST($3 AS DATE)
    GROUP BY v.currency
    ORDER BY SUM(v.revenue) DESC, v.currency
    LIMIT 1
-- parameters: ["acme","2026-11-01","2026-11-08"]
