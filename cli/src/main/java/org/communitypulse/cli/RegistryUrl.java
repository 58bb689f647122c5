package org.communitypulse.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Makes one registry URL work against both registries the project meets: Confluent Schema Registry
 * serves its REST API at the root ({@code http://host:8081}), Apicurio (the local {@code pulse run})
 * serves the same API under {@value #APICURIO_CCOMPAT_PATH}. A URL without a path is probed once: it
 * is kept when {@code GET /subjects} answers a JSON array, else the Apicurio path is used when that
 * answers one. A URL with a path, or one nothing answers at (the first use then reports the error),
 * is kept as given. Comma-separated URLs are resolved one by one.
 */
public final class RegistryUrl {

    static final String APICURIO_CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private RegistryUrl() {
    }

    /** {@code urls} completed as described above. */
    public static String resolve(String urls) {
        return resolve(urls, null);
    }

    /** As above, probing with {@code authorization} as the Authorization header (null: none). */
    static String resolve(String urls, String authorization) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return Arrays.stream(urls.split(",")).map(String::trim).filter(u -> !u.isEmpty())
                .map(u -> resolveOne(http, u, authorization)).collect(Collectors.joining(","));
    }

    private static String resolveOne(HttpClient http, String url, String authorization) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return url;
        }
        boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        String path = uri.getRawPath();
        if (!web || uri.getHost() == null || path != null && !path.isEmpty() && !path.equals("/")) {
            return url;
        }
        String root = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (answersSubjects(http, root, authorization)) {
            return root;
        }
        String apicurio = root + APICURIO_CCOMPAT_PATH;
        return answersSubjects(http, apicurio, authorization) ? apicurio : url;
    }

    /** Whether {@code base/subjects} answers like Confluent's API: 200 with a JSON array. */
    private static boolean answersSubjects(HttpClient http, String base, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/subjects")).timeout(TIMEOUT)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().stripLeading().startsWith("[");
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
