package org.communitypulse.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.schemas.Topics;

/**
 * Settings every Community Pulse source connector shares: the community the events belong to, where they go
 * (the activity topic under a prefix, Avro in the Confluent wire format against a schema registry) and the
 * member-id hashing of {@code pulse webhooks}.
 */
public class PulseConnectConfig extends AbstractConfig {

    public static final String COMMUNITY_CONFIG = "community";
    public static final String COMMUNITY_DOC = "Community id the events are published for (the record key); "
            + "non-empty, no ':'.";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prefix of the Community Pulse topics; events go to "
            + "<prefix>activity, as with pulse import.";

    public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String REGISTRY_URL_DOC = "Schema registry base URL(s) speaking Confluent's REST API "
            + "(Confluent, Apicurio /apis/ccompat/v7, Karapace); values are Avro in the Confluent wire format.";

    public static final String REGISTRY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
    public static final String REGISTRY_USER_INFO_DOC = "user:password for HTTP basic authentication at the "
            + "registry; empty for none.";

    public static final String REGISTRY_AUTO_REGISTER_CONFIG = "schema.registry.auto.register";
    public static final String REGISTRY_AUTO_REGISTER_DOC = "Register the ActivityEvent schema when missing "
            + "(true), or only look up its id (false, for registries where producers may not register).";

    public static final String PSEUDONYM_KEY_CONFIG = "pseudonym.key";
    public static final String PSEUDONYM_KEY_DOC = "Key hashing platform member ids as pulse webhooks does "
            + "(PULSE_PSEUDONYM_KEY); empty keeps ids. Use a config provider (${file:...}) rather than the "
            + "plain key.";

    public static final String PSEUDONYM_KEY_FILE_CONFIG = "pseudonym.key.file";
    public static final String PSEUDONYM_KEY_FILE_DOC = "File holding the pseudonymisation key, instead of "
            + PSEUDONYM_KEY_CONFIG + " (not both).";

    public static final String BATCH_SIZE_CONFIG = "batch.size";
    public static final String BATCH_SIZE_DOC = "Most records one poll() hands to Connect.";
    public static final int BATCH_SIZE_DEFAULT = 500;

    /** The keys and converters every Pulse connector needs, to tell users when theirs differ. */
    public static final String VALUE_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    public static final String KEY_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";
    /**
     * The pollers' key converter: besides events they publish PlatformDayCount records keyed by an Avro
     * CommunityDayKey, so they serialize every key themselves (the community id as UTF-8, as StringConverter).
     */
    public static final String POLLER_KEY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    /** The shared definitions; each connector adds its own. */
    public static ConfigDef baseConfigDef() {
        return new ConfigDef()
                .define(COMMUNITY_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, PulseConnectConfig::community,
                        Importance.HIGH, COMMUNITY_DOC)
                .define(TOPIC_PREFIX_CONFIG, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM, TOPIC_PREFIX_DOC)
                .define(REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, PulseConnectConfig::urls,
                        Importance.HIGH, REGISTRY_URL_DOC)
                .define(REGISTRY_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.LOW, REGISTRY_USER_INFO_DOC)
                .define(REGISTRY_AUTO_REGISTER_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                        REGISTRY_AUTO_REGISTER_DOC)
                .define(PSEUDONYM_KEY_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, PSEUDONYM_KEY_DOC)
                .define(PSEUDONYM_KEY_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM, PSEUDONYM_KEY_FILE_DOC)
                .define(BATCH_SIZE_CONFIG, Type.INT, BATCH_SIZE_DEFAULT, ConfigDef.Range.between(1, 100_000),
                        Importance.LOW, BATCH_SIZE_DOC);
    }

    protected PulseConnectConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals, false);
    }

    public String community() {
        return getString(COMMUNITY_CONFIG);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    public List<String> registryUrls() {
        return getList(REGISTRY_URL_CONFIG);
    }

    public String registryUserInfo() {
        return getPassword(REGISTRY_USER_INFO_CONFIG).value();
    }

    public boolean autoRegister() {
        return getBoolean(REGISTRY_AUTO_REGISTER_CONFIG);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    /**
     * The member-id hashing the key settings ask for.
     *
     * @throws ConfigException when both are set or the key is unusable (never showing the key)
     */
    public MemberPseudonymiser pseudonymiser() {
        Password key = getPassword(PSEUDONYM_KEY_CONFIG);
        String file = getString(PSEUDONYM_KEY_FILE_CONFIG);
        try {
            return MemberPseudonymiser.fromKey(key.value().isEmpty() ? null : key.value(), PSEUDONYM_KEY_CONFIG,
                    file.isEmpty() ? null : file, PSEUDONYM_KEY_FILE_CONFIG);
        } catch (WebhookSecretException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static void community(String name, Object value) {
        String community = (String) value;
        if (community == null || community.isBlank() || community.indexOf(':') >= 0) {
            throw new ConfigException(name, value, "must be non-empty and contain no ':'");
        }
    }

    private static void urls(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        if (urls == null || urls.isEmpty()) {
            throw new ConfigException(name, value, "at least one URL is required");
        }
        for (String url : urls) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new ConfigException(name, url, "must be an http(s) URL");
            }
        }
    }
}
