package org.communitypulse.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.communitypulse.ingest.discourse.DiscoursePayloadMapper;
import org.communitypulse.ingest.github.GitHubPayloadMapper;
import org.communitypulse.ingest.http.internals.HttpLimits;
import org.communitypulse.ingest.http.internals.PlatformEndpoint;
import org.communitypulse.ingest.http.internals.Reply;
import org.communitypulse.ingest.http.internals.TimeoutAwareInputStream;
import org.communitypulse.ingest.http.internals.WebhookHandler;
import org.communitypulse.ingest.http.internals.WebhookMetrics;
import org.communitypulse.ingest.slack.SlackPayloadMapper;
import org.communitypulse.ingest.webhook.DeliveryLedger;
import org.communitypulse.ingest.webhook.DeliveryReplayGuard;
import org.communitypulse.ingest.webhook.DiscourseSignatureVerifier;
import org.communitypulse.ingest.webhook.GitHubSignatureVerifier;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.PayloadMapper;
import org.communitypulse.ingest.webhook.SignatureVerifier;
import org.communitypulse.ingest.webhook.SlackSignatureVerifier;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.ingest.webhook.WebhookSecrets;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingest service: signed webhooks from Discourse, Slack and GitHub in, activity events to Kafka out.
 *
 * <p>Endpoints: {@code POST /webhooks/{platform}} and {@code POST /webhooks/{platform}/{community}},
 * {@code GET /health}, {@code GET /ready} (Kafka answers), {@code GET /metrics} (Prometheus text). A platform's
 * endpoint is enabled when its signing secret is configured; at least one must be. See docs/webhooks.md.
 *
 * <p>Embeddable: {@code try (WebhookServer server = WebhookServer.forKafka(...).start()) { server.port(); }}.
 * Closing stops HTTP first, then the publisher, so no request is answered after its publisher is gone.
 */
public final class WebhookServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    private static final String JSON = "application/json";
    /** How long the rest of a refused body may take to arrive before the connection is simply closed. */
    private static final Duration DISCARD_TIMEOUT = Duration.ofSeconds(2);

    private final WebhookServerConfig config;
    private final EventPublisher publisher;
    private final WebhookMetrics metrics = new WebhookMetrics();
    private final WebhookHandler handler;
    private final DeliveryLedger ledger;
    private final Set<WebhookSource> enabled;
    private final boolean pseudonymised;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Javalin app;

    /**
     * A server around any publisher with an in-memory delivery ledger (one instance; forgotten on restart).
     *
     * @param config      server settings
     * @param environment where secrets and the pseudonymisation key are looked up (normally {@code System.getenv()})
     * @param publisher   stores events; closed with the server
     * @param clock       time for Slack's timestamp window and the replay guard
     * @throws WebhookSecretException when no platform has a secret or a secret/key is unusable
     */
    public WebhookServer(WebhookServerConfig config, Map<String, String> environment, EventPublisher publisher,
                         Clock clock) {
        this(config, environment, publisher, memoryLedger(config), clock);
    }

    /**
     * A server around any publisher and delivery ledger (production uses {@link #forKafka} with the Kafka ledger,
     * shared by every instance and kept across restarts). The ledger is closed with the server.
     *
     * @throws WebhookSecretException when no platform has a secret, a secret/key is unusable, or a community
     *                                mapping relies on what the platform does not sign
     */
    public WebhookServer(WebhookServerConfig config, Map<String, String> environment, EventPublisher publisher,
                         DeliveryLedger ledger, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        Map<String, String> env = secretEnvironment(config, environment);
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(env);
        MemberPseudonymiser members = pseudonymiser(config, env);
        this.pseudonymised = members.enabled();
        Map<WebhookSource, PlatformEndpoint> endpoints = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            Optional<WebhookSecret> secret = secrets.find(source);
            if (secret.isEmpty() && !secrets.hasCommunitySecrets(source)) {
                continue;
            }
            SignatureVerifier platformWide = secret.map(s -> verifier(source, s, config)).orElse(null);
            java.util.function.Function<String, Optional<SignatureVerifier>> own = community ->
                    secrets.findForCommunity(source, community).map(s -> verifier(source, s, config));
            endpoints.put(source, new PlatformEndpoint(source, platformWide, own, mapper(source, members),
                    config.communities(source), config.defaultCommunity(), config.platformSecretAnyCommunity()));
        }
        if (endpoints.isEmpty()) {
            throw new WebhookSecretException("no webhook secret configured: set at least one of "
                    + "PULSE_DISCOURSE_SECRET(_FILE), PULSE_SLACK_SECRET(_FILE), PULSE_GITHUB_SECRET(_FILE), "
                    + "or a per-community directory PULSE_<PLATFORM>_SECRETS_DIR");
        }
        requireSignedDiscourseMapping(config, secrets);
        this.enabled = Collections.unmodifiableSet(endpoints.keySet());
        this.handler = new WebhookHandler(endpoints, ledger, publisher, metrics, clock, config.maxBodyBytes(),
                config.retryAfterSeconds());
    }

    /** The ledger of one instance, in memory; its bounds come from the replay settings. */
    static DeliveryReplayGuard memoryLedger(WebhookServerConfig config) {
        return new DeliveryReplayGuard(config.replayMaxEntries(), Duration.ofMillis(config.replayTtlMs()),
                lease(config));
    }

    /**
     * How long an unfinished claim blocks copies of its delivery: beyond two publish timeouts its owner has
     * answered or died.
     */
    static Duration lease(WebhookServerConfig config) {
        Duration lease = Duration.ofMillis(2L * config.publishTimeoutMs() + 5_000);
        Duration ttl = Duration.ofMillis(config.replayTtlMs());
        return lease.compareTo(ttl) > 0 ? ttl : lease;
    }

    /**
     * Discourse names the forum only in the unsigned X-Discourse-Instance header: a mapping from it may only lead
     * to communities with their own secret, or a body signed with the platform-wide secret could be sent to any
     * mapped community.
     */
    private static void requireSignedDiscourseMapping(WebhookServerConfig config, WebhookSecrets secrets) {
        if (config.platformSecretAnyCommunity()) {
            return;
        }
        for (String community : new java.util.TreeSet<>(config.communities(WebhookSource.DISCOURSE).values())) {
            if (secrets.findForCommunity(WebhookSource.DISCOURSE, community).isEmpty()) {
                throw new WebhookSecretException(WebhookServerConfig.communitiesConfig(WebhookSource.DISCOURSE)
                        + " maps a forum to '" + community + "', which has no own secret: the forum header is not "
                        + "signed, so give each mapped community a file in "
                        + WebhookSource.DISCOURSE.secretsDirVariable() + " (see docs/webhooks.md)");
            }
        }
    }

    /**
     * A server publishing to Kafka with the system clock and an in-memory delivery ledger (one instance, forgotten
     * on restart); {@link #forKafka(WebhookServerConfig, Map, String, Topic, Topic, Topic, Map)} shares it through Kafka.
     */
    public static WebhookServer forKafka(WebhookServerConfig config, Map<String, String> environment,
                                         String bootstrapServers, Topic<String, ActivityEvent> topic,
                                         Map<String, ?> producerConfig) {
        return forKafka(config, environment, bootstrapServers, topic, null, null, producerConfig);
    }

    /**
     * A server publishing to Kafka with the system clock. Erasure requests (a signed Discourse
     * {@code user_destroyed}) go to {@code erasures}, the control topic (null: they are refused with 503, so the
     * platform retries once it is configured). Accepted deliveries are remembered in {@code ledgerTopic}
     * ({@code Topics.webhookDeliveries()}), so every instance and a restarted one recognise a replay (null: in memory).
     */
    public static WebhookServer forKafka(WebhookServerConfig config, Map<String, String> environment,
                                         String bootstrapServers, Topic<String, ActivityEvent> topic,
                                         Topic<String, ActivityEvent> erasures, Topic<String, String> ledgerTopic,
                                         Map<String, ?> producerConfig) {
        KafkaEventPublisher publisher = new KafkaEventPublisher(bootstrapServers, topic, erasures, producerConfig,
                Duration.ofMillis(config.publishTimeoutMs()), Duration.ofMillis(config.readyTimeoutMs()));
        DeliveryLedger ledger = null;
        try {
            ledger = ledgerTopic == null ? memoryLedger(config)
                    : new KafkaDeliveryLedger(bootstrapServers, ledgerTopic, producerConfig, memoryLedger(config),
                            Duration.ofMillis(config.publishTimeoutMs()), Clock.systemUTC());
            return new WebhookServer(config, environment, publisher, ledger, Clock.systemUTC());
        } catch (RuntimeException e) {
            publisher.close();
            if (ledger != null) {
                ledger.close();
            }
            throw e;
        }
    }

    private static Map<String, String> secretEnvironment(WebhookServerConfig config, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        for (WebhookSource source : WebhookSource.values()) {
            String file = config.secretFile(source);
            if (file != null) {
                if (env.containsKey(source.secretVariable()) || env.containsKey(source.secretFileVariable())) {
                    throw new WebhookSecretException(WebhookServerConfig.secretFileConfig(source) + " and "
                            + source.secretVariable() + "(_FILE) are both set; set only one");
                }
                env.put(source.secretFileVariable(), file);
            }
            String dir = config.secretsDir(source);
            if (dir != null) {
                if (env.containsKey(source.secretsDirVariable())) {
                    throw new WebhookSecretException(WebhookServerConfig.secretsDirConfig(source) + " and "
                            + source.secretsDirVariable() + " are both set; set only one");
                }
                env.put(source.secretsDirVariable(), dir);
            }
        }
        return env;
    }

    private static MemberPseudonymiser pseudonymiser(WebhookServerConfig config, Map<String, String> env) {
        String direct = env.get(WebhookServerConfig.PSEUDONYM_KEY_ENV);
        String file = config.pseudonymKeyFile() != null ? config.pseudonymKeyFile()
                : env.get(WebhookServerConfig.PSEUDONYM_KEY_FILE_ENV);
        // Two keys are refused even with pseudonymisation switched off: the configuration is ambiguous.
        if (config.pseudonymise() || direct != null && file != null) {
            return MemberPseudonymiser.fromKey(direct, WebhookServerConfig.PSEUDONYM_KEY_ENV, file, "a key file",
                    config.pseudonymisationRequiredBy(env));
        }
        return MemberPseudonymiser.none();
    }

    private static SignatureVerifier verifier(WebhookSource source, WebhookSecret secret, WebhookServerConfig config) {
        return switch (source) {
            case DISCOURSE -> new DiscourseSignatureVerifier(secret);
            case GITHUB -> new GitHubSignatureVerifier(secret);
            case SLACK -> new SlackSignatureVerifier(secret, Duration.ofSeconds(config.slackToleranceSeconds()));
        };
    }

    private static PayloadMapper mapper(WebhookSource source, MemberPseudonymiser members) {
        return switch (source) {
            case DISCOURSE -> new DiscoursePayloadMapper(members);
            case GITHUB -> new GitHubPayloadMapper(members);
            case SLACK -> new SlackPayloadMapper(members);
        };
    }

    /** Starts listening; returns {@code this}. */
    public synchronized WebhookServer start() {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.router.ignoreTrailingSlashes = true;
            HttpLimits.apply(javalin, config.host(), config.port(), config.idleTimeoutMs(),
                    config.minRequestBytesPerSecond(), config.maxHeaderBytes());
            javalin.routes.post("/webhooks/{platform}", ctx -> webhook(ctx, null));
            javalin.routes.post("/webhooks/{platform}/{community}", ctx -> webhook(ctx, ctx.pathParam("community")));
            javalin.routes.get("/health", ctx -> respond(ctx, 200, Map.of("status", "up")));
            javalin.routes.get("/ready", ctx -> {
                boolean ready = publisher.ready();
                respond(ctx, ready ? 200 : 503, Map.of("status", ready ? "ready" : "kafka unavailable"));
            });
            javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.registry().scrape()));
            javalin.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("Unhandled error on {}", ctx.path(), e);
                respond(ctx, 500, Map.of("status", "error"));
            });
        });
        app.start();
        LOG.info("Webhook receiver listening on {}:{} for {} (member pseudonymisation {})", config.host(), port(),
                enabled, pseudonymised ? "on" : "off");
        return this;
    }

    private void webhook(Context ctx, String community) {
        HttpServletRequest req = ctx.req();
        Reply reply = handler.handle(ctx.pathParam("platform"), community, new WebhookHandler.Request() {
            @Override
            public long contentLength() {
                return req.getContentLengthLong();
            }

            @Override
            public InputStream body() throws IOException {
                return new TimeoutAwareInputStream(req.getInputStream(), Duration.ofMillis(config.bodyTimeoutMs()));
            }

            @Override
            public Map<String, List<String>> headers() {
                Map<String, List<String>> headers = new HashMap<>();
                for (String name : Collections.list(req.getHeaderNames())) {
                    headers.put(name, new ArrayList<>(Collections.list(req.getHeaders(name))));
                }
                return headers;
            }
        });
        if (reply.status() != 408) {
            discardUnread(req);
        }
        if (reply.status() == 503) {
            ctx.header("Retry-After", Integer.toString(handler.retryAfterSeconds()));
        }
        respond(ctx, reply.status(), reply.body());
    }

    /**
     * Reads what is left of a body refused before it was read (e.g. a declared length over the cap), up to the
     * cap again: Jetty 12 closes a connection with unread content at once, and the sender, still writing, then
     * gets a reset instead of the answer. Bounded in size and time (and by the minimum data rate).
     */
    private void discardUnread(HttpServletRequest req) {
        byte[] buffer = new byte[8192];
        long left = config.maxBodyBytes();
        try {
            InputStream in = new TimeoutAwareInputStream(req.getInputStream(), DISCARD_TIMEOUT);
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    return;
                }
                left -= read;
            }
        } catch (IOException | RuntimeException e) {
            // The connection is closed after the answer anyway.
        }
    }

    private void respond(Context ctx, int status, Map<String, ?> body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":\"error\"}";
        }
        ctx.status(status).contentType(JSON).result(text);
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        if (app == null) {
            throw new IllegalStateException("not started");
        }
        return app.port();
    }

    /** Platforms whose endpoint is enabled (a secret is configured). */
    public Set<WebhookSource> enabledSources() {
        return enabled;
    }

    /** Whether member ids are pseudonymised. */
    public boolean pseudonymised() {
        return pseudonymised;
    }

    /** The meters behind GET /metrics. */
    public PrometheusMeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** Stops HTTP, then closes the publisher. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (app != null) {
                app.stop();
            }
        }
        publisher.close();
        ledger.close();
        metrics.close();
    }
}
