package org.communitypulse.ingest.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.communitypulse.ingest.internals.ApiPatience;
import org.communitypulse.ingest.internals.RetryAfter;
import org.communitypulse.ingest.internals.RetryingSender;
import org.communitypulse.ingest.internals.Sleeper;

/**
 * Calls Slack Web API methods ({@code https://api.slack.com/methods}) with a bot token in the
 * {@code Authorization: Bearer} header, and pages them with {@code response_metadata.next_cursor}.
 *
 * <p>Slack limits each method per workspace and app by tier; this client keeps its own pace per method (at most
 * {@link Settings#tier3PerMinute()} calls a minute for {@code conversations.history}/{@code .replies}, Tier 3, and
 * {@link Settings#tier2PerMinute()} for {@code users.list}, Tier 2) so that it rarely meets the limit, and when it
 * does (HTTP 429, or {@code ok:false} with {@code ratelimited}) waits the {@code Retry-After} seconds Slack asks
 * for. 5xx answers and connection failures are retried with a backoff; after {@link Settings#maxRetries()}
 * attempts, or at once for any other {@code ok:false} error, a {@link SlackApiException} says what to check. All
 * waits go through the {@link Sleeper}, so a stopping task ends them (it must throw InterruptedException then).
 */
public final class SlackApiClient {

    /** Slack's documented Web API base. */
    public static final String DEFAULT_BASE = "https://slack.com/api/";
    public static final URI DEFAULT_BASE_URL = URI.create(DEFAULT_BASE);

    private static final Set<String> TIER_2 = Set.of("users.list", "conversations.list");
    private static final Set<String> RETRIABLE_ERRORS = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout");

    /** Where Slack is and how patient to be. */
    public record Settings(URI baseUrl, String token, Duration requestTimeout, int maxRetries,
                           Duration initialBackoff, Duration maxBackoff, int tier2PerMinute, int tier3PerMinute)
            implements ApiPatience {

        /** Slack's Tier 2: 20+ calls a minute. */
        public static final int DEFAULT_TIER2_PER_MINUTE = 20;
        /** Slack's Tier 3: 50+ calls a minute. */
        public static final int DEFAULT_TIER3_PER_MINUTE = 50;

        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(token, "token");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("Slack API URL must be http(s)://host[/path], was " + baseUrl);
            }
            if (token.isBlank()) {
                throw new IllegalArgumentException("Slack bot token is empty");
            }
            ApiPatience.checkMaxRetries(maxRetries);
            if (tier2PerMinute < 1 || tier3PerMinute < 1) {
                throw new IllegalArgumentException("calls per minute must be >= 1");
            }
        }

        /** The defaults: 30 s per request, 8 retries, backoff 1 s doubling to 60 s, 20 and 50 calls a minute. */
        public static Settings of(URI baseUrl, String token) {
            return new Settings(baseUrl, token, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES,
                    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_TIER2_PER_MINUTE,
                    DEFAULT_TIER3_PER_MINUTE);
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", token=(hidden), tier2PerMinute=" + tier2PerMinute
                    + ", tier3PerMinute=" + tier3PerMinute + "]";
        }
    }

    private final Settings settings;
    private final String base;
    private final RetryingSender sender;
    private final LongSupplier nanos;
    private final ObjectMapper json = new ObjectMapper();
    /** Per method: the earliest System.nanoTime() of its next call. */
    private final Map<String, Long> nextCall = new HashMap<>();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder paced = new LongAdder();

    public SlackApiClient(Settings settings) {
        this(settings, Sleeper.THREAD, System::nanoTime);
    }

    public SlackApiClient(Settings settings, Sleeper sleeper) {
        this(settings, sleeper, System::nanoTime);
    }

    SlackApiClient(Settings settings, Sleeper sleeper, LongSupplier nanos) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanos = nanos;
        String url = settings.baseUrl().toString();
        this.base = url.endsWith("/") ? url : url + "/";
        this.sender = new RetryingSender(settings, HttpClient.Redirect.NEVER, sleeper);
    }

    /** The API base URL, with a trailing slash. */
    public String baseUrl() {
        return base;
    }

    /**
     * Calls {@code method} and returns its {@code ok:true} answer.
     *
     * @throws SlackApiException for an {@code ok:false} answer, an HTTP error, or when retries run out
     */
    public JsonNode call(String method, Map<String, String> params) {
        String url = base + method + query(params);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.requestTimeout())
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + settings.token())
                    .GET().build();
        } catch (IllegalArgumentException e) {
            throw new SlackApiException("invalid_arguments", "Not a valid Slack API URL: " + url);
        }
        return sender.send(request, new RetryingSender.Exchange<>(method, "to call " + method) {
            @Override
            protected void beforeAttempt() {
                pace(method, this);
            }

            @Override
            protected RetryingSender.Outcome<JsonNode> read(HttpResponse<byte[]> response, int attempts,
                                                         boolean lastAttempt) {
                int status = response.statusCode();
                Optional<Duration> hint = RetryAfter.parse(response.headers().firstValue("Retry-After"),
                        Clock.systemUTC());
                String error;
                if (status == 200) {
                    JsonNode body = parse(method, response.body());
                    if (body.path("ok").asBoolean(false)) {
                        return RetryingSender.Outcome.done(body);
                    }
                    error = body.path("error").asText("unknown_error");
                } else {
                    error = status == 429 ? "ratelimited" : "http_" + status;
                }
                boolean retriable = RETRIABLE_ERRORS.contains(error) || status >= 500;
                if (!retriable || lastAttempt) {
                    throw new SlackApiException(error, method + " failed: " + error + " ("
                            + SlackApiException.hint(error) + (retriable ? ", " + attempts + " attempts" : "")
                            + ")");
                }
                if ("ratelimited".equals(error)) {
                    rateLimited.increment();
                }
                return RetryingSender.Outcome.retry(hint.orElse(null));
            }

            @Override
            protected RuntimeException error(String message, Exception cause) {
                return new SlackApiException(cause instanceof IOException ? "io" : "interrupted", message, cause);
            }
        });
    }

    /**
     * Every item of {@code field} over all pages of {@code method}, following {@code next_cursor}.
     */
    public List<JsonNode> pages(String method, Map<String, String> params, String field) {
        List<JsonNode> items = new ArrayList<>();
        Map<String, String> page = new LinkedHashMap<>(params);
        while (true) {
            JsonNode body = call(method, page);
            body.path(field).forEach(items::add);
            String cursor = body.path("response_metadata").path("next_cursor").asText("");
            if (cursor.isEmpty()) {
                return items;
            }
            if (cursor.equals(page.get("cursor"))) {
                throw new SlackApiException("invalid_cursor", method + " returned the cursor it was given: "
                        + "stopping rather than reading the same page forever");
            }
            page.put("cursor", cursor);
        }
    }

    /** Keeps calls of one method at least a minute / (calls a minute of its tier) apart. */
    private void pace(String method, RetryingSender.Exchange<?> exchange) {
        int perMinute = TIER_2.contains(method) ? settings.tier2PerMinute() : settings.tier3PerMinute();
        long spacing = Duration.ofMinutes(1).toNanos() / perMinute;
        long now = nanos.getAsLong();
        long next = nextCall.getOrDefault(method, now);
        if (next > now) {
            paced.increment();
            sender.sleep(Duration.ofNanos(next - now), exchange);
            now = next;
        }
        nextCall.put(method, now + spacing);
    }

    private static String query(Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> p : params.entrySet()) {
            query.append(query.length() == 0 ? '?' : '&')
                    .append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private JsonNode parse(String method, byte[] body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SlackApiException("invalid_response", method + " did not return JSON (is the URL Slack's "
                    + "Web API, e.g. https://slack.com/api/?): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SlackApiException("io", method + ": " + e.getMessage(), e);
        }
    }

    /** Requests sent, retries included. */
    public long requests() {
        return sender.requests();
    }

    /** Answers that said rate limited (HTTP 429 or {@code ratelimited}). */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** Calls that waited for the client's own pace. */
    public long paced() {
        return paced.sum();
    }
}
