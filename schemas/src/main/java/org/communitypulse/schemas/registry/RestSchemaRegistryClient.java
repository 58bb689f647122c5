package org.communitypulse.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API (v1 media type).
 *
 * <p>Works against Confluent's server and against any registry with a Confluent-compatible API
 * (Apicurio's {@code /apis/ccompat/v7}): each base URL is used as given, with the API paths
 * appended. With several base URLs a request that cannot connect moves on to the next one; an
 * HTTP error answer does not, because another node of the same registry would answer the same.
 *
 * <p>Schemas always travel in their compact {@link Schema#toString()} form, because some
 * registries give a whitespace-different copy of a schema a new id. Answers are cached in both
 * directions, so steady-state serialisation never touches the network.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** Media type of the Confluent REST API, version 1. */
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    /** Default time to establish a TCP connection: short, so an absent registry fails fast. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default time for a whole request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> baseUrls;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    /** Index of the base URL that last answered: later requests start there. */
    private volatile int preferred;

    private final Map<SubjectSchema, Integer> idBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    /** A client for one registry without authentication and with default timeouts. */
    public RestSchemaRegistryClient(String baseUrl) {
        this(List.of(baseUrl), null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param baseUrls       one or more base URLs of the same registry, tried in order on connection failure
     * @param userInfo       {@code user:password} for HTTP basic authentication, or null/blank for none
     * @param connectTimeout time to establish a connection
     * @param requestTimeout time for a whole request
     */
    public RestSchemaRegistryClient(List<String> baseUrls, String userInfo, Duration connectTimeout,
                                    Duration requestTimeout) {
        this(baseUrls, userInfo, null, connectTimeout, requestTimeout);
    }

    /**
     * As above, with HTTP basic authentication ({@code userInfo}) or a bearer token, at most one of them.
     *
     * @param bearerToken token sent as {@code Authorization: Bearer ...}, or null/blank for none
     */
    public RestSchemaRegistryClient(List<String> baseUrls, String userInfo, String bearerToken,
                                    Duration connectTimeout, Duration requestTimeout) {
        Objects.requireNonNull(baseUrls, "baseUrls");
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        List<String> urls = new ArrayList<>();
        for (String url : baseUrls) {
            String trimmed = url.trim();
            // Paths are appended with a leading slash, so a trailing one would double up.
            urls.add(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
        }
        this.baseUrls = List.copyOf(urls);
        this.authorization = authorizationHeader(userInfo, bearerToken);
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = HttpClient.newBuilder()
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    private static final int HTTP_CONFLICT = 409;
    private static final int HTTP_UNAUTHORIZED = 401;
    private static final int HTTP_FORBIDDEN = 403;

    /**
     * The {@code Authorization} header value for basic authentication ({@code user:password}) or a bearer
     * token, or null when neither is given.
     *
     * @throws IllegalArgumentException when both are given, or the user info has no colon
     */
    public static String authorizationHeader(String userInfo, String bearerToken) {
        boolean basic = userInfo != null && !userInfo.isBlank();
        boolean bearer = bearerToken != null && !bearerToken.isBlank();
        if (basic && bearer) {
            throw new IllegalArgumentException("schema registry: give basic authentication or a bearer token, not both");
        }
        if (basic) {
            if (userInfo.indexOf(':') < 0) {
                // The value itself is a secret: the message names its form only.
                throw new IllegalArgumentException("schema registry basic authentication must be user:password");
            }
            return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        }
        return bearer ? "Bearer " + bearerToken.strip() : null;
    }

    /** The base URLs in the order they are tried. */
    public List<String> baseUrls() {
        return baseUrls;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer;
        try {
            answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                    "schema for subject " + subject);
        } catch (SchemaRegistryException e) {
            if (e.status() != HTTP_CONFLICT) {
                throw e;
            }
            // 409 is either "incompatible" or, with Apicurio, a concurrent registration of the same
            // schema by another client. In the second case the schema is there now: look it up.
            try {
                return getId(subject, schema);
            } catch (SchemaRegistryException lookup) {
                e.addSuppressed(lookup);
                throw e;
            }
        }
        int id = requiredInt(answer, "id", "schema for subject " + subject);
        remember(key, id);
        return id;
    }

    @Override
    public int getId(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema),
                "lookup of schema under subject " + subject);
        int id = requiredInt(answer, "id", "lookup of schema under subject " + subject);
        remember(key, id);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        String what = "request for schema id " + id;
        JsonNode answer = send("GET", "/schemas/ids/" + id, null, what);
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException("Schema id " + id + " is a " + type.asText()
                    + " schema, not Avro", 200, 200, null);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("Schema registry answered the " + what
                    + " without a 'schema' field: " + answer, 200, 200, null);
        }
        Schema schema;
        try {
            // A fresh parser per schema: a shared one would refuse a second definition of a name.
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Schema id " + id + " from the registry is not valid Avro: "
                    + e.getMessage(), 200, 200, null, e);
        }
        Schema previous = schemaById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public void setCompatibility(String subject, String level) {
        String path = subject == null ? "/config" : "/config/" + encode(subject);
        String what = "compatibility level " + level + (subject == null ? " (global)" : " for subject " + subject);
        send("PUT", path, json(Map.of("compatibility", level)), what);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        String what = "compatibility check against subject " + subject;
        JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                schemaBody(schema), what);
        JsonNode flag = answer.get("is_compatible");
        if (flag == null || !flag.isBoolean()) {
            throw new SchemaRegistryException("Schema registry answered the " + what
                    + " without 'is_compatible': " + answer, 200, 200, null);
        }
        return flag.booleanValue();
    }

    private void remember(SubjectSchema key, int id) {
        idBySubjectSchema.put(key, id);
        // The schema we sent is the one behind the id: spare a later GET for it.
        schemaById.putIfAbsent(id, key.schema());
    }

    /**
     * Sends one request, moving on to the next base URL while connections fail, and turns any
     * answer outside 2xx into a {@link SchemaRegistryException}.
     *
     * @param what what the request is about, for error messages ("schema for subject X")
     */
    private JsonNode send(String method, String path, String body, String what) {
        int start = preferred;
        List<String> failures = new ArrayList<>();
        IOException lastFailure = null;
        for (int i = 0; i < baseUrls.size(); i++) {
            int index = (start + i) % baseUrls.size();
            String base = baseUrls.get(index);
            HttpResponse<String> response;
            try {
                response = http.send(request(method, base + path, body), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(base + " (" + describe(e) + ")");
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while waiting for schema registry at " + base
                        + " (" + what + ")", SchemaRegistryException.NO_STATUS, SchemaRegistryException.NO_STATUS,
                        null, e);
            }
            preferred = index;
            return answer(base, response, what);
        }
        throw new SchemaRegistryException("Cannot reach schema registry at " + String.join(", ", failures)
                + " for the " + what, SchemaRegistryException.NO_STATUS, SchemaRegistryException.NO_STATUS,
                null, lastFailure);
    }

    private HttpRequest request(String method, String url, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Accept", MEDIA_TYPE);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", MEDIA_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private JsonNode answer(String base, HttpResponse<String> response, String what) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        JsonNode node = null;
        try {
            node = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (status / 100 == 2) {
                throw new SchemaRegistryException("Schema registry at " + base + " answered the " + what
                        + " with invalid JSON: " + abbreviate(text), status, status, null, e);
            }
        }
        if (status / 100 == 2) {
            return node;
        }
        int errorCode = status;
        String message = abbreviate(text);
        if (node != null && node.isObject()) {
            JsonNode code = node.get("error_code");
            if (code != null && code.canConvertToInt()) {
                errorCode = code.intValue();
            }
            JsonNode msg = node.get("message");
            if (msg != null && msg.isTextual()) {
                message = msg.asText();
            }
        }
        String hint = "";
        if (status == HTTP_UNAUTHORIZED || status == HTTP_FORBIDDEN) {
            hint = authorization == null
                    ? " (the registry wants credentials and none were given: basic authentication user:password "
                    + "or a bearer token)"
                    : " (the credentials given were refused)";
        }
        throw new SchemaRegistryException("Schema registry at " + base + " rejected " + what + ": " + status
                + (errorCode != status ? " (error_code " + errorCode + ")" : "") + " " + message + hint,
                status, errorCode, message);
    }

    private static String schemaBody(Schema schema) {
        // Compact form: pretty-printed or reordered copies may be given a new id by some registries.
        return json(Map.of("schema", schema.toString()));
    }

    private static String json(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a map of strings as JSON", e);
        }
    }

    private static int requiredInt(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("Schema registry answered the " + what + " without '" + field
                    + "': " + answer, 200, 200, null);
        }
        return value.intValue();
    }

    private static String encode(String subject) {
        Objects.requireNonNull(subject, "subject");
        // URLEncoder is for forms: a space must be %20 in a path, not '+'.
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    /** Cache key: ids are asked for per subject, so they are cached per subject too. */
    private record SubjectSchema(String subject, Schema schema) {
    }
}
