package org.communitypulse.streams.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** The tokens the HTTP tests configure, and requests that carry them. */
final class TestTokens {

    static final String READ = "read-token-for-tests-0123456789";
    static final String ADMIN = "admin-token-for-tests-0123456789";

    private TestTokens() {
    }

    static AccessTokens tokens() {
        return AccessTokens.of(READ, ADMIN);
    }

    /** Loopback on a free port, both tokens. */
    static HttpSettings settings() {
        return HttpSettings.local(0, tokens());
    }

    /** A GET of {@code path} on 127.0.0.1:{@code port} with {@code token} as bearer (none when null). */
    static HttpRequest get(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    /**
     * The raw response head and body of a request written by hand: the JDK's HTTP client will not send another Host
     * header than the URI's, which is what a DNS-rebinding page makes the browser do.
     */
    static String raw(int port, String requestHead) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
