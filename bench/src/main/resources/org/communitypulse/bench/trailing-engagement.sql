-- pulse.engagement.trailing recomputed from scratch over every event in `events`, as a batch job would
-- (definitions: docs/metrics.md, TrailingEngagement.avsc). One row per community and every calendar day from
-- its first active day to its latest day, for the windows D-6..D and D-27..D; the column names are the
-- TrailingEngagement field names. `staff_intervals` and `thread_starts` come from peer-common.sql.
CREATE TABLE trailing_engagement AS
WITH contributions AS (
    -- Per member and day: contributions (threads and replies with an actor), of which replies.
    SELECT community_id, actor_id AS member, (occurred_at / 86400000)::int AS day, count(*) AS n,
           count(*) FILTER (WHERE type = 'REPLY_CREATED') AS replies
    FROM events
    WHERE type IN ('THREAD_CREATED', 'REPLY_CREATED') AND actor_id IS NOT NULL
    GROUP BY community_id, actor_id, day
),
active AS (
    -- Each member's active days with the next one.
    SELECT community_id, member, day, lead(day) OVER (PARTITION BY community_id, member ORDER BY day) AS next_day
    FROM contributions
),
days AS (
    -- The dense series: quiet days get a row too.
    SELECT f.community_id, generate_series(f.first_active, l.latest) AS day
    FROM (SELECT community_id, min(day) AS first_active FROM contributions GROUP BY community_id) f
    JOIN (SELECT community_id, (max(occurred_at) / 86400000)::int AS latest FROM events GROUP BY community_id) l
      ON l.community_id = f.community_id
),
staff_replies AS (
    -- Replies by members holding a staff role at any moment of that day.
    SELECT c.community_id, c.day, sum(c.replies) AS replies
    FROM contributions c
    WHERE c.replies > 0
      AND EXISTS (SELECT 1 FROM staff_intervals s
                  WHERE s.community_id = c.community_id AND s.member = c.member
                    AND s.from_at < (c.day + 1) * 86400000::bigint AND s.to_at > c.day * 86400000::bigint)
    GROUP BY c.community_id, c.day
),
day_facts AS (
    -- Per day with a thread or a reply (days before the first active day too: threads with no actor count).
    SELECT t.community_id, t.day, t.threads, t.replies, t.replies - coalesce(s.replies, 0) AS peer_replies,
           coalesce(a.dau, 0) AS dau
    FROM (SELECT community_id, (occurred_at / 86400000)::int AS day,
                 count(*) FILTER (WHERE type = 'THREAD_CREATED') AS threads,
                 count(*) FILTER (WHERE type = 'REPLY_CREATED') AS replies
          FROM events
          WHERE type IN ('THREAD_CREATED', 'REPLY_CREATED')
          GROUP BY community_id, day) t
    LEFT JOIN staff_replies s ON s.community_id = t.community_id AND s.day = t.day
    LEFT JOIN (SELECT community_id, day, count(*) AS dau FROM contributions GROUP BY community_id, day) a
           ON a.community_id = t.community_id AND a.day = t.day
),
windows AS (
    -- Each day counts in the windows ending on it and on the 27 days after it: joining on equal days (rather
    -- than a range condition) lets every join below be a hash join.
    SELECT generate_series(0, 27) AS age
),
sums AS (
    SELECT f.community_id, f.day + w.age AS day,
           sum(f.dau) FILTER (WHERE w.age = 0) AS dau,
           sum(f.threads) FILTER (WHERE w.age < 7) AS threads7d,
           sum(f.replies) FILTER (WHERE w.age < 7) AS replies7d,
           sum(f.threads) AS threads28d,
           sum(f.replies) AS replies28d,
           sum(f.peer_replies) AS peer_replies28d,
           sum(f.dau) AS dau28d
    FROM day_facts f CROSS JOIN windows w
    GROUP BY f.community_id, f.day + w.age
),
member_counts AS (
    -- A member's 28-day contribution count changes only on their active days and 28 days after each: their
    -- count from each such day on, and the count it replaces.
    SELECT community_id, member, day, n,
           lag(n, 1, 0::bigint) OVER (PARTITION BY community_id, member ORDER BY day) AS previous
    FROM (SELECT community_id, member, day,
                 (sum(sum(delta)) OVER (PARTITION BY community_id, member ORDER BY day))::bigint AS n
          FROM (SELECT community_id, member, day, n AS delta FROM contributions
                UNION ALL
                SELECT community_id, member, day + 28, -n FROM contributions) deltas
          GROUP BY community_id, member, day) counts
),
bars AS (
    -- The windows' count-of-counts histograms: per count, how many members have it from each change on,
    -- until the next change of that count (a bar ends at 0 members once its last member's days are past).
    SELECT community_id, n, day, members, lead(day) OVER (PARTITION BY community_id, n ORDER BY day) AS until
    FROM (SELECT community_id, n, day,
                 (sum(sum(moved)) OVER (PARTITION BY community_id, n ORDER BY day))::bigint AS members
          FROM (SELECT community_id, n, day, 1 AS moved FROM member_counts WHERE n > 0
                UNION ALL
                SELECT community_id, previous, day, -1 FROM member_counts WHERE previous > 0) moves
          GROUP BY community_id, n, day) changes
),
histogram AS (
    SELECT community_id, generate_series(day, until - 1) AS day, n, members
    FROM bars
    WHERE members > 0
),
weekly AS (
    -- A member counts in the 7 days ending D from each active day until 7 days later or their next active day.
    SELECT d.community_id, d.day, sum(coalesce(w.delta, 0)) OVER (PARTITION BY d.community_id ORDER BY d.day) AS wau
    FROM days d
    LEFT JOIN (SELECT community_id, day, sum(delta) AS delta
               FROM (SELECT community_id, day, 1 AS delta FROM active
                     UNION ALL
                     SELECT community_id, least(day + 7, next_day), -1 FROM active) moves
               GROUP BY community_id, day) w ON w.community_id = d.community_id AND w.day = d.day
),
ranked AS (
    -- Per count, largest first: the members with a larger count, and the window's MAU.
    SELECT *, coalesce(sum(members) OVER (PARTITION BY community_id, day ORDER BY n DESC
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS above,
           (sum(members) OVER (PARTITION BY community_id, day))::bigint AS mau
    FROM histogram
),
tops AS (
    -- The top k = ceil(p% of MAU) (in integers, as the daily quantiles) take each count for as many of its
    -- members as k leaves room for; which of some tied members are taken does not change the sum.
    SELECT community_id, day, max(mau) AS mau, sum(n * members)::bigint AS contributions,
           sum(n * greatest(0, least(members, (mau + 99) / 100 - above)))::bigint AS top1,
           sum(n * greatest(0, least(members, (10 * mau + 99) / 100 - above)))::bigint AS top10
    FROM ranked
    GROUP BY community_id, day
),
backlog AS (
    -- Threads started in the 28 days without a response before the end of the day.
    SELECT t.community_id, t.day + w.age AS day, count(*) AS open
    FROM thread_starts t CROSS JOIN windows w
    WHERE t.first_response_at IS NULL OR t.first_response_at >= (t.day + w.age + 1) * 86400000::bigint
    GROUP BY t.community_id, t.day + w.age
)
-- Days past the latest one in the sums, tops and backlog have no row in `days` and are left out here.
SELECT d.community_id AS "communityId",
       d.day AS "day",
       coalesce(s.dau, 0)::bigint AS "dau",
       coalesce(k.wau, 0)::bigint AS "wau",
       coalesce(t.mau, 0) AS "mau",
       CASE WHEN t.mau IS NULL THEN NULL ELSE s.dau28d::float8 / 28 / t.mau END AS "stickiness",
       coalesce(s.threads7d, 0)::bigint AS "threads7d",
       coalesce(s.replies7d, 0)::bigint AS "replies7d",
       coalesce(s.threads28d, 0)::bigint AS "threads28d",
       coalesce(s.replies28d, 0)::bigint AS "replies28d",
       coalesce(t.contributions, 0) AS "contributions28d",
       CASE WHEN t.mau IS NULL THEN NULL ELSE t.top1::float8 / t.contributions END AS "top1PercentShare",
       CASE WHEN t.mau IS NULL THEN NULL ELSE t.top10::float8 / t.contributions END AS "top10PercentShare",
       CASE WHEN coalesce(s.replies28d, 0) = 0 THEN NULL
            ELSE s.peer_replies28d::float8 / s.replies28d END AS "peerReplyShare28d",
       coalesce(b.open, 0) AS "openThreads"
FROM days d
LEFT JOIN sums s ON s.community_id = d.community_id AND s.day = d.day
LEFT JOIN tops t ON t.community_id = d.community_id AND t.day = d.day
LEFT JOIN weekly k ON k.community_id = d.community_id AND k.day = d.day
LEFT JOIN backlog b ON b.community_id = d.community_id AND b.day = d.day
