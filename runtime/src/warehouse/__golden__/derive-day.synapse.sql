INSERT INTO order_items (tenant_id, event_id, person_id, "timestamp", day, order_id, product_id, name,
                             category, price, quantity, currency)
    SELECT e.tenant_id, e.event_id, e.person_id, "e"."timestamp", e.day, e.order_id,
           COALESCE(JSON_VALUE("element"."value", '$."product_id"'), JSON_VALUE("element"."value", '$."sku"')), JSON_VALUE("element"."value", '$."name"'), JSON_VALUE("element"."value", '$."category"'),
           TRY_CAST(JSON_VALUE("element"."value", '$."price"') AS DECIMAL(20,4)), COALESCE(TRY_CAST(JSON_VALUE("element"."value", '$."quantity"') AS INT), 1), e.currency
    FROM events AS e CROSS APPLY OPENJSON(CASE WHEN LEFT(JSON_QUERY("e"."properties", '$."products"'), 1) = '[' THEN JSON_QUERY("e"."properties", '$."products"') END) AS element
    WHERE e.tenant_id = @1 AND e.day = CAST(@2 AS DATE) AND e.type = 'track' AND e.event = @3;
-- parameters: ["acme","2026-11-02","Order Completed"]

INSERT INTO product_daily (tenant_id, day, product_id, views, adds, purchases, units)
    SELECT CAST(@1 AS NVARCHAR(4000)), CAST(@2 AS DATE), product_id, SUM(views), SUM(adds), SUM(purchases), SUM(units)
    FROM (
      SELECT JSON_VALUE("properties", '$."product_id"') AS product_id, CASE WHEN event = @3 THEN 1 ELSE 0 END AS views,
             CASE WHEN event = @4 THEN 1 ELSE 0 END AS adds, 0 AS purchases, 0 AS units
      FROM events WHERE tenant_id = @5 AND day = CAST(@6 AS DATE) AND type = 'track' AND event IN (@7, @8)
      UNION ALL
      SELECT product_id, 0, 0, COUNT(DISTINCT event_id), SUM(quantity) FROM order_items WHERE tenant_id = @9 AND day = CAST(@10 AS DATE) GROUP BY product_id
    ) AS activity
    WHERE product_id IS NOT NULL
    GROUP BY product_id;
-- parameters: ["acme","2026-11-02","Product Viewed","Product Added","acme","2026-11-02","Product Viewed","Product Added","acme","2026-11-02"]

INSERT INTO product_revenue_daily (tenant_id, day, product_id, currency, revenue)
    SELECT CAST(@1 AS NVARCHAR(4000)), CAST(@2 AS DATE), product_id, currency, SUM(price * quantity)
    FROM order_items WHERE tenant_id = @3 AND day = CAST(@4 AS DATE) AND product_id IS NOT NULL AND price IS NOT NULL AND currency IS NOT NULL
    GROUP BY product_id, currency;
-- parameters: ["acme","2026-11-02","acme","2026-11-02"]
