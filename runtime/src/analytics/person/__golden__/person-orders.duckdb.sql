SELECT e.event_id, e.type, COALESCE(e.event, e.name) AS name, e."timestamp" AS at, e.page_path,
           e.order_id, e.revenue, e.currency
    FROM events AS e
    WHERE e.tenant_id = $1 AND e.person_id = $2
      AND e.type = 'track' AND e.event = $3
    ORDER BY e."timestamp" DESC, e.event_id DESC
    LIMIT 20
-- parameters: ["acme","0190a000-0000-7000-8000-000000000001","Order Completed"]
