-- pulse.engagement.daily recomputed from scratch over every event in `events`, as a batch job would
-- (definitions: docs/metrics.md). One row per community and UTC day with at least one event; the
-- column names are the DailyEngagement field names, so the bench compares them field by field.
-- `events` holds each eventId once (its primary key): the batch side of the pipeline's dedup.
-- `staff_roles` holds the lower-case staff.roles.
CREATE TABLE daily AS
WITH ev AS (
    -- occurredAt is after 2000-01-01 (the pipeline rejects earlier events), so integer division is the UTC day.
    SELECT community_id, type, actor_id, thread_id, occurred_at AS at, (occurred_at / 86400000)::int AS day,
           kind, lower(btrim(role)) AS role, answer_author
    FROM events
),
role_changes AS (
    SELECT community_id, actor_id AS member, role, at, type = 'ROLE_GRANTED' AS granted
    FROM ev
    WHERE type IN ('ROLE_GRANTED', 'ROLE_REVOKED') AND actor_id IS NOT NULL
      AND role IN (SELECT role FROM staff_roles)
),
ordered_changes AS (
    -- Per role, in time order with a grant before a revoke at the same instant.
    SELECT *, lag(granted) OVER (PARTITION BY community_id, member, role ORDER BY at, granted DESC) AS was_granted
    FROM role_changes
),
staff_intervals AS (
    -- A grant opens [from_at, to_at) unless one is open; the next revoke of that role closes it.
    SELECT o.community_id, o.member, o.at AS from_at,
           coalesce((SELECT min(r.at) FROM role_changes r
                     WHERE r.community_id = o.community_id AND r.member = o.member AND r.role = o.role
                       AND NOT r.granted AND r.at >= o.at), 9223372036854775807) AS to_at
    FROM ordered_changes o
    WHERE o.granted AND o.was_granted IS NOT TRUE
),
counts AS (
    SELECT community_id, day,
           count(*) AS events,
           count(*) FILTER (WHERE type = 'THREAD_CREATED') AS threads,
           count(*) FILTER (WHERE type = 'REPLY_CREATED') AS replies,
           count(*) FILTER (WHERE type = 'REPLY_CREATED' AND kind = 'answer') AS answers,
           count(*) FILTER (WHERE type = 'REPLY_CREATED' AND kind = 'comment') AS comments,
           count(*) FILTER (WHERE type = 'REACTION_ADDED') AS reactions,
           count(*) FILTER (WHERE type = 'ANSWER_ACCEPTED') AS accepted,
           count(*) FILTER (WHERE type = 'MEMBER_JOINED') AS joined,
           count(DISTINCT actor_id) FILTER (WHERE type IN ('THREAD_CREATED', 'REPLY_CREATED')) AS active
    FROM ev
    GROUP BY community_id, day
),
staff_counts AS (
    -- Replies by, and accepted answers of, members holding a staff role at any moment of that day.
    SELECT e.community_id, e.day,
           count(*) FILTER (WHERE e.type = 'REPLY_CREATED') AS staff_replies,
           count(*) FILTER (WHERE e.type = 'ANSWER_ACCEPTED') AS staff_accepted
    FROM ev e
    WHERE e.type IN ('REPLY_CREATED', 'ANSWER_ACCEPTED')
      AND EXISTS (SELECT 1 FROM staff_intervals s
                  WHERE s.community_id = e.community_id
                    AND s.member = CASE e.type WHEN 'REPLY_CREATED' THEN e.actor_id ELSE e.answer_author END
                    AND s.from_at < (e.day + 1) * 86400000::bigint AND s.to_at > e.day * 86400000::bigint)
    GROUP BY e.community_id, e.day
),
starts AS (
    -- A thread starts at its earliest THREAD_CREATED (ties: lowest actor id) and belongs to that day.
    SELECT DISTINCT ON (community_id, thread_id) community_id, thread_id, actor_id AS author, at AS created_at, day
    FROM ev
    WHERE type = 'THREAD_CREATED' AND thread_id IS NOT NULL
    ORDER BY community_id, thread_id, at, actor_id
),
first_responses AS (
    -- The earliest reply by anyone but the author (a reply with no actor, or to an unknown author, counts).
    SELECT t.community_id, t.day, greatest(0, min(r.at) - t.created_at) / 1000 AS secs
    FROM starts t
    JOIN ev r ON r.type = 'REPLY_CREATED' AND r.community_id = t.community_id AND r.thread_id = t.thread_id
             AND (r.actor_id IS NULL OR t.author IS NULL OR r.actor_id <> t.author)
    GROUP BY t.community_id, t.thread_id, t.day, t.created_at
),
responses AS (
    -- Nearest rank: the p-quantile of n ascending values is the one at rank ceil(p*n), in integers.
    SELECT community_id, day, count(*) AS responded,
           (array_agg(secs ORDER BY secs))[greatest(1, (50 * count(*) + 99) / 100)::int] AS p50,
           (array_agg(secs ORDER BY secs))[greatest(1, (90 * count(*) + 99) / 100)::int] AS p90,
           count(*) FILTER (WHERE secs <= 86400) AS within_24h,
           count(*) FILTER (WHERE secs <= 604800) AS within_7d
    FROM first_responses
    GROUP BY community_id, day
)
SELECT c.community_id AS "communityId",
       c.day AS "day",
       c.threads AS "threads",
       c.replies AS "replies",
       c.answers AS "answers",
       c.comments AS "comments",
       c.replies - c.answers - c.comments AS "otherReplies",
       c.reactions AS "reactions",
       c.accepted AS "acceptedAnswers",
       c.joined AS "newMembers",
       c.active AS "activeMembers",
       c.events AS "events",
       c.replies - coalesce(s.staff_replies, 0) AS "peerReplies",
       CASE WHEN c.replies = 0 THEN NULL
            ELSE (c.replies - coalesce(s.staff_replies, 0))::float8 / c.replies END AS "peerReplyShare",
       c.accepted - coalesce(s.staff_accepted, 0) AS "peerAcceptedAnswers",
       CASE WHEN c.accepted = 0 THEN NULL
            ELSE (c.accepted - coalesce(s.staff_accepted, 0))::float8 / c.accepted END AS "peerAcceptedShare",
       coalesce(r.responded, 0) AS "threadsResponded",
       c.threads - coalesce(r.responded, 0) AS "threadsUnanswered",
       r.p50 AS "firstResponseP50Seconds",
       r.p90 AS "firstResponseP90Seconds",
       CASE WHEN c.threads = 0 THEN NULL
            ELSE coalesce(r.within_24h, 0)::float8 / c.threads END AS "respondedWithin24hShare",
       CASE WHEN c.threads = 0 THEN NULL
            ELSE coalesce(r.within_7d, 0)::float8 / c.threads END AS "respondedWithin7dShare"
FROM counts c
LEFT JOIN staff_counts s ON s.community_id = c.community_id AND s.day = c.day
LEFT JOIN responses r ON r.community_id = c.community_id AND r.day = c.day
