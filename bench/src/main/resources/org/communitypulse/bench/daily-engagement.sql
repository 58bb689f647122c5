-- pulse.engagement.daily recomputed from scratch over every event in `events`, as a batch job would
-- (definitions: docs/metrics.md). One row per community and UTC day with at least one event; the
-- column names are the DailyEngagement field names, so the bench compares them field by field.
-- `events` holds each eventId once (its primary key): the batch side of the pipeline's dedup.
-- `staff_intervals` and `thread_starts` come from peer-common.sql, run just before.
CREATE TABLE daily AS
WITH ev AS (
    -- occurredAt is after 2000-01-01 (the pipeline rejects earlier events), so integer division is the UTC day.
    SELECT community_id, type, actor_id, thread_id, occurred_at AS at, (occurred_at / 86400000)::int AS day,
           kind, answer_author
    FROM events
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
first_responses AS (
    SELECT community_id, day, greatest(0, first_response_at - created_at) / 1000 AS secs
    FROM thread_starts
    WHERE first_response_at IS NOT NULL
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
