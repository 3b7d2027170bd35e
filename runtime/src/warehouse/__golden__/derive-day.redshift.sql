INSERT INTO order_items (tenant_id, event_id, person_id, "timestamp", day, order_id, product_id, name,
                             category, price, quantity, currency)
    SELECT e.tenant_id, e.event_id, e.person_id, "e"."timestamp", e.day, e.order_id,
           COALESCE(JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'product_id', true), JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'sku', true)), JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'name', true), JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'category', true),
           CASE WHEN JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'price', true) ~ '^-?[0-9]{1,16}([.][0-9]+)?$' THEN CAST(JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'price', true) AS DECIMAL(20,4)) END, COALESCE(CASE WHEN JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'quantity', true) ~ '^-?[0-9]{1,9}$' THEN CAST(JSON_EXTRACT_PATH_TEXT(JSON_EXTRACT_ARRAY_ELEMENT_TEXT(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), element_index.i, true), 'quantity', true) AS INTEGER) END, 1), e.currency
    FROM events AS e JOIN "livora_numbers" AS element_index ON element_index.i < JSON_ARRAY_LENGTH(JSON_EXTRACT_PATH_TEXT("e"."properties", 'products', true), true)
    WHERE e.tenant_id = $1 AND e.day = CAST($2 AS DATE) AND e.type = 'track' AND e.event = $3;
-- parameters: ["acme","2026-11-02","Order Completed"]

INSERT INTO product_daily (tenant_id, day, product_id, views, adds, purchases, units)
    SELECT CAST($1 AS VARCHAR), CAST($2 AS DATE), product_id, SUM(views), SUM(adds), SUM(purchases), SUM(units)
    FROM (
      SELECT JSON_EXTRACT_PATH_TEXT("properties", 'product_id', true) AS product_id, CASE WHEN event = $3 THEN 1 ELSE 0 END AS views,
             CASE WHEN event = $4 THEN 1 ELSE 0 END AS adds, 0 AS purchases, 0 AS units
      FROM events WHERE tenant_id = $5 AND day = CAST($6 AS DATE) AND type = 'track' AND event IN ($7, $8)
      UNION ALL
      SELECT product_id, 0, 0, COUNT(DISTINCT event_id), SUM(quantity) FROM order_items WHERE tenant_id = $9 AND day = CAST($10 AS DATE) GROUP BY product_id
    ) AS activity
    WHERE product_id IS NOT NULL
    GROUP BY product_id;
-- parameters: ["acme","2026-11-02","Product Viewed","Product Added","acme","2026-11-02","Product Viewed","Product Added","acme","2026-11-02"]

INSERT INTO product_revenue_daily (tenant_id, day, product_id, currency, revenue)
    SELECT CAST($1 AS VARCHAR), CAST($2 AS DATE), product_id, currency, SUM(price * quantity)
    FROM order_items WHERE tenant_id = $3 AND day = CAST($4 AS DATE) AND product_id IS NOT NULL AND price IS NOT NULL AND currency IS NOT NULL
    GROUP BY product_id, currency;
-- parameters: ["acme","2026-11-02","acme","2026-11-02"]
