package org.communitypulse.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryingSenderTest {

    /** Retry settings of a test: three retries, backoff 10 ms doubling to 25 ms. */
    private record Patience(int maxRetries) implements ApiPatience {

        @Override
        public Duration requestTimeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration initialBackoff() {
            return Duration.ofMillis(10);
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofMillis(25);
        }
    }

    /** Reads 200 as done, 503 as worth a retry (after the body's wait, in ms, when it is a number). */
    private static class Reading extends RetryingSender.Exchange<String> {

        final List<Integer> attemptsSeen = new ArrayList<>();
        int beforeAttempts;

        Reading() {
            super("GET /thing", "for the test API");
        }

        @Override
        protected void beforeAttempt() {
            beforeAttempts++;
        }

        @Override
        protected RetryingSender.Outcome<String> read(HttpResponse<byte[]> response, int attempts,
                                                      boolean lastAttempt) {
            attemptsSeen.add(attempts);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() == 200) {
                return RetryingSender.Outcome.done(body);
            }
            if (response.statusCode() != 503 || lastAttempt) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " after " + attempts);
            }
            if (body.equals("now")) {
                return RetryingSender.Outcome.retryWithoutWait();
            }
            return RetryingSender.Outcome.retry(body.isEmpty() ? null : Duration.ofMillis(Long.parseLong(body)));
        }

        @Override
        protected RuntimeException error(String message, Exception cause) {
            return new IllegalStateException(message, cause);
        }
    }

    private final ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger served = new AtomicInteger();
    private final List<Duration> waits = new ArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Each answer is "<status> <body>"; the last one repeats.
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            String answer = answers.size() > 1 ? answers.poll() : answers.peek();
            int space = answer.indexOf(' ');
            byte[] body = answer.substring(space + 1).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer.substring(0, space)), body.length == 0 ? -1
                    : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private RetryingSender sender(int maxRetries) {
        return new RetryingSender(new Patience(maxRetries), HttpClient.Redirect.NEVER, waits::add);
    }

    private HttpRequest request(URI base) {
        return HttpRequest.newBuilder(base.resolve("/thing")).GET().build();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void shouldWaitTheHintElseTheBackoffDoublingToItsMaximumWhenAnswersAreRetriable() {
        answers.addAll(List.of("503 ", "503 7", "503 ", "503 ", "200 done"));
        RetryingSender sender = sender(4);
        Reading reading = new Reading();

        assertThat(sender.send(request(base()), reading)).isEqualTo("done");

        // backoff 10, hint 7 (the backoff still doubles to 20), then 25 (capped) twice
        assertThat(waits).containsExactly(Duration.ofMillis(10), Duration.ofMillis(7), Duration.ofMillis(25),
                Duration.ofMillis(25));
        assertThat(reading.attemptsSeen).containsExactly(1, 2, 3, 4, 5);
        assertThat(reading.beforeAttempts).isEqualTo(5);
        assertThat(sender.requests()).isEqualTo(5);
        assertThat(sender.retries()).isEqualTo(4);
    }

    @Test
    void shouldNotSleepButCountTheRetryWhenTheClientWaitsItself() {
        answers.addAll(List.of("503 now", "200 done"));
        RetryingSender sender = sender(2);

        assertThat(sender.send(request(base()), new Reading())).isEqualTo("done");

        assertThat(waits).isEmpty();
        assertThat(sender.retries()).isEqualTo(1);
    }

    @Test
    void shouldLetTheClientFailWhenRetriesRunOut() {
        answers.add("503 ");
        RetryingSender sender = sender(2);

        assertThatThrownBy(() -> sender.send(request(base()), new Reading()))
                .isInstanceOf(IllegalStateException.class).hasMessage("HTTP 503 after 3");
        assertThat(served).hasValue(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void shouldRetryAConnectionFailureThenNameTheRequestAndAttemptsInTheClientsException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RetryingSender sender = sender(1);

        assertThatThrownBy(() -> sender.send(request(URI.create("http://127.0.0.1:" + closedPort)), new Reading()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("GET /thing failed after 2 attempts: ")
                .hasCauseInstanceOf(IOException.class);
        assertThat(waits).containsExactly(Duration.ofMillis(10));
        assertThat(sender.requests()).isEqualTo(2);
    }

    @Test
    void shouldEndTheWaitWithTheClientsExceptionWhenInterrupted() {
        answers.add("503 ");
        RetryingSender sender = new RetryingSender(new Patience(3), HttpClient.Redirect.NEVER, wait -> {
            throw new InterruptedException("stopping");
        });
        try {
            assertThatThrownBy(() -> sender.send(request(base()), new Reading()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Interrupted while waiting for the test API");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shouldRefuseARetryAfterTheLastAttempt() {
        answers.add("503 now");
        RetryingSender sender = sender(0);
        RetryingSender.Exchange<String> careless = new Reading() {
            @Override
            protected RetryingSender.Outcome<String> read(HttpResponse<byte[]> response, int attempts,
                                                          boolean lastAttempt) {
                return RetryingSender.Outcome.retryWithoutWait();
            }
        };

        assertThatThrownBy(() -> sender.send(request(base()), careless))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("after its last attempt");
        assertThat(served).hasValue(1);
    }
}
