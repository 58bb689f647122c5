package org.communitypulse.alerting;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.schemas.config.EnvironmentVariables;

/**
 * Settings of {@link AlertDeliveryService}. Every key is also read from the environment as the key in upper
 * case with dots as underscores ({@code pulse.alerts.receivers} is {@code PULSE_ALERTS_RECEIVERS}).
 *
 * <p>Receiver URLs can be secrets (a Slack incoming-webhook URL is its own credential): an entry may name an
 * environment variable ({@code env:VAR}) or a file ({@code file:/run/secrets/x}) instead of the URL, and no
 * error message or log line of this class or the service ever contains a URL's path or query.
 */
public final class AlertDeliveryConfig extends AbstractConfig {

    public static final String RECEIVERS_CONFIG = "pulse.alerts.receivers";
    public static final String RECEIVERS_DOC = "Comma-separated receivers, each <name>=<format>:<location>: format "
            + "slack or json; location an http(s) URL, env:<VARIABLE> (the URL is in that environment variable) or "
            + "file:<path> (the URL is in that file). E.g. ops=slack:env:PULSE_SLACK_WEBHOOK_URL,"
            + "audit=json:http://audit:8080/alerts. Each receiver has its own consumer group and offsets. Empty: "
            + "nothing is delivered, only the firing gauge is served.";

    public static final String GROUP_ID_PREFIX_CONFIG = "pulse.alerts.group.id.prefix";
    public static final String GROUP_ID_PREFIX_DOC = "Consumer group of receiver <name> is <prefix><name>; its "
            + "committed offset is the receiver's delivery position.";
    public static final String GROUP_ID_PREFIX_DEFAULT = "pulse-alerts-";

    public static final String START_FROM_CONFIG = "pulse.alerts.start.from";
    public static final String START_FROM_DOC = "Where a receiver without a committed offset (a new one) starts: "
            + "earliest (every alert still in the topic) or latest (only alerts written from now on).";
    public static final String START_FROM_DEFAULT = "earliest";

    public static final String CONNECT_TIMEOUT_MS_CONFIG = "pulse.alerts.connect.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS_DOC = "TCP connect timeout of one delivery attempt.";
    public static final int CONNECT_TIMEOUT_MS_DEFAULT = 5_000;

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "pulse.alerts.request.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_DOC = "How long one attempt waits for the receiver's answer "
            + "before it counts as a timeout and is retried.";
    public static final int REQUEST_TIMEOUT_MS_DEFAULT = 10_000;

    public static final String BACKOFF_INITIAL_MS_CONFIG = "pulse.alerts.backoff.initial.ms";
    public static final String BACKOFF_INITIAL_MS_DOC = "Wait before the first retry.";
    public static final long BACKOFF_INITIAL_MS_DEFAULT = 1_000;

    public static final String BACKOFF_MAX_MS_CONFIG = "pulse.alerts.backoff.max.ms";
    public static final String BACKOFF_MAX_MS_DOC = "Longest wait between two attempts (also caps Retry-After).";
    public static final long BACKOFF_MAX_MS_DEFAULT = 300_000;

    public static final String BACKOFF_MULTIPLIER_CONFIG = "pulse.alerts.backoff.multiplier";
    public static final String BACKOFF_MULTIPLIER_DOC = "Factor by which the wait grows after each failed attempt.";
    public static final double BACKOFF_MULTIPLIER_DEFAULT = 2.0;

    public static final String BACKOFF_JITTER_CONFIG = "pulse.alerts.backoff.jitter";
    public static final String BACKOFF_JITTER_DOC = "Share of each wait that is random: a wait w becomes a uniform "
            + "value in [w*(1-jitter), w], so receivers recovering from an outage are not hit in lockstep.";
    public static final double BACKOFF_JITTER_DEFAULT = 0.5;

    public static final String HTTP_HOST_CONFIG = "pulse.alerts.http.host";
    public static final String HTTP_HOST_DOC = "Interface of the /metrics, /health and /ready endpoints. The default "
            + "accepts local clients only; set 0.0.0.0 (every interface) deliberately, e.g. in a container that "
            + "Prometheus scrapes.";
    public static final String HTTP_HOST_DEFAULT = "127.0.0.1";

    public static final String HTTP_PORT_CONFIG = "pulse.alerts.http.port";
    public static final String HTTP_PORT_DOC = "Port of the /metrics, /health and /ready endpoints; 0 picks a free "
            + "one, -1 serves none.";
    public static final int HTTP_PORT_DEFAULT = 7073;

    public static final String HTTP_IDLE_TIMEOUT_MS_CONFIG = "pulse.alerts.http.idle.timeout.ms";
    public static final String HTTP_IDLE_TIMEOUT_MS_DOC = "A connection to those endpoints with nothing arriving for "
            + "this long is closed.";
    public static final int HTTP_IDLE_TIMEOUT_MS_DEFAULT = 15_000;

    public static final String ROUTING_DEFAULT_RECEIVER_CONFIG = "pulse.alerts.routing.default.receiver";
    public static final String ROUTING_DEFAULT_RECEIVER_DOC = "Receiver that gets an alert whose community has no "
            + "holder with a channel in any of the owner roles (the alert is then flagged unowned). Setting it turns "
            + "owner routing on: this receiver and every receiver named in the owner channels get only the alerts "
            + "routed to them; the other receivers keep getting every alert. Empty: no routing.";

    public static final String ROUTING_OWNERS_CONFIG = "pulse.alerts.routing.owners";
    public static final String ROUTING_OWNERS_DOC = "Owner channels, comma-separated <member>=<receiver> or "
            + "<community>/<member>=<receiver> (the community-scoped entry wins): where a role holder hears of "
            + "alerts. <member> is the memberId of pulse.members.roles; <receiver> a name in pulse.alerts.receivers "
            + "(whose URL stays in env: or file:).";

    public static final String ROUTING_OWNERS_FILE_CONFIG = "pulse.alerts.routing.owners.file";
    public static final String ROUTING_OWNERS_FILE_DOC = "File of more owner channels, one <member>=<receiver> or "
            + "<community>/<member>=<receiver> per line (blank lines and # comments ignored), read at start. Empty: "
            + "none.";

    public static final String ROUTING_ROLES_CONFIG = "pulse.alerts.routing.roles";
    public static final String ROUTING_ROLES_DOC = "Owner roles in order (ids of roles.yaml; a level id such as "
            + "account-manager counts its holders too): an alert goes to the channels of the holders of the first "
            + "role that has a holder with a channel.";
    public static final List<String> ROUTING_ROLES_DEFAULT = List.of("community-manager", "account-manager",
            "sponsor");

    /** Prefix of every key, and (upper-cased) of the environment variables. */
    public static final String PREFIX = "pulse.alerts.";

    private static final String ENV_SCHEME = "env:";
    private static final String FILE_SCHEME = "file:";
    private static final ConfigDef CONFIG = define();

    public AlertDeliveryConfig(Map<String, ?> props) {
        // doLog=false: a receiver entry may hold a secret URL and AbstractConfig would log it.
        super(CONFIG, props, false);
        if (getLong(BACKOFF_MAX_MS_CONFIG) < getLong(BACKOFF_INITIAL_MS_CONFIG)) {
            throw new ConfigException(BACKOFF_MAX_MS_CONFIG + " must be at least " + BACKOFF_INITIAL_MS_CONFIG);
        }
        Set<String> names = new HashSet<>();
        for (String entry : getList(RECEIVERS_CONFIG)) {
            String name = split(entry)[0];
            if (!names.add(name)) {
                throw new ConfigException(RECEIVERS_CONFIG + ": receiver " + name + " is listed twice");
            }
        }
    }

    private static ConfigDef define() {
        return new ConfigDef()
                .define(RECEIVERS_CONFIG, Type.LIST, List.of(), new ReceiversValidator(),
                        Importance.HIGH, RECEIVERS_DOC)
                .define(GROUP_ID_PREFIX_CONFIG, Type.STRING, GROUP_ID_PREFIX_DEFAULT, new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, GROUP_ID_PREFIX_DOC)
                .define(START_FROM_CONFIG, Type.STRING, START_FROM_DEFAULT,
                        ConfigDef.CaseInsensitiveValidString.in("earliest", "latest"), Importance.MEDIUM,
                        START_FROM_DOC)
                .define(CONNECT_TIMEOUT_MS_CONFIG, Type.INT, CONNECT_TIMEOUT_MS_DEFAULT, Range.between(10, 600_000),
                        Importance.LOW, CONNECT_TIMEOUT_MS_DOC)
                .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, REQUEST_TIMEOUT_MS_DEFAULT, Range.between(10, 600_000),
                        Importance.MEDIUM, REQUEST_TIMEOUT_MS_DOC)
                .define(BACKOFF_INITIAL_MS_CONFIG, Type.LONG, BACKOFF_INITIAL_MS_DEFAULT, Range.atLeast(1),
                        Importance.MEDIUM, BACKOFF_INITIAL_MS_DOC)
                .define(BACKOFF_MAX_MS_CONFIG, Type.LONG, BACKOFF_MAX_MS_DEFAULT, Range.atLeast(1), Importance.MEDIUM,
                        BACKOFF_MAX_MS_DOC)
                .define(BACKOFF_MULTIPLIER_CONFIG, Type.DOUBLE, BACKOFF_MULTIPLIER_DEFAULT, Range.between(1, 10),
                        Importance.LOW, BACKOFF_MULTIPLIER_DOC)
                .define(BACKOFF_JITTER_CONFIG, Type.DOUBLE, BACKOFF_JITTER_DEFAULT, Range.between(0, 1),
                        Importance.LOW, BACKOFF_JITTER_DOC)
                .define(HTTP_HOST_CONFIG, Type.STRING, HTTP_HOST_DEFAULT, new ConfigDef.NonEmptyString(),
                        Importance.LOW, HTTP_HOST_DOC)
                .define(HTTP_PORT_CONFIG, Type.INT, HTTP_PORT_DEFAULT, Range.between(-1, 65_535), Importance.MEDIUM,
                        HTTP_PORT_DOC)
                .define(HTTP_IDLE_TIMEOUT_MS_CONFIG, Type.INT, HTTP_IDLE_TIMEOUT_MS_DEFAULT, Range.between(100, 600_000),
                        Importance.LOW, HTTP_IDLE_TIMEOUT_MS_DOC)
                .define(ROUTING_DEFAULT_RECEIVER_CONFIG, Type.STRING, "", Importance.HIGH,
                        ROUTING_DEFAULT_RECEIVER_DOC)
                .define(ROUTING_OWNERS_CONFIG, Type.LIST, List.of(), Importance.HIGH, ROUTING_OWNERS_DOC)
                .define(ROUTING_OWNERS_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM, ROUTING_OWNERS_FILE_DOC)
                .define(ROUTING_ROLES_CONFIG, Type.LIST, ROUTING_ROLES_DEFAULT, new ConfigDef.NonEmptyString() {
                    @Override
                    public void ensureValid(String name, Object value) {
                        if (((List<?>) value).isEmpty()) {
                            throw new ConfigException(name + " needs at least one role");
                        }
                    }

                    @Override
                    public String toString() {
                        return "non-empty list of role ids";
                    }
                }, Importance.MEDIUM, ROUTING_ROLES_DOC);
    }

    /** Checks the shape of every entry; messages name the entry, never its location (it may be a secret). */
    private static final class ReceiversValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String key, Object value) {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            validateReceivers(key, entries);
        }

        @Override
        public String toString() {
            return "<name>=<slack|json>:<http(s) URL|env:VARIABLE|file:path>, ...";
        }
    }

    private static void validateReceivers(String key, List<String> entries) {
        for (String entry : entries) {
            String[] parts = split(entry);
            if (!Receiver.NAME.matcher(parts[0]).matches()) {
                throw new ConfigException(key + ": receiver name '" + parts[0] + "' must match "
                        + Receiver.NAME.pattern());
            }
            try {
                ReceiverFormat.parse(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": receiver " + parts[0] + ": " + e.getMessage());
            }
            String location = parts[2];
            if (!location.startsWith(ENV_SCHEME) && !location.startsWith(FILE_SCHEME)
                    && !location.startsWith("http://") && !location.startsWith("https://")) {
                throw new ConfigException(key + ": receiver " + parts[0]
                        + ": location must be an http(s) URL, env:<VARIABLE> or file:<path>");
            }
        }
    }

    /** {@code name=format:location} into its three parts. */
    private static String[] split(String entry) {
        int eq = entry.indexOf('=');
        int colon = eq < 0 ? -1 : entry.indexOf(':', eq);
        if (eq <= 0 || colon < 0 || colon == entry.length() - 1) {
            // Only the part before '=' may be shown: the rest can be a secret URL.
            String shown = eq > 0 ? entry.substring(0, eq).trim() : "#" + Math.abs(entry.hashCode() % 1000);
            throw new ConfigException(RECEIVERS_CONFIG + ": entry " + shown
                    + " is not <name>=<slack|json>:<url|env:VAR|file:path>");
        }
        return new String[] {entry.substring(0, eq).trim(), entry.substring(eq + 1, colon).trim(),
                entry.substring(colon + 1).trim()};
    }

    /** The definition, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** {@code PULSE_ALERTS_RECEIVERS} for {@code pulse.alerts.receivers}, by {@link EnvironmentVariables#variable}. */
    public static String environmentVariable(String key) {
        return EnvironmentVariables.variable(key);
    }

    /** The settings that {@code environment} holds, by {@link #environmentVariable}; other variables are ignored. */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        return EnvironmentVariables.settings(CONFIG, environment);
    }

    /**
     * The receivers with their URLs resolved: {@code env:VAR} from {@code environment}, {@code file:path} read
     * now (trimmed).
     *
     * @throws ConfigException naming the receiver and the variable or file, never the URL
     */
    public List<Receiver> receivers(Map<String, String> environment) {
        List<Receiver> receivers = new ArrayList<>();
        for (String entry : getList(RECEIVERS_CONFIG)) {
            String[] parts = split(entry);
            String name = parts[0];
            String url = resolve(name, parts[2], environment);
            URI uri;
            try {
                uri = URI.create(url);
                receivers.add(new Receiver(name, ReceiverFormat.parse(parts[1]), uri));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(RECEIVERS_CONFIG + ": receiver " + name
                        + ": the URL is not an absolute http(s) URL");
            }
        }
        return List.copyOf(receivers);
    }

    private static String resolve(String name, String location, Map<String, String> environment) {
        if (location.startsWith(ENV_SCHEME)) {
            String variable = location.substring(ENV_SCHEME.length());
            String value = environment.get(variable);
            if (value == null || value.isBlank()) {
                throw new ConfigException(RECEIVERS_CONFIG + ": receiver " + name + ": environment variable "
                        + variable + " is not set");
            }
            return value.trim();
        }
        if (location.startsWith(FILE_SCHEME)) {
            String file = location.substring(FILE_SCHEME.length());
            try {
                String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
                if (value.isEmpty()) {
                    throw new ConfigException(RECEIVERS_CONFIG + ": receiver " + name + ": file " + file + " is empty");
                }
                return value;
            } catch (IOException e) {
                throw new ConfigException(RECEIVERS_CONFIG + ": receiver " + name + ": cannot read file " + file
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return location;
    }

    /**
     * The owner routing, checked against {@code receivers}: empty when no default receiver is set.
     *
     * @throws ConfigException for a malformed channel entry, an unknown receiver, or channels without a default
     */
    public java.util.Optional<OwnerRouting> routing(List<Receiver> receivers) {
        Set<String> names = new HashSet<>();
        receivers.forEach(r -> names.add(r.name()));
        Map<String, String> channels = new TreeMap<>();
        addChannels(channels, getList(ROUTING_OWNERS_CONFIG), ROUTING_OWNERS_CONFIG, names);
        String file = getString(ROUTING_OWNERS_FILE_CONFIG).trim();
        if (!file.isEmpty()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(ROUTING_OWNERS_FILE_CONFIG + ": cannot read file " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            List<String> entries = new ArrayList<>();
            for (String line : lines) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    entries.add(trimmed);
                }
            }
            addChannels(channels, entries, ROUTING_OWNERS_FILE_CONFIG + " (" + file + ")", names);
        }
        String fallback = getString(ROUTING_DEFAULT_RECEIVER_CONFIG).trim();
        if (fallback.isEmpty()) {
            if (!channels.isEmpty()) {
                throw new ConfigException(ROUTING_OWNERS_CONFIG + " needs " + ROUTING_DEFAULT_RECEIVER_CONFIG
                        + ": where alerts of communities without an owner go");
            }
            return java.util.Optional.empty();
        }
        if (!names.contains(fallback)) {
            throw new ConfigException(ROUTING_DEFAULT_RECEIVER_CONFIG + ": " + fallback + " is not a receiver of "
                    + RECEIVERS_CONFIG);
        }
        List<String> roles = getList(ROUTING_ROLES_CONFIG).stream().map(r -> r.trim().toLowerCase(Locale.ROOT))
                .filter(r -> !r.isEmpty()).distinct().toList();
        return java.util.Optional.of(new OwnerRouting(roles, channels, fallback));
    }

    private static void addChannels(Map<String, String> channels, List<String> entries, String source,
                                    Set<String> receivers) {
        for (String entry : entries) {
            int eq = entry.lastIndexOf('=');
            String member = eq <= 0 ? "" : entry.substring(0, eq).trim();
            String receiver = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (member.isEmpty() || receiver.isEmpty()) {
                throw new ConfigException(source + ": entry '" + entry + "' is not <member>=<receiver>");
            }
            if (!receivers.contains(receiver)) {
                throw new ConfigException(source + ": member " + member + ": " + receiver + " is not a receiver of "
                        + RECEIVERS_CONFIG);
            }
            if (channels.put(member, receiver) != null) {
                throw new ConfigException(source + ": member " + member + " is given a channel twice");
            }
        }
    }

    /** Start of the consumer group of every receiver, and of the service's own client ids. */
    public String groupIdPrefix() {
        return getString(GROUP_ID_PREFIX_CONFIG);
    }

    public String groupId(Receiver receiver) {
        return groupIdPrefix() + receiver.name();
    }

    public String startFrom() {
        return getString(START_FROM_CONFIG).toLowerCase(Locale.ROOT);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS_CONFIG));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG));
    }

    public Duration backoffInitial() {
        return Duration.ofMillis(getLong(BACKOFF_INITIAL_MS_CONFIG));
    }

    public Duration backoffMax() {
        return Duration.ofMillis(getLong(BACKOFF_MAX_MS_CONFIG));
    }

    public double backoffMultiplier() {
        return getDouble(BACKOFF_MULTIPLIER_CONFIG);
    }

    public double backoffJitter() {
        return getDouble(BACKOFF_JITTER_CONFIG);
    }

    public String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public int httpIdleTimeoutMs() {
        return getInt(HTTP_IDLE_TIMEOUT_MS_CONFIG);
    }
}
