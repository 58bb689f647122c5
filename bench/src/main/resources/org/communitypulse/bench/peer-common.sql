-- What the daily and trailing recomputes share, recomputed first from `events` (definitions: docs/metrics.md):
-- every staff interval and every thread's start with its first response.
CREATE TABLE staff_intervals AS
WITH role_changes AS (
    SELECT community_id, actor_id AS member, lower(btrim(role)) AS role, occurred_at AS at,
           type = 'ROLE_GRANTED' AS granted
    FROM events
    WHERE type IN ('ROLE_GRANTED', 'ROLE_REVOKED') AND actor_id IS NOT NULL
      AND lower(btrim(role)) IN (SELECT role FROM staff_roles)
),
ordered_changes AS (
    -- Per role, in time order with a grant before a revoke at the same instant.
    SELECT *, lag(granted) OVER (PARTITION BY community_id, member, role ORDER BY at, granted DESC) AS was_granted
    FROM role_changes
)
-- A grant opens [from_at, to_at) unless one is open; the next revoke of that role closes it.
SELECT o.community_id, o.member, o.at AS from_at,
       coalesce((SELECT min(r.at) FROM role_changes r
                 WHERE r.community_id = o.community_id AND r.member = o.member AND r.role = o.role
                   AND NOT r.granted AND r.at >= o.at), 9223372036854775807) AS to_at
FROM ordered_changes o
WHERE o.granted AND o.was_granted IS NOT TRUE;

CREATE TABLE thread_starts AS
WITH starts AS (
    -- A thread starts at its earliest THREAD_CREATED (ties: lowest actor id) and belongs to that day.
    SELECT DISTINCT ON (community_id, thread_id) community_id, thread_id, actor_id AS author, occurred_at AS created_at
    FROM events
    WHERE type = 'THREAD_CREATED' AND thread_id IS NOT NULL
    ORDER BY community_id, thread_id, occurred_at, actor_id
)
-- The earliest reply by anyone but the author (a reply with no actor, or to an unknown author, counts); null
-- while there is none. A reply before the start counts too (its response time is 0).
SELECT t.community_id, t.thread_id, t.author, t.created_at, (t.created_at / 86400000)::int AS day,
       min(r.occurred_at) AS first_response_at
FROM starts t
LEFT JOIN events r ON r.type = 'REPLY_CREATED' AND r.community_id = t.community_id AND r.thread_id = t.thread_id
                  AND (r.actor_id IS NULL OR t.author IS NULL OR r.actor_id <> t.author)
GROUP BY t.community_id, t.thread_id, t.author, t.created_at;

-- The kinds join these tables: without statistics the planner would guess their sizes.
ANALYZE staff_intervals, thread_starts
