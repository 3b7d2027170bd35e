WITH firsts AS (
      SELECT e.person_id, MIN("e"."timestamp") AS first_at
      FROM events AS e
      WHERE e.tenant_id = $1
      GROUP BY e.person_id),
    people AS (
          SELECT c.person_id, COALESCE(c.channel, 'direct') AS grp
          FROM (
            SELECT e.person_id, e.session_channel AS channel,
                   ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.event_id) AS n
            FROM firsts AS f
            JOIN events AS e ON e.person_id = f.person_id AND "e"."timestamp" = f.first_at
            WHERE e.tenant_id = $2 AND f.first_at >= CAST($3 AS TIMESTAMPTZ) AND f.first_at < CAST($4 AS TIMESTAMPTZ)) AS c
          WHERE c.n = 1),
    spend AS (
      SELECT e.person_id, e.currency, COUNT(*) AS orders, SUM(e.revenue) AS revenue
      FROM events AS e
      WHERE e.tenant_id = $5 AND "e"."type" = 'track' AND "e"."event" = $6
        AND e.revenue IS NOT NULL AND e.currency IS NOT NULL
      GROUP BY e.person_id, e.currency)
    SELECT p.grp, CAST(NULL AS VARCHAR) AS currency, COUNT(*) AS persons, CAST(NULL AS BIGINT) AS orders,
           CAST(NULL AS VARCHAR) AS revenue
    FROM people AS p GROUP BY p.grp
    UNION ALL
    SELECT p.grp, s.currency, COUNT(*) AS persons, SUM(s.orders) AS orders, CAST(SUM(s.revenue) AS VARCHAR) AS revenue
    FROM people AS p JOIN spend AS s ON s.person_id = p.person_id
    GROUP BY p.grp, s.currency
-- parameters: ["acme","acme","2026-01-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","acme","Order Completed"]
