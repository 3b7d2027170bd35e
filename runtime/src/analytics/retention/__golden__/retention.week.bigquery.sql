WITH firsts AS (
      SELECT e.person_id, MIN(`e`.`timestamp`) AS first_at
      FROM events AS e
      WHERE e.tenant_id = ? AND (`e`.`type` = 'track' AND `e`.`event` = ?)
      GROUP BY e.person_id),
    cohorts AS (
      SELECT f.person_id, f.first_at, TIMESTAMP_TRUNC(`f`.`first_at`, WEEK(MONDAY), 'UTC') AS cohort
      FROM firsts AS f
      WHERE f.first_at >= TIMESTAMP(?) AND f.first_at < TIMESTAMP(?)),
    activity AS (
      SELECT DISTINCT e.person_id, TIMESTAMP_TRUNC(`e`.`timestamp`, WEEK(MONDAY), 'UTC') AS active
      FROM events AS e
      WHERE e.tenant_id = ? AND (`e`.`type` = 'track' AND `e`.`event` = ?) AND (JSON_VALUE(`e`.`properties`, '$."currency"') = ?)),
    returns AS (
      SELECT r.person_id, r.cohort, r.period
      FROM (
        SELECT c.person_id, c.cohort, DATE_DIFF(DATE(`a`.`active`, 'UTC'), DATE(`c`.`first_at`, 'UTC'), WEEK(MONDAY)) AS period
        FROM cohorts AS c
        JOIN activity AS a ON a.person_id = c.person_id) AS r
      WHERE r.period >= 1 AND r.period < 12)
    SELECT c.cohort, 0 AS period, COUNT(*) AS persons FROM cohorts AS c GROUP BY c.cohort
    UNION ALL
    SELECT r.cohort, r.period, COUNT(*) AS persons FROM returns AS r GROUP BY r.cohort, r.period
    ORDER BY cohort, period
-- parameters: ["acme","Signed Up","2026-09-01T00:00:00.000Z","2026-11-24T00:00:00.000Z","acme","Order Completed","EUR"]
