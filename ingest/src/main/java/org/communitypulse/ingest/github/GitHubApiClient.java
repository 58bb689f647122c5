package org.communitypulse.ingest.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.communitypulse.ingest.internals.ApiPatience;
import org.communitypulse.ingest.internals.RetryAfter;
import org.communitypulse.ingest.internals.RetryingSender;
import org.communitypulse.ingest.internals.Sleeper;

/**
 * Reads GitHub's REST API ({@code https://docs.github.com/en/rest}) and its GraphQL endpoint with a token.
 *
 * <p>Every GET is conditional: the {@code ETag} of each URL's last answer is kept and sent as
 * {@code If-None-Match}, and a {@code 304 Not Modified} (which GitHub does not count against the rate limit)
 * returns the kept body. Lists are followed through the {@code Link: <...>; rel="next"} header.
 *
 * <p>Limits are waited out, never exceeded: when an answer says {@code X-RateLimit-Remaining: 0}, the next
 * request waits until {@code X-RateLimit-Reset}; a 403 or 429 for the primary limit waits until the reset, a
 * secondary limit (403/429 with {@code Retry-After}, or without any hint) waits as told, else backs off; 502/503/504
 * and connection failures back off 1 s doubling. Every wait goes through the {@link Sleeper}, so a stopping task
 * ends it. The token only ever goes into the {@code Authorization} header, never into a URL, message or log.
 */
public final class GitHubApiClient {

    /** The public GitHub's API; GitHub Enterprise Server answers at {@code https://<host>/api/v3}. */
    public static final URI PUBLIC_API = URI.create("https://api.github.com");
    /** The REST API version the requests ask for. */
    public static final String API_VERSION = "2022-11-28";

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int ETAG_CACHE_SIZE = 2_000;

    /** How to reach GitHub and how patient to be. */
    public record Settings(URI baseUrl, String token, Duration requestTimeout, int maxRetries,
                           Duration initialBackoff, Duration maxBackoff)
            implements ApiPatience {

        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(token, "token");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())
                    || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("GitHub API URL must be http(s)://host[/path], was " + baseUrl);
            }
            if (token.isBlank()) {
                throw new IllegalArgumentException("GitHub token is empty");
            }
            ApiPatience.checkMaxRetries(maxRetries);
        }

        /** The defaults: 30 s per request, 8 retries, backoff 1 s doubling to 60 s. */
        public static Settings of(URI baseUrl, String token) {
            return new Settings(baseUrl, token, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES,
                    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", token=(hidden)]";
        }
    }

    /** One answer: its JSON, and whether it came from the ETag cache (a 304). */
    public record Page(JsonNode body, boolean notModified, String nextUrl) {
    }

    private record Cached(String etag, JsonNode body, String nextUrl) {
    }

    private final Settings settings;
    private final String base;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Cached> etags = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                    return size() > ETAG_CACHE_SIZE;
                }
            });
    private final RetryingSender sender;
    private final LongAdder notModified = new LongAdder();
    private final LongAdder rateLimitWaits = new LongAdder();
    /** When the primary limit is spent: no request before this instant. */
    private volatile Instant blockedUntil = Instant.MIN;

    public GitHubApiClient(Settings settings) {
        this(settings, Sleeper.THREAD, Clock.systemUTC());
    }

    public GitHubApiClient(Settings settings, Sleeper sleeper, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        String url = settings.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.sender = new RetryingSender(settings, HttpClient.Redirect.NORMAL, sleeper);
    }

    /** The API's base URL, without a trailing slash. */
    public String baseUrl() {
        return base;
    }

    /** GitHub's GraphQL endpoint beside the REST base: {@code /graphql}, or {@code /api/graphql} for Enterprise. */
    public String graphqlUrl() {
        return base.endsWith("/api/v3") ? base.substring(0, base.length() - "/v3".length()) + "/graphql"
                : base + "/graphql";
    }

    /**
     * GETs one page: {@code pathOrUrl} is a path under the base ({@code /repos/o/r/issues?...}) or a full URL from a
     * {@code Link} header.
     *
     * @throws GitHubApiException when GitHub refuses, does not know the URL, keeps failing or answers non-JSON
     */
    public Page get(String pathOrUrl) {
        String url = pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://") ? pathOrUrl
                : base + pathOrUrl;
        Cached cached = etags.get(url);
        HttpRequest.Builder request = request(url);
        if (cached != null) {
            request.header("If-None-Match", cached.etag());
        }
        HttpResponse<byte[]> response = send(request.GET().build(), url);
        if (response.statusCode() == 304 && cached != null) {
            notModified.increment();
            return new Page(cached.body(), true, cached.nextUrl());
        }
        JsonNode body = parse(url, response.body());
        String next = nextLink(response).orElse(null);
        response.headers().firstValue("ETag").ifPresent(etag -> etags.put(url, new Cached(etag, body, next)));
        return new Page(body, false, next);
    }

    /** Every element of a paged JSON array, following {@code rel="next"} to the last page. */
    public List<JsonNode> getAll(String path) {
        List<JsonNode> all = new ArrayList<>();
        String next = path;
        while (next != null) {
            Page page = get(next);
            if (!page.body().isArray()) {
                throw new GitHubApiException(200, "GET " + next + " did not return a JSON array");
            }
            page.body().forEach(all::add);
            next = page.nextUrl();
        }
        return all;
    }

    /**
     * POSTs a GraphQL query and returns its {@code data}.
     *
     * @throws GitHubApiException when the request fails or the answer carries {@code errors}
     */
    public JsonNode graphql(String query, Map<String, Object> variables) {
        String url = graphqlUrl();
        ObjectNode body = json.createObjectNode();
        body.put("query", query);
        body.set("variables", json.valueToTree(variables));
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("GraphQL variables are not JSON: " + e.getOriginalMessage(), e);
        }
        HttpResponse<byte[]> response = send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), url);
        JsonNode answer = parse(url, response.body());
        if (answer.path("errors").isArray() && !answer.path("errors").isEmpty()) {
            throw new GitHubApiException(200, "POST " + url + " answered GraphQL errors: "
                    + answer.path("errors").get(0).path("message").asText());
        }
        return answer.path("data");
    }

    private HttpRequest.Builder request(String url) {
        try {
            return HttpRequest.newBuilder(URI.create(url)).timeout(settings.requestTimeout())
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", API_VERSION)
                    .header("User-Agent", "community-pulse")
                    .header("Authorization", "Bearer " + settings.token());
        } catch (IllegalArgumentException e) {
            throw new GitHubApiException(0, "Not a valid GitHub API URL: " + url);
        }
    }

    /** Sends until an answer that is neither a limit nor a transient failure; returns 2xx and 304 answers. */
    private HttpResponse<byte[]> send(HttpRequest request, String url) {
        return sender.send(request, new RetryingSender.Exchange<>(request.method() + " " + url, "for the GitHub API") {
            @Override
            protected void beforeAttempt() {
                waitForReset(this);
            }

            @Override
            protected RetryingSender.Outcome<HttpResponse<byte[]>> read(HttpResponse<byte[]> response, int attempts,
                                                                     boolean lastAttempt) {
                int status = response.statusCode();
                OptionalLong remaining = longHeader(response, "X-RateLimit-Remaining");
                OptionalLong reset = longHeader(response, "X-RateLimit-Reset");
                if (remaining.isPresent() && remaining.getAsLong() <= 0 && reset.isPresent()) {
                    blockedUntil = Instant.ofEpochSecond(reset.getAsLong());
                }
                if (status / 100 == 2 || status == 304) {
                    return RetryingSender.Outcome.done(response);
                }
                Optional<Duration> retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After"), clock);
                boolean primaryLimit = remaining.isPresent() && remaining.getAsLong() <= 0;
                boolean limited = status == 429 || status == 403 && (primaryLimit || retryAfter.isPresent()
                        || mentionsRateLimit(response));
                boolean retriable = limited || status == 502 || status == 503 || status == 504;
                if (!retriable || lastAttempt) {
                    throw failure(request.method(), url, status, attempts, limited);
                }
                if (limited) {
                    rateLimitWaits.increment();
                }
                // A spent primary limit is waited out by waitForReset before the next attempt; a zero wait is none.
                Duration hint = primaryLimit && retryAfter.isEmpty() ? Duration.ZERO : retryAfter.orElse(null);
                return Duration.ZERO.equals(hint) ? RetryingSender.Outcome.retryWithoutWait()
                        : RetryingSender.Outcome.retry(hint);
            }

            @Override
            protected RuntimeException error(String message, Exception cause) {
                return new GitHubApiException(message, cause);
            }
        });
    }

    private static boolean mentionsRateLimit(HttpResponse<byte[]> response) {
        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        return body.contains("rate limit");
    }

    /** Before a request: when the last answer spent the primary limit, waits until its reset. */
    private void waitForReset(RetryingSender.Exchange<?> exchange) {
        Duration wait = Duration.between(clock.instant(), blockedUntil);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        rateLimitWaits.increment();
        // GitHub's reset is a whole second; a little more keeps clocks' skew from costing a refused request.
        sender.sleep(RetryAfter.capped(wait.plusMillis(250)), exchange);
        blockedUntil = Instant.MIN;
    }

    private static OptionalLong longHeader(HttpResponse<?> response, String name) {
        Optional<String> value = response.headers().firstValue(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static Optional<String> nextLink(HttpResponse<?> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher next = NEXT_LINK.matcher(link);
            if (next.find()) {
                return Optional.of(next.group(1));
            }
        }
        return Optional.empty();
    }

    private JsonNode parse(String url, byte[] body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new GitHubApiException(200, url + " did not return JSON (is this GitHub's API?): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new GitHubApiException(url + ": " + e.getMessage(), e);
        }
    }

    private static GitHubApiException failure(String method, String url, int status, int attempts,
                                              boolean limited) {
        String hint = limited ? "still rate limited after " + attempts + " attempts" : switch (status) {
            case 401 -> "GitHub refused the token: check it is valid and not expired";
            case 403 -> "the token may not read this (a fine-grained token needs Issues, Pull requests, "
                    + "Discussions and Members read access)";
            case 404 -> "not found: check the owner/repository name and the API URL (Enterprise: "
                    + "https://<host>/api/v3)";
            default -> status >= 500 ? "GitHub failed (" + attempts + " attempts)" : "unexpected answer";
        };
        return new GitHubApiException(status, method + " " + url + " returned HTTP " + status + ": " + hint);
    }

    /** Requests sent, retries and 304s included. */
    public long requests() {
        return sender.requests();
    }

    /** Answers that were 304 Not Modified (free of rate limit). */
    public long notModified() {
        return notModified.sum();
    }

    /** Requests repeated after a limit, a 5xx gateway error or a connection failure. */
    public long retries() {
        return sender.retries();
    }

    /** Times a rate limit (primary or secondary) was waited out. */
    public long rateLimitWaits() {
        return rateLimitWaits.sum();
    }
}
