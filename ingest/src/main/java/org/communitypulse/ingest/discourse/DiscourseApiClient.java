package org.communitypulse.ingest.discourse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.communitypulse.ingest.internals.ApiPatience;
import org.communitypulse.ingest.internals.RetryAfter;
import org.communitypulse.ingest.internals.RetryingSender;

/**
 * Reads JSON from a Discourse forum's REST API ({@code https://docs.discourse.org}), authenticated with the
 * {@code Api-Key} and {@code Api-Username} headers.
 *
 * <p>Rate limits are waited out: an HTTP 429 is retried after its {@code Retry-After} (seconds or an HTTP date),
 * else Discourse's {@code extras.wait_seconds}, else an exponential backoff; 502/503/504 and connection failures
 * are retried with the backoff too. After {@link Settings#maxRetries()} attempts, or at once for any other
 * status, a {@link DiscourseApiException} names the URL and what to check. The key is only ever put in the
 * request header, never in a URL, a message or a log line.
 */
public final class DiscourseApiClient {

    /** Header carrying the API key. */
    public static final String API_KEY_HEADER = "Api-Key";
    /** Header carrying the user the key acts as. */
    public static final String API_USERNAME_HEADER = "Api-Username";

    /** How to reach the forum and how patient to be. */
    public record Settings(URI baseUrl, String apiKey, String apiUsername, Duration requestTimeout, int maxRetries,
                           Duration initialBackoff, Duration maxBackoff)
            implements ApiPatience {

        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(apiUsername, "apiUsername");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("Discourse URL must be http(s)://host[/path], was " + baseUrl);
            }
            if (apiKey.isBlank()) {
                throw new IllegalArgumentException("Discourse API key is empty");
            }
            if (apiUsername.isBlank()) {
                throw new IllegalArgumentException("Discourse API username is empty");
            }
            ApiPatience.checkMaxRetries(maxRetries);
        }

        /** The defaults: 30 s per request, 8 retries, backoff 1 s doubling to 60 s. */
        public static Settings of(URI baseUrl, String apiKey, String apiUsername) {
            return new Settings(baseUrl, apiKey, apiUsername, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES,
                    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
        }

        /** Never shows the key. */
        @Override
        public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", apiUsername=" + apiUsername + ", apiKey=(hidden)]";
        }
    }

    /** Waits; {@code Thread::sleep} outside tests. */
    @FunctionalInterface
    public interface Sleeper extends org.communitypulse.ingest.internals.Sleeper {
    }

    private final Settings settings;
    private final String base;
    private final RetryingSender sender;
    private final ObjectMapper json = new ObjectMapper();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    public DiscourseApiClient(Settings settings) {
        this(settings, duration -> Thread.sleep(duration.toMillis()));
    }

    public DiscourseApiClient(Settings settings, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        String url = settings.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.sender = new RetryingSender(settings, HttpClient.Redirect.NORMAL, sleeper);
    }

    /** The forum's base URL, without a trailing slash. */
    public String baseUrl() {
        return base;
    }

    /**
     * GETs {@code pathAndQuery} (e.g. {@code /latest.json?page=2}) and parses the body.
     *
     * @throws DiscourseApiException when the forum refuses, is not found, keeps failing or answers non-JSON
     */
    public JsonNode get(String pathAndQuery) {
        String url = base + pathAndQuery;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(settings.requestTimeout())
                    .header("Accept", "application/json")
                    .header(API_KEY_HEADER, settings.apiKey())
                    .header(API_USERNAME_HEADER, settings.apiUsername())
                    .GET().build();
        } catch (IllegalArgumentException e) {
            throw new DiscourseApiException(0, "Not a valid Discourse URL: " + url);
        }
        return sender.send(request, new RetryingSender.Exchange<>("GET " + url, "to retry the Discourse API") {
            @Override
            protected RetryingSender.Outcome<JsonNode> read(HttpResponse<byte[]> response, int attempts,
                                                         boolean lastAttempt) {
                int status = response.statusCode();
                bytes.add(response.body().length);
                if (status == 200) {
                    return RetryingSender.Outcome.done(parse(url, response.body()));
                }
                boolean retriable = status == 429 || status == 502 || status == 503 || status == 504;
                if (!retriable || lastAttempt) {
                    throw failure(url, status, attempts);
                }
                if (status == 429) {
                    rateLimited.increment();
                }
                return RetryingSender.Outcome.retry(status == 429 ? retryAfter(response) : null);
            }

            @Override
            protected RuntimeException error(String message, Exception cause) {
                return new DiscourseApiException(message, cause);
            }
        });
    }

    /** {@code Retry-After} as seconds or an HTTP date, else Discourse's {@code extras.wait_seconds}. */
    private Duration retryAfter(HttpResponse<byte[]> response) {
        Optional<Duration> header = RetryAfter.parse(response.headers().firstValue("Retry-After"), Clock.systemUTC());
        if (header.isPresent()) {
            return header.get();
        }
        try {
            JsonNode wait = json.readTree(response.body()).path("extras").path("wait_seconds");
            if (wait.canConvertToLong()) {
                return RetryAfter.capped(Duration.ofSeconds(wait.asLong()));
            }
        } catch (IOException notJson) {
            // no hint: the caller backs off
        }
        return null;
    }

    private JsonNode parse(String url, byte[] body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DiscourseApiException(200, "GET " + url + " did not return JSON (is this a Discourse forum?): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DiscourseApiException("GET " + url + ": " + e.getMessage(), e);
        }
    }

    private DiscourseApiException failure(String url, int status, int attempts) {
        String hint = switch (status) {
            case 401 -> "the forum refused the API key: check the key and the API username";
            case 403 -> "the API user may not read this (an admin key is needed for /admin/... lists)";
            case 404 -> "not found: check the forum URL (its base address, e.g. https://forum.example.org)";
            case 429 -> "still rate limited after " + attempts + " attempts";
            default -> status >= 500 ? "the forum failed (" + attempts + " attempts)" : "unexpected answer";
        };
        return new DiscourseApiException(status, "GET " + url + " returned HTTP " + status + ": " + hint);
    }

    /** Requests sent, retries included. */
    public long requests() {
        return sender.requests();
    }

    /** Requests repeated after a 429, a 5xx gateway error or a connection failure. */
    public long retries() {
        return sender.retries();
    }

    /** Answers that were HTTP 429. */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** Bytes of response bodies received. */
    public long bytesRead() {
        return bytes.sum();
    }
}
