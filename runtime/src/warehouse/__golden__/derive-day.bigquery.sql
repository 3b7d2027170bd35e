INSERT INTO order_items (tenant_id, event_id, person_id, `timestamp`, day, order_id, product_id, name,
                             category, price, quantity, currency)
    SELECT e.tenant_id, e.event_id, e.person_id, `e`.`timestamp`, e.day, e.order_id,
           COALESCE(JSON_VALUE(element, '$."product_id"'), JSON_VALUE(element, '$."sku"')), JSON_VALUE(element, '$."name"'), JSON_VALUE(element, '$."category"'),
           SAFE_CAST(JSON_VALUE(element, '$."price"') AS NUMERIC), COALESCE(SAFE_CAST(JSON_VALUE(element, '$."quantity"') AS INT64), 1), e.currency
    FROM events AS e CROSS JOIN UNNEST(JSON_QUERY_ARRAY(`e`.`properties`, '$."products"')) AS element
    WHERE e.tenant_id = ? AND e.day = CAST(? AS DATE) AND e.type = 'track' AND e.event = ?;
-- parameters: ["acme","2026-11-02","Order Completed"]

INSERT INTO product_daily (tenant_id, day, product_id, views, adds, purchases, units)
    SELECT CAST(? AS STRING), CAST(? AS DATE), product_id, SUM(views), SUM(adds), SUM(purchases), SUM(units)
    FROM (
      SELECT JSON_VALUE(`properties`, '$."product_id"') AS product_id, CASE WHEN event = ? THEN 1 ELSE 0 END AS views,
             CASE WHEN event = ? THEN 1 ELSE 0 END AS adds, 0 AS purchases, 0 AS units
      FROM events WHERE tenant_id = ? AND day = CAST(? AS DATE) AND type = 'track' AND event IN (?, ?)
      UNION ALL
      SELECT product_id, 0, 0, COUNT(DISTINCT event_id), SUM(quantity) FROM order_items WHERE tenant_id = ? AND day = CAST(? AS DATE) GROUP BY product_id
    ) AS activity
    WHERE product_id IS NOT NULL
    GROUP BY product_id;
-- parameters: ["acme","2026-11-02","Product Viewed","Product Added","acme","2026-11-02","Product Viewed","Product Added","acme","2026-11-02"]

INSERT INTO product_revenue_daily (tenant_id, day, product_id, currency, revenue)
    SELECT CAST(? AS STRING), CAST(? AS DATE), product_id, currency, SUM(price * quantity)
    FROM order_items WHERE tenant_id = ? AND day = CAST(? AS DATE) AND product_id IS NOT NULL AND price IS NOT NULL AND currency IS NOT NULL
    GROUP BY product_id, currency;
-- parameters: ["acme","2026-11-02","acme","2026-11-02"]
