WITH numbered AS (
    SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.person_id ORDER BY s.ts, s.event_id) AS seq
    FROM (
    SELECT e.person_id, e.event_id, "e"."timestamp" AS ts, JSON_EXTRACT_PATH_TEXT("p"."traits", 'plan', true) AS breakdown, CASE WHEN ("e"."type" = 'track' AND "e"."event" = $1) THEN 1 ELSE 0 END AS "s1", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $2) AND (JSON_EXTRACT_PATH_TEXT("e"."properties", 'category', true) IN ($3, $4)) THEN 1 ELSE 0 END AS "s2", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $5) THEN 1 ELSE 0 END AS "s3"
    FROM events AS e LEFT JOIN persons AS p ON p.tenant_id = "e"."tenant_id" AND p.person_id = "e"."person_id"
    WHERE e.tenant_id = $6 AND "e"."timestamp" >= CAST($7 AS TIMESTAMPTZ) AND "e"."timestamp" <= (CAST($8 AS TIMESTAMPTZ) + INTERVAL '604800 seconds')
      AND "e"."person_id" IN (
        SELECT c.person_id FROM persons AS c
        WHERE c.tenant_id = $9 AND c.first_seen >= CAST($10 AS TIMESTAMPTZ)
          AND c.first_seen < CAST($11 AS TIMESTAMPTZ))) AS s
    WHERE "s"."s1" = 1 OR "s"."s2" = 1 OR "s"."s3" = 1),
    attempts AS (SELECT c.*, CASE WHEN "c"."q2" IS NULL THEN 1 WHEN "c"."q3" IS NULL THEN 2 ELSE 3 END AS reached FROM (
      SELECT "a"."person_id", "a"."breakdown", "a"."q1", "a"."t1", "a"."q2", "a"."t2", MIN(b.seq) AS "q3", MIN(b.ts) AS "t3"
      FROM (
      SELECT "a"."person_id", "a"."breakdown", "a"."q1", "a"."t1", MIN(b.seq) AS "q2", MIN(b.ts) AS "t2"
      FROM (
    SELECT m.person_id, m.breakdown, m.seq AS q1, m.ts AS t1
    FROM numbered AS m WHERE m.s1 = 1 AND m.ts >= CAST($12 AS TIMESTAMPTZ) AND m.ts < CAST($13 AS TIMESTAMPTZ)) AS a
      LEFT JOIN numbered AS b
        ON b.person_id = a.person_id AND "b"."s2" = 1 AND b.seq > "a"."q1"
           AND b.ts <= ("a"."t1" + INTERVAL '604800 seconds')
      GROUP BY "a"."person_id", "a"."breakdown", "a"."q1", "a"."t1") AS a
      LEFT JOIN numbered AS b
        ON b.person_id = a.person_id AND "b"."s3" = 1 AND b.seq > "a"."q2"
           AND b.ts <= ("a"."t1" + INTERVAL '604800 seconds')
      GROUP BY "a"."person_id", "a"."breakdown", "a"."q1", "a"."t1", "a"."q2", "a"."t2") AS c),
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id, (DATE_TRUNC('day', "a"."t1" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') ORDER BY a.reached DESC, a.t1, a.q1) AS pick
      FROM attempts AS a)
    SELECT (DATE_TRUNC('day', "a"."t1" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS entered_on, a.person_id, a.breakdown, a.reached, "a"."t1", "a"."t2", "a"."t3"
    FROM ranked_attempts AS a WHERE a.pick = 1
-- parameters: ["Product Viewed","Product Added","shoes","bags","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-10-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z"]
