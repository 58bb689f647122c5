package org.communitypulse.alerting.internals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** POSTs one body to one URL and classifies the answer; never throws for network trouble. */
public final class WebhookSender {

    static final String USER_AGENT = "community-pulse-alerts/0.1";
    private static final int MAX_DETAIL = 300;

    private final HttpClient client;
    private final Duration requestTimeout;

    public WebhookSender(Duration connectTimeout, Duration requestTimeout) {
        // HTTP/1.1: no h2c upgrade dance with plain-http receivers; redirects are not followed because a
        // webhook that moved is a configuration error (a permanent failure), not something to chase.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * One attempt.
     *
     * @throws InterruptedException when the calling thread is interrupted (the service is stopping)
     */
    public Attempt post(URI url, String body, String deliveryId) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", USER_AGENT)
                .header(AlertFormats.DELIVERY_ID_HEADER, deliveryId)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            return new Attempt(Attempt.Kind.TRANSIENT, "connect", null, "connect timeout");
        } catch (HttpTimeoutException e) {
            return new Attempt(Attempt.Kind.TRANSIENT, "timeout", null, "no answer within " + requestTimeout);
        } catch (ConnectException e) {
            return new Attempt(Attempt.Kind.TRANSIENT, "connect", null, "connection refused or unreachable");
        } catch (IOException e) {
            // Exception messages of the JDK client can quote the URI: only the type goes out.
            return new Attempt(Attempt.Kind.TRANSIENT, "io", null, e.getClass().getSimpleName());
        }
        int status = response.statusCode();
        Attempt.Kind kind = Attempt.classify(status);
        String detail = "HTTP " + status + (kind == Attempt.Kind.DELIVERED ? "" : ": " + shorten(response.body()));
        return new Attempt(kind, kind == Attempt.Kind.DELIVERED ? "ok" : "http_" + status,
                retryAfter(response.headers().firstValue("Retry-After")), detail);
    }

    /** Retry-After in seconds (the HTTP-date form is rare for webhooks and ignored). */
    static Duration retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.get().trim());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String shorten(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "…";
    }
}
