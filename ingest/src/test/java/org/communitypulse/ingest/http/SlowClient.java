package org.communitypulse.ingest.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A hostile HTTP/1.1 client on a raw socket: sends the request head, then the body a byte at a time at a pace
 * of its choosing (or not at all), and reports what the server answered and when. Bounded: it gives up
 * after {@code patience}, and stops sending when the server answers or closes.
 */
final class SlowClient implements AutoCloseable {

    /** What came back: the status line's code (-1: none), whether the server closed, and after how long. */
    record Outcome(int status, boolean closed, Duration elapsed, String text) {
    }

    private final Socket socket;

    SlowClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
    }

    /** Writes the head of a POST declaring {@code contentLength} body bytes. */
    SlowClient head(String path, long contentLength, String... headers) throws IOException {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Sends one byte of body every {@code interval} on a background thread (none when {@code interval} is null)
     * and waits at most {@code patience} for the server to answer or close.
     */
    Outcome trickle(Duration interval, Duration patience) throws IOException, InterruptedException {
        return trickle(interval, 1, patience);
    }

    /** As {@link #trickle(Duration, Duration)}, {@code bytesPerWrite} bytes at a time. */
    Outcome trickle(Duration interval, int bytesPerWrite, Duration patience) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Thread writer = null;
        if (interval != null) {
            OutputStream out = socket.getOutputStream();
            writer = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        out.write(" ".repeat(bytesPerWrite).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(interval.toMillis());
                    }
                } catch (IOException | InterruptedException e) {
                    // The server closed the connection, or the test is over.
                }
            }, "slow-client");
            writer.setDaemon(true);
            writer.start();
        }
        try {
            return read(start, patience);
        } finally {
            if (writer != null) {
                writer.interrupt();
                writer.join(5_000);
            }
        }
    }

    private Outcome read(long start, Duration patience) throws IOException {
        socket.setSoTimeout((int) patience.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        boolean closed = false;
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    break;
                }
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // Still open after patience: the server is holding the connection.
        } catch (IOException e) {
            closed = true; // reset by the server
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        return new Outcome(status, closed, Duration.ofNanos(System.nanoTime() - start), text);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
