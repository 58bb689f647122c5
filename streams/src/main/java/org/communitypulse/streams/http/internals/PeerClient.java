package org.communitypulse.streams.http.internals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/** Asks another instance of the application over HTTP (the address it advertises as application.server). */
public final class PeerClient {

    /** Marks a request one instance sent another, so a request is forwarded at most once. */
    public static final String FORWARDED_HEADER = "X-Pulse-Forwarded";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final Optional<String> token;

    /** @param token the bearer token this instance presents (instances share their tokens); empty: none */
    public PeerClient(Optional<String> token) {
        this.token = token;
    }

    /** Status, body and Retry-After of the peer's answer. */
    public record Answer(int status, String body, Optional<String> retryAfter) {
    }

    /**
     * GETs {@code pathAndQuery} from {@code peer}.
     *
     * @throws IOException when the peer cannot be reached or does not answer in time
     */
    public Answer get(HostInfo peer, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery))
                .timeout(REQUEST_TIMEOUT).header(FORWARDED_HEADER, "1").GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
    }
}
