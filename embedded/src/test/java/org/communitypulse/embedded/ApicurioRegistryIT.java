package org.communitypulse.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ApicurioRegistry registry;

    @BeforeAll
    static void startRegistry() {
        long start = System.nanoTime();
        registry = ApicurioRegistry.start();
        System.out.printf("Apicurio Registry started in %d ms, pid %d, RSS %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), registry.pid(), rss(registry.pid()));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static String schema(String recordName) {
        return "{\"type\":\"record\",\"name\":\"" + recordName + "\",\"namespace\":\"test\","
                + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    }

    @Test
    void shouldReturnTheSameIdWhenTheSameSchemaIsRegisteredTwice() throws Exception {
        String subject = "t-" + UUID.randomUUID() + "-value";

        int first = register(registry, subject, schema("Same"));
        int second = register(registry, subject, schema("Same"));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldServeTheSchemaByIdWhenItWasRegistered() throws Exception {
        int id = register(registry, "t-value", schema("ById"));

        HttpResponse<String> response = get(registry.ccompatUrl() + "/schemas/ids/" + id);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ById");
    }

    @Test
    void shouldAnswer404WhenTheIdIsUnknown() throws Exception {
        HttpResponse<String> response = get(registry.ccompatUrl() + "/schemas/ids/987654321");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("40403");
    }

    @Test
    void shouldUseBackwardCompatibilityWhenStarted() throws Exception {
        HttpResponse<String> response = get(registry.ccompatUrl() + "/config");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("BACKWARD");
    }

    @Test
    void shouldRejectAnIncompatibleSchemaWhenBackwardIsTheGlobalLevel() throws Exception {
        String subject = "t-" + UUID.randomUUID() + "-value";
        register(registry, subject, schema("Evolving"));
        // A new field without a default: readers of the new schema cannot read old data.
        String incompatible = "{\"type\":\"record\",\"name\":\"Evolving\",\"namespace\":\"test\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"extra\",\"type\":\"int\"}]}";

        HttpResponse<String> response = post(registry.ccompatUrl() + "/subjects/" + subject + "/versions",
                body(incompatible));

        assertThat(response.statusCode()).isEqualTo(409);
    }

    @Test
    void shouldKeepSchemasWhenRestartedOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        String subject = "persist-" + UUID.randomUUID() + "-value";
        int id;
        try (ApicurioRegistry first = ApicurioRegistry.start(dataDir)) {
            id = register(first, subject, schema("Persisted"));
        }

        try (ApicurioRegistry second = ApicurioRegistry.start(dataDir)) {
            HttpResponse<String> response = get(second.ccompatUrl() + "/schemas/ids/" + id);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Persisted");
            assertThat(register(second, subject, schema("Persisted"))).isEqualTo(id);
        }
        assertThat(Files.list(dataDir)).anyMatch(p -> p.getFileName().toString().startsWith("registry"));
    }

    @Test
    void shouldStopTheProcessWhenClosed() {
        ApicurioRegistry extra = ApicurioRegistry.start();
        ProcessHandle handle = ProcessHandle.of(extra.pid()).orElseThrow();

        extra.close();

        assertThat(handle.isAlive()).isFalse();
        assertThat(extra.isAlive()).isFalse();
    }

    @Test
    void shouldExplainWhenTheRunnerJarIsMissing(@TempDir Path empty) {
        assertThatThrownBy(() -> ApicurioRegistry.builder().runnerJar(empty).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runner.jar");
    }

    @Test
    void shouldIncludeTheLogTailWhenTheRegistryDiesDuringStart() {
        // An invalid heap size makes the child JVM exit at once with a message on its output.
        assertThatThrownBy(() -> ApicurioRegistry.builder().maxHeap("not-a-size").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("Invalid maximum heap size");
    }

    private static int register(ApicurioRegistry target, String subject, String schema)
            throws IOException, InterruptedException {
        HttpResponse<String> response = post(target.ccompatUrl() + "/subjects/" + subject + "/versions",
                body(schema));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher matcher = ID.matcher(response.body());
        assertThat(matcher.find()).as(response.body()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static String body(String schema) {
        return "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
    }

    private static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", ApicurioRegistry.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS")).findFirst().orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }
}
