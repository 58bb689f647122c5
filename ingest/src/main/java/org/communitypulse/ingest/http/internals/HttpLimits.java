package org.communitypulse.ingest.http.internals;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty limits that keep a slow or oversized client from holding a request thread: the receiver reads a body
 * with a blocking read, so a sender trickling it (slowloris) would otherwise keep a thread for as long as it
 * likes, since every byte resets the idle timeout.
 */
public final class HttpLimits {

    private HttpLimits() {
    }

    /**
     * Listens on {@code host:port} only, closes a connection idle for {@code idleTimeoutMs}, fails a body that
     * arrives slower than {@code minBytesPerSecond} (0: no minimum) and answers 431 to headers over
     * {@code maxHeaderBytes}. Start the app with {@code start()} (no host or port: the connector has them).
     */
    public static void apply(JavalinConfig javalin, String host, int port, long idleTimeoutMs, long minBytesPerSecond,
                             int maxHeaderBytes) {
        javalin.jetty.modifyHttpConfiguration(http -> {
            http.setMinRequestDataRate(minBytesPerSecond);
            http.setRequestHeaderSize(maxHeaderBytes);
            http.setSendServerVersion(false);
        });
        // One connector of our own: Javalin's default one cannot be given an idle timeout.
        javalin.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleTimeoutMs);
            return connector;
        });
    }
}
