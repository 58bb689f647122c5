package org.communitypulse.connect;

import java.util.Map;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * What the Community Pulse source connectors share: a configuration checked on start, so a bad setting fails the
 * connector rather than each of its tasks, and kept for the task configs; offsets derived from the input alone, so
 * a transactional worker can commit them with the records; nothing of their own to stop.
 */
abstract class PulseSourceConnector<C extends PulseConnectConfig> extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Versions.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        C config = parse(props);
        Converters.require(props, keyConverter());
        check(config);
        this.props = Map.copyOf(props);
    }

    /** The connector's configuration; throws ConfigException when the properties do not parse. */
    abstract C parse(Map<String, String> props);

    /** The key converter the records need: StringConverter, ByteArrayConverter for pollers (day counts). */
    String keyConverter() {
        return PulseConnectConfig.KEY_CONVERTER;
    }

    /** Builds what the tasks will build from the configuration, so that it fails here when it cannot. */
    void check(C config) {
        config.pseudonymiser();
    }

    /** The properties the connector was started with. */
    Map<String, String> props() {
        return props;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public void stop() {
    }
}
