package org.communitypulse.schemas.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one mapping between configuration keys and {@code PULSE_*} environment variables, shared by every
 * {@code *Config} that can be set from the environment (a container or Kubernetes manifest sets variables, not
 * properties files).
 *
 * <ul>
 *   <li>A key's variable is the key in upper case with dots and dashes as underscores, behind {@value #PREFIX}:
 *       {@code topic.prefix} is {@code PULSE_TOPIC_PREFIX}. A key that already starts with {@code pulse.} is not
 *       prefixed twice: {@code pulse.alerts.receivers} is {@code PULSE_ALERTS_RECEIVERS}.</li>
 *   <li>A secret (a {@link ConfigDef.Type#PASSWORD} key) can instead come from the file that
 *       {@code <VARIABLE>}{@value #FILE_SUFFIX} names, as Docker and Kubernetes mount secrets. Giving both is an
 *       error: silently preferring one would hide a misconfiguration.</li>
 *   <li>Variables that name no key are ignored, so one environment can configure every command.</li>
 * </ul>
 *
 * <p>Errors name variables and files, never a value: the value may be a secret.
 */
public final class EnvironmentVariables {

    /** Start of every variable of the pipeline. */
    public static final String PREFIX = "PULSE_";
    /** Suffix of the variable naming a file that holds a secret. */
    public static final String FILE_SUFFIX = "_FILE";

    private static final String KEY_PREFIX = "pulse.";
    private static final String FILE_KEY_SUFFIX = ".file";

    private EnvironmentVariables() {
    }

    /** The variable that sets {@code key}: {@code PULSE_TOPIC_PREFIX} for {@code topic.prefix}. */
    public static String variable(String key) {
        String name = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return key.startsWith(KEY_PREFIX) ? name : PREFIX + name;
    }

    /**
     * The settings of {@code definition} that {@code environment} holds, by {@link #variable}, sorted by key.
     * A password key is also read from the file {@code <VARIABLE>_FILE} names, unless the definition has a
     * {@code <key>.file} key of its own (whose variable is that same name, and whose owner reads the file).
     *
     * @throws ConfigException when a secret is given both ways, or its file cannot be read or is empty
     */
    public static Map<String, String> settings(ConfigDef definition, Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        definition.configKeys().forEach((key, spec) -> {
            String variable = variable(key);
            Optional<String> value = spec.type == ConfigDef.Type.PASSWORD
                    && !definition.names().contains(key + FILE_KEY_SUFFIX)
                    ? secret(variable, environment) : Optional.empty();
            value.or(() -> Optional.ofNullable(environment.get(variable)))
                    .ifPresent(found -> settings.put(key, found));
        });
        return settings;
    }

    /**
     * Settings passed through unchecked under {@code keyPrefix}: with {@code streams.},
     * {@code PULSE_STREAMS_NUM_STREAM_THREADS=2} is {@code streams.num.stream.threads=2}. The way back from a
     * variable to a key is only safe for keys without underscores, as Kafka's are.
     */
    public static Map<String, String> passThrough(String keyPrefix, Map<String, String> environment) {
        String start = variable(keyPrefix);
        Map<String, String> settings = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(start) && name.length() > start.length()) {
                settings.put(keyPrefix + name.substring(start.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                        value);
            }
        });
        return settings;
    }

    /**
     * The secret that {@code variable} holds, or the content of the file that {@code <variable>_FILE} names
     * (stripped: files written by {@code echo} end with a newline that is not part of the secret). A blank
     * variable counts as unset. Read on each call, so a rotated secret file is picked up.
     *
     * @throws ConfigException naming the variables and the file, never the value, when both are set or the file
     *                         cannot be read (or is not UTF-8) or is empty
     */
    public static Optional<String> secret(String variable, Map<String, String> environment) {
        String fileVariable = variable + FILE_SUFFIX;
        String direct = environment.get(variable);
        String file = environment.get(fileVariable);
        boolean hasDirect = direct != null && !direct.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasDirect && hasFile) {
            throw new ConfigException("both " + variable + " and " + fileVariable + " are set; set only one");
        }
        if (!hasFile) {
            return hasDirect ? Optional.of(direct) : Optional.empty();
        }
        String content;
        try {
            content = Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            // The class only: a decoding error's message could quote part of the file.
            throw new ConfigException("cannot read the file named by " + fileVariable + " (" + file.strip() + "): "
                    + e.getClass().getSimpleName());
        }
        if (content.isEmpty()) {
            throw new ConfigException("the file named by " + fileVariable + " (" + file.strip() + ") is empty");
        }
        return Optional.of(content);
    }
}
