package org.communitypulse.cli;

import java.nio.file.Path;

/**
 * The one door to the embedded broker and schema registry (module {@code embedded}), which only
 * {@code pulse run} and {@code pulse replay} use. They ship outside {@code lib/} (in
 * {@code cli/target/lib-embedded}, on the class path of the {@code ./pulse} launcher, not in the Docker
 * image), so this class names none of their types: {@link EmbeddedServices} does, and is only loaded
 * after {@link #require} has found them.
 */
final class EmbeddedStack {

    private static final String PROBE_CLASS = "org.communitypulse.embedded.EmbeddedKafkaCluster";

    private EmbeddedStack() {
    }

    /** A started embedded service: where clients reach it, and how to stop it. */
    record Service(String address, AutoCloseable stopper) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stopper.close();
        }
    }

    /** Thrown when the embedded broker and registry are not on the class path. */
    static final class MissingException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingException(String message) {
            super(message);
        }
    }

    /** Whether the embedded stack can be loaded. */
    static boolean available() {
        try {
            Class.forName(PROBE_CLASS, false, EmbeddedStack.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Throws {@link MissingException} when the stack is not on the class path, saying that {@code need} needs it,
     * how to get it, and {@code otherwise} (what else would do, or empty).
     */
    static void require(String need, String otherwise) {
        if (!available()) {
            throw new MissingException(need + " needs the embedded Kafka broker and schema registry, which are not on "
                    + "the class path (they are not in the Docker image): start it with ./pulse, which adds "
                    + "cli/target/lib-embedded" + (otherwise.isEmpty() ? "." : ", or " + otherwise + "."));
        }
    }

    /**
     * Starts a KRaft broker keeping its data in {@code dataDir} (null: a temporary directory), on {@code port}
     * (0: any free port). With {@code stopOnJvmExit} false the caller must stop it, after its clients, from its
     * own shutdown hook: shutdown hooks run concurrently, so a broker stopping itself races them.
     */
    static Service kafka(Path dataDir, int port, boolean stopOnJvmExit) {
        require("Starting a local Kafka broker", "");
        return EmbeddedServices.kafka(dataDir, port, stopOnJvmExit);
    }

    /** Starts an Apicurio registry; schemas in {@code dataDir} (null: in memory), on {@code port} (0: any). */
    static Service registry(Path dataDir, Path logDir, int port, boolean stopOnJvmExit) {
        require("Starting a local schema registry", "");
        return EmbeddedServices.registry(dataDir, logDir, port, stopOnJvmExit);
    }
}
