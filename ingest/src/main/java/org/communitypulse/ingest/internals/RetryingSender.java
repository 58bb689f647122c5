package org.communitypulse.ingest.internals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request loop the platform API clients share: sends, and after a connection failure or an answer the client
 * calls retriable waits (the API's hint, else a backoff doubling up to a maximum) and sends again, at most
 * {@code maxRetries} times.
 *
 * <p>Redirects are followed here, not by {@link HttpClient}: the JDK client copies every header of the request,
 * {@code Authorization} and Discourse's {@code Api-Key} included, to whatever host a redirect names. Here a
 * redirect to another origin (scheme, host or port) is followed without the {@link #CREDENTIAL_HEADERS}, and at
 * most {@value #MAX_REDIRECTS} redirects are followed. What an answer means, which failures are worth a retry and what each failure says stay
 * with each client, in its {@link Exchange}. Every wait goes through the {@link Sleeper}, so a stopping task ends it.
 */
public final class RetryingSender {

    /** One request of a client: its reading of the answers, and its exception. */
    public abstract static class Exchange<T> {

        private final String request;
        private final String interruptedWaiting;

        /**
         * @param request    the request in a message, e.g. {@code GET <url>} (never with a secret)
         * @param waitingFor what a wait is for in a message, e.g. {@code for the GitHub API}
         */
        protected Exchange(String request, String waitingFor) {
            this.request = request;
            this.interruptedWaiting = "Interrupted while waiting " + waitingFor;
        }

        /** Before every attempt, e.g. a client's own pace or waiting out a spent limit (with {@link #sleep}). */
        protected void beforeAttempt() {
        }

        /**
         * The result of an answer, or {@link Outcome#retry} to send again. Throws the client's exception for an
         * answer no retry can mend, and for a retriable one when {@code lastAttempt}.
         *
         * @param attempts the attempts made so far, this one included
         */
        protected abstract Outcome<T> read(HttpResponse<byte[]> response, int attempts, boolean lastAttempt);

        /** The client's exception for a connection that kept failing (an IOException) or an interrupt. */
        protected abstract RuntimeException error(String message, Exception cause);
    }

    /**
     * What {@link Exchange#read} decided: a result, or another attempt, after a wait when {@code waits} (for
     * {@code hint}, or the backoff when it is null). Made by the factories below.
     */
    public record Outcome<T>(T value, boolean retry, boolean waits, Duration hint) {

        public static <T> Outcome<T> done(T value) {
            return new Outcome<>(value, false, false, null);
        }

        /** Another attempt after {@code hint}, or after the backoff when {@code hint} is null. */
        public static <T> Outcome<T> retry(Duration hint) {
            return new Outcome<>(null, true, true, hint);
        }

        /** Another attempt without a wait here: the client waits in {@link Exchange#beforeAttempt} itself. */
        public static <T> Outcome<T> retryWithoutWait() {
            return new Outcome<>(null, true, false, null);
        }
    }

    /** Headers that carry a credential (lower case): never sent to an origin the client was not configured with. */
    public static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "api-key", "api-username");
    /** Redirects followed for one attempt; more is a loop or a misconfigured server. */
    public static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final boolean followRedirects;
    private final Sleeper sleeper;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();

    /** Connects within the request timeout; {@code redirects}: whether the API's redirects are followed. */
    public RetryingSender(ApiPatience patience, HttpClient.Redirect redirects, Sleeper sleeper) {
        this.http = HttpClient.newBuilder().connectTimeout(patience.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.followRedirects = redirects != HttpClient.Redirect.NEVER;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.maxRetries = patience.maxRetries();
        this.initialBackoff = Objects.requireNonNull(patience.initialBackoff(), "initialBackoff");
        this.maxBackoff = Objects.requireNonNull(patience.maxBackoff(), "maxBackoff");
    }

    /** Sends {@code request} until {@code exchange} reads a result from an answer, or throws. */
    public <T> T send(HttpRequest request, Exchange<T> exchange) {
        Duration backoff = initialBackoff;
        for (int attempt = 0; ; attempt++) {
            exchange.beforeAttempt();
            requests.increment();
            boolean lastAttempt = attempt >= maxRetries;
            HttpResponse<byte[]> response;
            try {
                response = sendFollowingRedirects(request);
            } catch (IOException e) {
                if (lastAttempt) {
                    throw exchange.error(exchange.request + " failed after " + (attempt + 1) + " attempts: " + e, e);
                }
                backoff = pause(backoff, true, null, exchange);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw exchange.error(exchange.request + " interrupted", e);
            }
            Outcome<T> outcome = exchange.read(response, attempt + 1, lastAttempt);
            if (!outcome.retry()) {
                return outcome.value();
            }
            if (lastAttempt) {
                throw new IllegalStateException("asked to retry " + request.method() + " after its last attempt");
            }
            backoff = pause(backoff, outcome.waits(), outcome.hint(), exchange);
        }
    }

    private HttpResponse<byte[]> sendFollowingRedirects(HttpRequest request) throws IOException, InterruptedException {
        HttpRequest current = request;
        for (int redirects = 0; ; redirects++) {
            HttpResponse<byte[]> response = http.send(current, HttpResponse.BodyHandlers.ofByteArray());
            Optional<String> location = response.headers().firstValue("Location");
            if (!followRedirects || !isRedirect(response.statusCode()) || location.isEmpty()
                    || redirects >= MAX_REDIRECTS) {
                return response;
            }
            URI target;
            try {
                target = current.uri().resolve(location.get());
            } catch (IllegalArgumentException e) {
                return response;
            }
            if (!"http".equalsIgnoreCase(target.getScheme()) && !"https".equalsIgnoreCase(target.getScheme())) {
                return response;
            }
            current = redirected(current, response.statusCode(), target, sameOrigin(request.uri(), target));
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** As HttpClient's own NORMAL policy: 303, and 301/302 after a POST, become a GET without a body. */
    private static HttpRequest redirected(HttpRequest request, int status, URI target, boolean sameOrigin) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request,
                (name, value) -> sameOrigin || !CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
        builder.uri(target);
        if (status == 303 || (status == 301 || status == 302) && "POST".equals(request.method())) {
            builder.GET();
        }
        return builder.build();
    }

    /** Origin of RFC 6454: scheme, host and port (default ports made explicit). */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** When {@code waits}: waits for {@code hint} when given, else for {@code backoff}. Returns the next backoff. */
    private Duration pause(Duration backoff, boolean waits, Duration hint, Exchange<?> exchange) {
        retries.increment();
        if (waits) {
            sleep(hint != null ? hint : backoff, exchange);
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
    }

    /** Waits {@code wait} through the sleeper; an interrupt becomes the exchange's exception. */
    public void sleep(Duration wait, Exchange<?> exchange) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw exchange.error(exchange.interruptedWaiting, e);
        }
    }

    /** Requests sent, retries included. */
    public long requests() {
        return requests.sum();
    }

    /** Requests repeated after a connection failure or an answer worth a retry. */
    public long retries() {
        return retries.sum();
    }
}
