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
import org.communitypulse.ingest.http.internals.PlatformEndpoint;
import org.communitypulse.ingest.http.internals.Reply;
import org.communitypulse.ingest.http.internals.WebhookHandler;
import org.communitypulse.ingest.http.internals.WebhookMetrics;
import org.communitypulse.ingest.slack.SlackPayloadMapper;
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

    private final WebhookServerConfig config;
    private final EventPublisher publisher;
    private final WebhookMetrics metrics = new WebhookMetrics();
    private final WebhookHandler handler;
    private final Set<WebhookSource> enabled;
    private final boolean pseudonymised;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Javalin app;

    /**
     * A server around any publisher (tests pass their own; production uses {@link #forKafka}).
     *
     * @param config      server settings
     * @param environment where secrets and the pseudonymisation key are looked up (normally {@code System.getenv()})
     * @param publisher   stores events; closed with the server
     * @param clock       time for Slack's timestamp window and the replay guard
     * @throws WebhookSecretException when no platform has a secret or a secret/key is unusable
     */
    public WebhookServer(WebhookServerConfig config, Map<String, String> environment, EventPublisher publisher,
                         Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        Map<String, String> env = secretEnvironment(config, environment);
        WebhookSecrets secrets = WebhookSecrets.fromEnvironment(env);
        MemberPseudonymiser members = pseudonymiser(config, env);
        this.pseudonymised = members.enabled();
        Map<WebhookSource, PlatformEndpoint> endpoints = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            Optional<WebhookSecret> secret = secrets.find(source);
            secret.ifPresent(s -> endpoints.put(source, new PlatformEndpoint(source, verifier(source, s, config),
                    mapper(source, members), config.communities(source), config.defaultCommunity())));
        }
        if (endpoints.isEmpty()) {
            throw new WebhookSecretException("no webhook secret configured: set at least one of "
                    + "PULSE_DISCOURSE_SECRET(_FILE), PULSE_SLACK_SECRET(_FILE), PULSE_GITHUB_SECRET(_FILE)");
        }
        this.enabled = Collections.unmodifiableSet(endpoints.keySet());
        DeliveryReplayGuard guard = new DeliveryReplayGuard(config.replayMaxEntries(),
                Duration.ofMillis(config.replayTtlMs()));
        this.handler = new WebhookHandler(endpoints, guard, publisher, metrics, clock, config.maxBodyBytes(),
                config.retryAfterSeconds());
    }

    /** A server publishing to Kafka with the system clock. */
    public static WebhookServer forKafka(WebhookServerConfig config, Map<String, String> environment,
                                         String bootstrapServers, Topic<String, ActivityEvent> topic,
                                         Map<String, ?> producerConfig) {
        return forKafka(config, environment, bootstrapServers, topic, null, producerConfig);
    }

    /**
     * As above; erasure requests (a signed Discourse {@code user_destroyed}) go to {@code erasures}, the control
     * topic (null: they are refused with 503, so the platform retries once it is configured).
     */
    public static WebhookServer forKafka(WebhookServerConfig config, Map<String, String> environment,
                                         String bootstrapServers, Topic<String, ActivityEvent> topic,
                                         Topic<String, ActivityEvent> erasures, Map<String, ?> producerConfig) {
        KafkaEventPublisher publisher = new KafkaEventPublisher(bootstrapServers, topic, erasures, producerConfig,
                Duration.ofMillis(config.publishTimeoutMs()), Duration.ofMillis(config.readyTimeoutMs()));
        try {
            return new WebhookServer(config, environment, publisher, Clock.systemUTC());
        } catch (RuntimeException e) {
            publisher.close();
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
            javalin.showJavalinBanner = false;
            javalin.router.ignoreTrailingSlashes = true;
        });
        app.post("/webhooks/{platform}", ctx -> webhook(ctx, null));
        app.post("/webhooks/{platform}/{community}", ctx -> webhook(ctx, ctx.pathParam("community")));
        app.get("/health", ctx -> respond(ctx, 200, Map.of("status", "up")));
        app.get("/ready", ctx -> {
            boolean ready = publisher.ready();
            respond(ctx, ready ? 200 : 503, Map.of("status", ready ? "ready" : "kafka unavailable"));
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.registry().scrape()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unhandled error on {}", ctx.path(), e);
            respond(ctx, 500, Map.of("status", "error"));
        });
        app.start(config.host(), config.port());
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
                return req.getInputStream();
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
        if (reply.status() == 503) {
            ctx.header("Retry-After", Integer.toString(handler.retryAfterSeconds()));
        }
        respond(ctx, reply.status(), reply.body());
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
        metrics.close();
    }
}
