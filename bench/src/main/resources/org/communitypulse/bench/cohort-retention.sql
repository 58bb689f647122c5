-- pulse.engagement.retention recomputed from scratch over every event in `events`, as a batch job would
-- (definitions: docs/metrics.md, CohortRetention.avsc). One row per community and ISO week in which at least
-- one member made their first contribution; the column names are the CohortRetention field names.
CREATE TABLE cohort_retention AS
WITH active_days AS (
    SELECT DISTINCT community_id, actor_id AS member, (occurred_at / 86400000)::int AS day
    FROM events
    WHERE type IN ('THREAD_CREATED', 'REPLY_CREATED') AND actor_id IS NOT NULL
),
cohorts AS (
    -- Epoch day 0 was a Thursday, so day - (day + 3) % 7 is the Monday of the day's ISO week.
    SELECT community_id, member, min(day) - (min(day) + 3) % 7 AS monday
    FROM active_days
    GROUP BY community_id, member
),
retained AS (
    -- Members with a contribution in the four weeks after their cohort week: [monday + 7, monday + 35).
    SELECT DISTINCT c.community_id, c.member
    FROM cohorts c
    JOIN active_days a ON a.community_id = c.community_id AND a.member = c.member
                      AND a.day >= c.monday + 7 AND a.day < c.monday + 35
)
SELECT c.community_id AS "communityId",
       c.monday AS "cohortWeek",
       count(*) AS "cohortSize",
       count(r.member) AS "retained",
       count(r.member)::float8 / count(*) AS "retainedShare",
       max(l.latest) >= c.monday + 34 AS "complete"
FROM cohorts c
LEFT JOIN retained r ON r.community_id = c.community_id AND r.member = c.member
JOIN (SELECT community_id, (max(occurred_at) / 86400000)::int AS latest FROM events GROUP BY community_id) l
  ON l.community_id = c.community_id
GROUP BY c.community_id, c.monday
