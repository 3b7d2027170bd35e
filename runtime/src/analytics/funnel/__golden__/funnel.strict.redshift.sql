WITH sliced AS (
    SELECT e.person_id, e.event_id, "e"."timestamp" AS ts, JSON_EXTRACT_PATH_TEXT("p"."traits", 'plan', true) AS breakdown, CASE WHEN "e"."type" = 'page' AND (STRPOS(LOWER("e"."page_path"), $1) > 0) THEN 1 ELSE 0 END AS "s1", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $2) AND (JSON_EXTRACT_PATH_TEXT("e"."properties", 'category', true) IN ($3, $4)) THEN 1 ELSE 0 END AS "s2", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $5) AND (JSON_EXTRACT_PATH_TEXT("e"."properties", 'currency', true) = $6) THEN 1 ELSE 0 END AS "s3"
    FROM events AS e LEFT JOIN persons AS p ON p.tenant_id = "e"."tenant_id" AND p.person_id = "e"."person_id"
    WHERE e.tenant_id = $7 AND "e"."timestamp" >= CAST($8 AS TIMESTAMPTZ) AND "e"."timestamp" <= (CAST($9 AS TIMESTAMPTZ) + INTERVAL '604800 seconds')
      AND "e"."person_id" IN (
        SELECT c.person_id FROM persons AS c
        WHERE c.tenant_id = $10 AND c.first_seen >= CAST($11 AS TIMESTAMPTZ)
          AND c.first_seen < CAST($12 AS TIMESTAMPTZ)) AND "e"."person_id" IN ('0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002')),
    attempts AS (
    SELECT r.person_id, r.breakdown, r.start_id, r.t1, CASE WHEN r.reached >= 2 THEN "r"."t2" END AS "t2", CASE WHEN r.reached >= 3 THEN "r"."t3" END AS "t3", r.reached
    FROM (
      SELECT a.*, CASE WHEN "a"."t2" IS NULL OR "a"."t2" > ("a"."t1" + INTERVAL '604800 seconds') THEN 1 WHEN "a"."t3" IS NULL OR "a"."t3" > ("a"."t1" + INTERVAL '604800 seconds') THEN 2 ELSE 3 END AS reached
      FROM (
        SELECT c.person_id, c.breakdown, c.event_id AS start_id, c.ts AS t1, CASE WHEN "c"."m2" = 1 THEN "c"."n2" END AS "t2", CASE WHEN "c"."m3" = 1 THEN "c"."n3" END AS "t3"
        FROM (SELECT * FROM (SELECT x.*, LEAD("x"."s2", 1) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id) AS "m2", LEAD(x.ts, 1) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id) AS "n2", LEAD("x"."s3", 2) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id) AS "m3", LEAD(x.ts, 2) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id) AS "n3" FROM sliced AS x) AS c WHERE c.s1 = 1) AS c
        WHERE c.ts >= CAST($13 AS TIMESTAMPTZ) AND c.ts < CAST($14 AS TIMESTAMPTZ)) AS a) AS r),
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.reached DESC, a.t1, a.start_id) AS pick
      FROM attempts AS a),
    best AS (SELECT * FROM ranked_attempts WHERE pick = 1),
    reached AS (SELECT b.breakdown, 1 AS step, CAST(NULL AS DOUBLE PRECISION) AS seconds FROM best AS b WHERE b.reached >= 1 UNION ALL SELECT b.breakdown, 2 AS step, EXTRACT(EPOCH FROM ("b"."t2" - "b"."t1")) AS seconds FROM best AS b WHERE b.reached >= 2 UNION ALL SELECT b.breakdown, 3 AS step, EXTRACT(EPOCH FROM ("b"."t3" - "b"."t2")) AS seconds FROM best AS b WHERE b.reached >= 3),
    ranked AS (
      SELECT r.breakdown, r.step, r.seconds,
             ROW_NUMBER() OVER (PARTITION BY r.breakdown, r.step ORDER BY r.seconds) AS rn,
             COUNT(*) OVER (PARTITION BY r.breakdown, r.step) AS n
      FROM reached AS r)
    SELECT breakdown, step, COUNT(*) AS persons,
           AVG(CASE WHEN 2 * rn BETWEEN n AND n + 2 THEN seconds END) AS median_seconds
    FROM ranked
    GROUP BY breakdown, step
    ORDER BY breakdown, step
-- parameters: ["/p/","Product Added","shoes","bags","Order Completed","EUR","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-10-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z"]
