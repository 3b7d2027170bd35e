WITH sliced AS (SELECT s.* FROM (
    SELECT e.person_id, e.event_id, `e`.`timestamp` AS ts, `e`.`utm_source` AS breakdown, CASE WHEN `e`.`type` = 'page' AND (STRPOS(LOWER(`e`.`page_path`), ?) > 0) THEN 1 ELSE 0 END AS `s1`, CASE WHEN (`e`.`type` = 'track' AND `e`.`event` = ?) AND (JSON_VALUE(`e`.`properties`, '$."category"') IN (?, ?)) THEN 1 ELSE 0 END AS `s2`, CASE WHEN (`e`.`type` = 'track' AND `e`.`event` = ?) AND (JSON_VALUE(`e`.`properties`, '$."currency"') = ?) THEN 1 ELSE 0 END AS `s3`
    FROM events AS e 
    WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP(?) AND `e`.`timestamp` <= TIMESTAMP_ADD(TIMESTAMP(?), INTERVAL 604800 SECOND)
      ) AS s WHERE `s`.`s1` = 1 OR `s`.`s2` = 1 OR `s`.`s3` = 1),
    attempts AS (
    SELECT r.person_id, r.breakdown, r.start_id, r.t1, CASE WHEN r.reached >= 2 THEN `r`.`t2` END AS `t2`, CASE WHEN r.reached >= 3 THEN `r`.`t3` END AS `t3`, r.reached
    FROM (
      SELECT a.*, CASE WHEN `a`.`t2` IS NULL OR `a`.`t2` > TIMESTAMP_ADD(`a`.`t1`, INTERVAL 604800 SECOND) THEN 1 WHEN `a`.`t3` IS NULL OR `a`.`t3` > TIMESTAMP_ADD(`a`.`t1`, INTERVAL 604800 SECOND) THEN 2 ELSE 3 END AS reached
      FROM (
        SELECT c.person_id, c.breakdown, c.event_id AS start_id, c.ts AS t1, `c`.`c2` AS `t2`, `c`.`c3` AS `t3`
        FROM (SELECT * FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, `x`.`s1`, `x`.`s2`, `x`.`s3`, MIN(CASE WHEN `x`.`s2` = 1 THEN `x`.`ts` END) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `c2`, MIN(CASE WHEN `x`.`s2` = 1 THEN `x`.`c3` END) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `c3` FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, `x`.`s1`, `x`.`s2`, `x`.`s3`, `x`.`c3` FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, `x`.`s1`, `x`.`s2`, `x`.`s3`, MIN(CASE WHEN `x`.`s3` = 1 THEN `x`.`ts` END) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS `c3` FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, `x`.`s1`, `x`.`s2`, `x`.`s3` FROM sliced AS x WHERE `x`.`s2` = 1 OR `x`.`s3` = 1) AS x) AS x WHERE `x`.`s2` = 1
          UNION ALL
          SELECT x.person_id, x.event_id, x.ts, x.breakdown, `x`.`s1`, `x`.`s2`, `x`.`s3`, CASE WHEN 1 = 0 THEN x.ts END AS `c3`
          FROM sliced AS x WHERE `x`.`s1` = 1 AND `x`.`s2` = 0) AS x) AS c WHERE c.s1 = 1) AS c
        WHERE c.ts >= TIMESTAMP(?) AND c.ts < TIMESTAMP(?)) AS a) AS r),
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.reached DESC, a.t1, a.start_id) AS pick
      FROM attempts AS a),
    best AS (SELECT * FROM ranked_attempts WHERE pick = 1),
    reached AS (SELECT b.breakdown, 1 AS step, CAST(NULL AS FLOAT64) AS seconds FROM best AS b WHERE b.reached >= 1 UNION ALL SELECT b.breakdown, 2 AS step, (TIMESTAMP_DIFF(`b`.`t2`, `b`.`t1`, MICROSECOND) / 1000000) AS seconds FROM best AS b WHERE b.reached >= 2 UNION ALL SELECT b.breakdown, 3 AS step, (TIMESTAMP_DIFF(`b`.`t3`, `b`.`t2`, MICROSECOND) / 1000000) AS seconds FROM best AS b WHERE b.reached >= 3),
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
-- parameters: ["/p/","Product Added","shoes","bags","Order Completed","EUR","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z"]
