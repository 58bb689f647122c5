package org.communitypulse.alerting;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.communitypulse.alerting.internals.AlertFormats;

/**
 * A local webhook receiver (JDK HttpServer) that records every request and answers what the test scripts:
 * {@code answer.apply(requestNumber, deliveryId)} gives the status (1-based request numbers).
 */
final class TestReceiver implements AutoCloseable {

    /** One request as received, with the status it was answered with. */
    record Request(int number, String deliveryId, String body, int status) {
    }

    static {
        // The JDK server otherwise leaves Nagle on: ~40 ms delayed-ACK stalls would dominate the latency figures.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile BiFunction<Integer, String, Integer> answer = (n, id) -> 200;

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/s3cr3t-token");
    }

    void answer(BiFunction<Integer, String, Integer> answer) {
        this.answer = answer;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String deliveryId = exchange.getRequestHeaders().getFirst(AlertFormats.DELIVERY_ID_HEADER);
        int number = counter.incrementAndGet();
        int status = answer.apply(number, deliveryId);
        synchronized (requests) {
            requests.add(new Request(number, deliveryId, body, status));
        }
        byte[] reply = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Delivery ids answered with 2xx, in the order they arrived. */
    List<String> delivered() {
        return requests().stream().filter(r -> r.status() / 100 == 2).map(Request::deliveryId).toList();
    }

    /** Delivery ids acknowledged more than once, with how many times. */
    Map<String, Integer> duplicates() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String id : delivered()) {
            counts.merge(id, 1, Integer::sum);
        }
        counts.values().removeIf(count -> count == 1);
        return counts;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
