package org.communitypulse.streams.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseHandler;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.streams.alerts.AlertActionPublisher;
import org.communitypulse.streams.common.TopicPublisher;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.engagement.EngagementViews;
import org.communitypulse.streams.http.AccessTokens.Scope;
import org.communitypulse.streams.http.internals.LiveUpdates;
import org.communitypulse.streams.http.internals.PeerClient;
import org.communitypulse.streams.query.CommunityQueries;
import org.communitypulse.streams.query.MaturityQueries;
import org.communitypulse.streams.query.RecordJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health dashboard: a JSON API over the view stores, server-sent events when the communities
 * change, and the web page (static files from {@code /public} on the classpath, libraries as WebJars).
 * Any instance answers any request: a community's questions go to the instance holding its partition
 * (Kafka Streams metadata, each instance advertising its HTTP address as {@code application.server}),
 * and the list of communities is gathered from every instance. See {@code docs/dashboard.md}.
 */
public final class Dashboard implements Consumer<JavalinConfig>, AutoCloseable {

    public static final String COMMUNITIES_PATH = "/api/communities";
    public static final String EVENTS_PATH = "/api/events";
    /** Every community's latest scorecard and health with their percentiles among all communities. */
    public static final String BENCHMARK_PATH = "/api/benchmark";
    /** Acknowledge, snooze and unsnooze (POST, admin scope) live under this path. */
    public static final String ALERT_ACTION_PATH = COMMUNITIES_PATH + "/{id}/alerts/{condition}";
    /** Declared evidence (POST, admin scope): published to the activity topic as EVIDENCE_DECLARED. */
    public static final String DECLARATIONS_PATH = COMMUNITIES_PATH + "/{id}/declarations";
    /** SSE event carrying the same document as {@value #COMMUNITIES_PATH}. */
    public static final String COMMUNITIES_EVENT = "communities";
    /** {@code ?scope=local}: only this instance's communities (what instances ask each other). */
    public static final String SCOPE_PARAM = "scope";
    public static final String SCOPE_LOCAL = "local";
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    /** Seconds a client should wait before retrying while state is being rebalanced or restored. */
    public static final String RETRY_AFTER_SECONDS = "1";
    /** Seconds a live-update client turned away (too many connected) should wait. */
    public static final String SSE_RETRY_AFTER_SECONDS = "30";
    /** Dates outside these years are refused (400): the stores hold nothing there, and date arithmetic overflows. */
    static final LocalDate MIN_DATE = LocalDate.of(1970, 1, 1);
    static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final String JSON = "application/json";
    private static final StringSerializer KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final Optional<HostInfo> self;
    private final CommunityQueries queries;
    private final PeerClient peers;
    private final ObjectMapper json = new ObjectMapper();
    private final LiveUpdates live;
    private AlertActionRequests requests = new AlertActionRequests(Clock.systemUTC());
    private volatile AlertActionPublisher actions;
    private volatile TopicPublisher<ActivityEvent> declarations;
    private volatile Clock declarationClock = Clock.systemUTC();

    /**
     * @param self this instance's advertised HTTP address ({@code application.server}); empty: answer
     *             from local state only (one instance, or instances that cannot reach each other)
     */
    public Dashboard(KafkaStreams streams, ViewStores stores, Optional<HostInfo> self) {
        this(streams, stores, self, Optional.empty(), HttpSettings.DEFAULT_MAX_SSE_CLIENTS);
    }

    /**
     * @param peerTokens    the tokens this instance presents when it asks another (all instances share them)
     * @param maxSseClients live-update connections at once; more get 503 with Retry-After
     */
    public Dashboard(KafkaStreams streams, ViewStores stores, Optional<HostInfo> self,
                     Optional<AccessTokens> peerTokens, int maxSseClients) {
        this.streams = streams;
        this.self = self;
        this.queries = new CommunityQueries(stores);
        this.peers = new PeerClient(peerTokens.map(AccessTokens::peerCredential));
        this.live = new LiveUpdates(COMMUNITIES_EVENT, () -> write(gather()), POLL_INTERVAL, maxSseClients);
    }

    /** Enables acknowledge / snooze / unsnooze, writing through {@code publisher} with times from {@code clock}. */
    public Dashboard alertActions(AlertActionPublisher publisher, Clock clock) {
        this.actions = publisher;
        this.requests = new AlertActionRequests(clock);
        return this;
    }

    /**
     * Enables {@code POST .../declarations}, writing the declarations' events to the activity topic through
     * {@code publisher}; a declaration without a {@code date} takes effect on {@code clock}'s day.
     */
    public Dashboard declarations(TopicPublisher<ActivityEvent> publisher, Clock clock) {
        this.declarations = publisher;
        this.declarationClock = clock;
        return this;
    }

    @Override
    public void accept(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/public";
            files.location = Location.CLASSPATH;
        });
        config.staticFiles.enableWebjars();
        // Member ids, role holders and violation evidence (also in role alerts' evidence) need the admin scope.
        // So do the alert actions: they change what receivers are sent.
        Scope admin = Scope.ADMIN;
        var routes = config.routes;
        routes.get(COMMUNITIES_PATH, ctx -> {
            if (SCOPE_LOCAL.equals(ctx.queryParam(SCOPE_PARAM))) {
                ObjectNode node = json.createObjectNode();
                node.putArray("communities").addAll(queries.summaries());
                respond(ctx, node);
            } else {
                respond(ctx, gather());
            }
        });
        routes.get(COMMUNITIES_PATH + "/{id}", ctx -> community(ctx, id -> queries.summary(id)));
        routes.get(COMMUNITIES_PATH + "/{id}/daily", ctx -> community(ctx,
                id -> queries.daily(id, date(ctx, "from"), date(ctx, "to"))));
        routes.get(COMMUNITIES_PATH + "/{id}/trailing", ctx -> community(ctx,
                id -> queries.trailing(id, date(ctx, "from"), date(ctx, "to"))));
        routes.get(COMMUNITIES_PATH + "/{id}/retention", ctx -> community(ctx, queries::retention));
        routes.get(COMMUNITIES_PATH + "/{id}/members", ctx -> community(ctx,
                id -> queries.members(id, top(ctx))), admin);
        routes.get(COMMUNITIES_PATH + "/{id}/alerts", ctx -> community(ctx, queries::alertTimeline), admin);
        // Whether an alert is acknowledged or snoozed is for everyone watching; what it says about members is not.
        routes.get(COMMUNITIES_PATH + "/{id}/alert-states", ctx -> community(ctx, queries::alertStates));
        routes.post(ALERT_ACTION_PATH + "/acknowledge", ctx -> act(ctx, by -> requests.acknowledge(ctx.pathParam("id"),
                ctx.pathParam("condition"), ctx.queryParam("alertId"), ctx.queryParam("note"), by)), admin);
        routes.post(ALERT_ACTION_PATH + "/snooze", ctx -> act(ctx, by -> requests.snooze(ctx.pathParam("id"),
                ctx.pathParam("condition"), ctx.queryParam("until"), ctx.queryParam("note"), by)), admin);
        routes.post(ALERT_ACTION_PATH + "/unsnooze", ctx -> act(ctx, by -> requests.unsnooze(ctx.pathParam("id"),
                ctx.pathParam("condition"), ctx.queryParam("note"), by)), admin);
        // Declared evidence moves the scorecard: writing it is as privileged as acting on alerts.
        routes.post(DECLARATIONS_PATH, this::declare, admin);
        routes.get(COMMUNITIES_PATH + "/{id}/roles", ctx -> community(ctx, queries::roles), admin);
        routes.get(COMMUNITIES_PATH + "/{id}/violations", ctx -> community(ctx, queries::openViolations), admin);
        routes.get(COMMUNITIES_PATH + "/{id}/reconciliation", ctx -> community(ctx, queries::reconciliation));
        routes.get(COMMUNITIES_PATH + "/{id}/maturity", ctx -> community(ctx,
                id -> queries.maturity().scorecards(id, date(ctx, "from"), date(ctx, "to"))));
        routes.get(COMMUNITIES_PATH + "/{id}/health", ctx -> community(ctx,
                id -> queries.maturity().health(id, date(ctx, "from"), date(ctx, "to"))));
        routes.get(BENCHMARK_PATH, ctx -> {
            ObjectNode all = gather();
            List<JsonNode> summaries = new ArrayList<>();
            all.path("communities").forEach(c -> summaries.add(c.deepCopy()));
            ObjectNode node = MaturityQueries.benchmark(summaries);
            node.put("partial", all.path("partial").asBoolean());
            respond(ctx, node);
        });
        routes.get(EVENTS_PATH, this::events);
        routes.exception(InvalidStateStoreException.class, (e, ctx) -> unavailable(ctx,
                "state is being rebalanced or restored; retry shortly"));
        routes.exception(BadRequest.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
        routes.exception(IllegalArgumentException.class,
                (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    }

    /** Server-sent events, up to {@link HttpSettings#maxSseClients()} at once: each holds a connection and a thread. */
    private void events(Context ctx) throws Exception {
        if (!live.reserve()) {
            ctx.header("Retry-After", SSE_RETRY_AFTER_SECONDS);
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "too many live-update clients; retry later");
            return;
        }
        boolean streaming = false;
        try {
            String accept = ctx.header("Accept");
            if (accept != null && accept.contains("text/event-stream")) {
                new SseHandler(0, live::connectReserved).handle(ctx);
                streaming = true;
            } else {
                error(ctx, HttpStatus.NOT_ACCEPTABLE, "this is a server-sent-events stream: Accept: text/event-stream");
            }
        } finally {
            if (!streaming) {
                live.release();
            }
        }
    }

    /**
     * Writes an acknowledgement or snooze as an event (any instance may: the actions topic is the record, and
     * the instance holding the community applies it). 202: written, applied shortly; 503: not written.
     */
    private void act(Context ctx, java.util.function.Function<String, AlertAction> request) {
        AlertActionPublisher publisher = actions;
        if (publisher == null) {
            unavailable(ctx, "alert actions are not enabled on this instance");
            return;
        }
        // Who acted, as far as the server knows: the scope of the token presented, never the token itself.
        AlertAction action = request.apply("scope:" + AccessControl.scope(ctx).name().toLowerCase(Locale.ROOT));
        if (recorded(ctx, "alert action", action.getCommunityId().toString(), () -> publisher.publish(action))) {
            ctx.status(HttpStatus.ACCEPTED).contentType(JSON).result(write(RecordJson.of(action)));
        }
    }

    /**
     * Publishes a declaration (a JSON object of its attributes and {@code date}, checked by {@link Declaration#of})
     * as an EVIDENCE_DECLARED event with its stable id, so a repeated POST is one event. 202 with the event id;
     * 400 with the parser's message; 503 when not written.
     */
    private void declare(Context ctx) {
        TopicPublisher<ActivityEvent> publisher = declarations;
        if (publisher == null) {
            unavailable(ctx, "declarations are not enabled on this instance");
            return;
        }
        String id = ctx.pathParam("id");
        ActivityEvent event = DeclarationRequests.event(id, ctx.body(), declarationClock);
        if (recorded(ctx, "declaration", id, () -> publisher.publish(id, event.getOccurredAt(), event))) {
            ObjectNode node = json.createObjectNode();
            node.put("eventId", event.getEventId());
            ctx.status(HttpStatus.ACCEPTED).contentType(JSON).result(write(node));
        }
    }

    /** A write the broker must acknowledge; false after answering 503 when it did not. */
    private boolean recorded(Context ctx, String what, String community, Publish write) {
        try {
            write.run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(ctx, "interrupted; retry");
        } catch (Exception e) {
            LOG.warn("Could not write an {} for {}: {}", what, community, e.toString());
            unavailable(ctx, "the " + what + " could not be recorded; retry shortly");
        }
        return false;
    }

    @FunctionalInterface
    private interface Publish {
        void run() throws Exception;
    }

    /** Connected live-update clients. */
    public int liveClients() {
        return live.clients();
    }

    /** Answers locally when this instance holds the community, else forwards to the one that does. */
    private void community(Context ctx, java.util.function.Function<String, Optional<ObjectNode>> query)
            throws IOException, InterruptedException {
        String id = ctx.pathParam("id");
        if (id.isEmpty() || id.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("invalid community id");
        }
        Optional<HostInfo> owner = owner(id);
        if (owner.isPresent()) {
            if (ctx.header(PeerClient.FORWARDED_HEADER) != null) {
                // Two instances disagree about who holds the key: metadata is in flux, not worth a loop.
                unavailable(ctx, "partition assignment is changing; retry shortly");
                return;
            }
            forward(ctx, owner.get());
            return;
        }
        Optional<ObjectNode> answer = query.apply(id);
        if (answer.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "no metrics for community " + id);
        } else {
            respond(ctx, answer.get());
        }
    }

    /** The instance holding {@code community}, when it is another one. */
    private Optional<HostInfo> owner(String community) {
        if (self.isEmpty()) {
            return Optional.empty();
        }
        KeyQueryMetadata metadata = streams.queryMetadataForKey(EngagementViews.TRAILING.store(), community, KEYS);
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            throw new InvalidStateStoreException("no instance holds " + community + " right now");
        }
        return self.get().equals(metadata.activeHost()) ? Optional.empty() : Optional.of(metadata.activeHost());
    }

    private void forward(Context ctx, HostInfo owner) throws InterruptedException {
        String target = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        try {
            PeerClient.Answer answer = peers.get(owner, target);
            answer.retryAfter().ifPresent(value -> ctx.header("Retry-After", value));
            ctx.status(answer.status()).contentType(JSON).result(answer.body());
        } catch (IOException e) {
            LOG.warn("Instance {}:{} did not answer {}: {}", owner.host(), owner.port(), ctx.path(), e.toString());
            unavailable(ctx, "the instance holding this community did not answer; retry shortly");
        }
    }

    /**
     * Every instance's communities, by id. An instance that does not answer makes the answer
     * {@code partial} (listed in {@code unreachable}) rather than failing it.
     */
    private ObjectNode gather() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        queries.summaries().forEach(summary -> byId.put(summary.get("communityId").asText(), summary));
        List<String> unreachable = new ArrayList<>();
        int instances = 1;
        if (self.isPresent()) {
            for (StreamsMetadata peer : streams.metadataForAllStreamsClients()) {
                if (peer.hostInfo().equals(self.get())) {
                    continue;
                }
                instances++;
                try {
                    PeerClient.Answer answer = peers.get(peer.hostInfo(),
                            COMMUNITIES_PATH + "?" + SCOPE_PARAM + "=" + SCOPE_LOCAL);
                    if (answer.status() != 200) {
                        throw new IOException("status " + answer.status());
                    }
                    for (JsonNode summary : json.readTree(answer.body()).path("communities")) {
                        // While partitions move, two instances may both report one: keep the fresher.
                        byId.merge(summary.path("communityId").asText(), summary, (a, b) ->
                                a.path("updatedAt").asText().compareTo(b.path("updatedAt").asText()) >= 0 ? a : b);
                    }
                } catch (IOException e) {
                    unreachable.add(peer.hostInfo().host() + ":" + peer.hostInfo().port());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InvalidStateStoreException("interrupted while asking " + peer.hostInfo());
                }
            }
        }
        ObjectNode node = json.createObjectNode();
        ArrayNode list = node.putArray("communities");
        byId.keySet().stream().sorted().forEach(id -> list.add(byId.get(id)));
        node.put("instances", instances);
        node.put("partial", !unreachable.isEmpty());
        ArrayNode missing = node.putArray("unreachable");
        unreachable.forEach(missing::add);
        return node;
    }

    private static LocalDate date(Context ctx, String param) {
        String value = ctx.queryParam(param);
        if (value == null || value.isBlank()) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadRequest(param + " must be an ISO date (yyyy-mm-dd)");
        }
        if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
            throw new BadRequest(param + " must be between " + MIN_DATE + " and " + MAX_DATE);
        }
        return date;
    }

    private static int top(Context ctx) {
        String value = ctx.queryParam("top");
        if (value == null || value.isBlank()) {
            return CommunityQueries.DEFAULT_TOP_MEMBERS;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("top must be a number");
        }
    }

    private void respond(Context ctx, JsonNode body) throws JsonProcessingException {
        ctx.contentType(JSON).result(write(body));
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status).contentType(JSON).result(write(json.createObjectNode().put("error", message)));
    }

    private void unavailable(Context ctx, String message) {
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        error(ctx, HttpStatus.SERVICE_UNAVAILABLE, message);
    }

    @Override
    public void close() {
        live.close();
    }

    /** A request parameter that cannot be used: 400 with the message. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
